/**
 * Task specs by reference, for thread executors. The same function is usually submitted many
 * times; instead of copying its spec (source text and all) into every task message, the owner
 * writes it once into the shared arena and sends its offset, and each pool thread resolves an
 * offset once and keeps the function. Blocks live as long as the executor (one per distinct
 * spec, so the store is bounded by the program's code, not by the calls made).
 */
import { free, loadString, storeString, type TargetSpec } from '@threadkit/core/internal';

/**
 * Owner side: the arena offset of each spec written so far, one block per distinct spec text
 * (an inline arrow made afresh for every call has a new spec object but the same text).
 */
export class SpecStore {
  #refs = new WeakMap<TargetSpec, number>();
  #byText = new Map<string, number>();

  /** The reference of `spec` (a cached inline or module spec), writing it the first time. */
  ref(spec: TargetSpec): number {
    let ptr = this.#refs.get(spec);
    if (ptr === undefined) {
      const text = JSON.stringify(spec);
      ptr = this.#byText.get(text);
      if (ptr === undefined) {
        ptr = storeString(text);
        this.#byText.set(text, ptr);
      }
      this.#refs.set(spec, ptr);
    }
    return ptr;
  }

  /** Free every block (once no thread can read them: the executor's threads are gone). */
  dispose(): void {
    for (const ptr of this.#byText.values()) free(ptr);
    this.#byText.clear();
    this.#refs = new WeakMap();
  }
}

/** Worker side: read the spec at `ptr`. */
export function readSpec(ptr: number): TargetSpec {
  return JSON.parse(loadString(ptr)) as TargetSpec;
}
