/**
 * Task specs by reference, for thread executors. The same function is usually submitted many
 * times; instead of copying its spec (source text and all) into every task message, the owner
 * writes it once into the shared arena and sends its offset, and each pool thread resolves an
 * offset once and keeps the function. Blocks live as long as the executor.
 */
import { alloc, arena, free, type TargetSpec } from '@threadkit/core/internal';

/** Owner side: the arena offset of each spec written so far. */
export class SpecStore {
  #refs = new Map<TargetSpec, number>();

  /** The reference of `spec` (a cached inline or module spec), writing it the first time. */
  ref(spec: TargetSpec): number {
    let ptr = this.#refs.get(spec);
    if (ptr === undefined) {
      const json = JSON.stringify(spec);
      ptr = alloc(4 + json.length * 2);
      const a = arena();
      a.i32[ptr >> 2] = json.length;
      const base = (ptr + 4) >> 1;
      for (let i = 0; i < json.length; i++) a.u16[base + i] = json.charCodeAt(i);
      this.#refs.set(spec, ptr);
    }
    return ptr;
  }

  /** Free every block (once no thread can read them: the executor's threads are gone). */
  dispose(): void {
    for (const ptr of this.#refs.values()) free(ptr);
    this.#refs.clear();
  }
}

/** Worker side: read the spec at `ptr`. */
export function readSpec(ptr: number): TargetSpec {
  const a = arena();
  const len = a.i32[ptr >> 2];
  const base = (ptr + 4) >> 1;
  let json = '';
  for (let i = 0; i < len; i += 4096) {
    json += String.fromCharCode.apply(
      null,
      Array.from(a.u16.subarray(base + i, base + Math.min(len, i + 4096))),
    );
  }
  return JSON.parse(json) as TargetSpec;
}
