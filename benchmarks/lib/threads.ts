/**
 * Running benchmark code in other threads. Worker functions live in the suite file, made with
 * `threadable(import.meta.url, function name(...) {...})`, so a suite stays one file: the
 * other thread imports the suite module (tsx is registered there for `.ts`) and calls it.
 * Arguments may contain threadkit shared objects (they arrive as the same lock or event) and
 * SharedArrayBuffer views (for results and hand-shakes).
 *
 * - {@link inThread}: a threadkit `Thread` (the threadkit side of a benchmark);
 * - {@link inWorker}: a raw `new Worker()` (the raw-Node baselines), which receives its
 *   arguments through `encodeShared`/`decodeShared`.
 */
import { Worker } from 'node:worker_threads';
import * as core from '@threadkit/core';
import { Thread, threadable } from '@threadkit/core';
import {
  arena,
  encodeFunction,
  encodeShared,
  moduleBeingImported,
  resolveTarget,
  type TargetSpec,
} from '@threadkit/core/internal';

const BOOT = new URL('./worker-boot.mjs', import.meta.url);

type Fn = (...args: any[]) => unknown;

function moduleSpec(fn: Fn): TargetSpec {
  const spec = encodeFunction(fn, 'benchmark function');
  if (spec.kind !== 'module') {
    throw new TypeError(
      `${fn.name || 'function'}: make it a module function with threadable(import.meta.url, fn)`,
    );
  }
  return spec;
}

/**
 * A raw `Worker` that runs module functions on request and stays alive between them (warm,
 * like the workers behind threadkit's Threads). `close()` it when done.
 */
export class RawWorker {
  readonly #worker: Worker;
  readonly #pending = new Map<
    number,
    { resolve: (v: any) => void; reject: (e: unknown) => void }
  >();
  #next = 0;
  #dead: Error | null = null;

  constructor() {
    const importing = moduleBeingImported();
    if (importing) {
      // A suite module imported by a worker to find its functions must not start workers at
      // its top level: each would import it again, recursively (seen: 1 000 threads, 12 GB).
      throw new Error(
        `RawWorker created while ${importing} is imported for a target: guard top-level code with isMainThread`,
      );
    }
    arena(); // the arena must exist before the Worker is created, so that it inherits it
    this.#worker = new Worker(BOOT);
    this.#worker.on('message', (m: { id: number; result?: unknown; error?: unknown }) => {
      const p = this.#pending.get(m.id);
      this.#pending.delete(m.id);
      if ('error' in m) p?.reject(m.error);
      else p?.resolve(m.result);
    });
    const fail = (err: Error) => {
      this.#dead = err;
      for (const p of this.#pending.values()) p.reject(err);
      this.#pending.clear();
    };
    this.#worker.on('error', fail);
    this.#worker.on('exit', (code) => fail(new Error(`raw worker exited with code ${code}`)));
  }

  /** Run `fn(...args)` in this worker; resolves with its return value. */
  run<R = unknown>(fn: Fn, ...args: unknown[]): Promise<R> {
    if (this.#dead) return Promise.reject(this.#dead);
    const id = this.#next++;
    return new Promise<R>((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      this.#worker.postMessage({ id, spec: moduleSpec(fn), args: encodeShared(args, 'args') });
    });
  }

  async close(): Promise<void> {
    this.#dead ??= new Error('raw worker closed');
    await this.#worker.terminate();
  }
}

/** Run `fn(...args)` in a new raw `Worker` that ends afterwards; resolves with its return value. */
export async function inWorker<R = unknown>(fn: Fn, ...args: unknown[]): Promise<R> {
  const w = new RawWorker();
  try {
    return await w.run<R>(fn, ...args);
  } finally {
    await w.close();
  }
}

// The status word starts at 0 (running).
const DONE = 1;
const FAILED = 2;

/**
 * Runs in the threadkit thread: calls the benchmark function and records in shared memory
 * whether it returned (a Thread's exception goes to excepthook, which prints it, and join
 * returns normally: the status word is how the main thread learns of it).
 */
export const benchTrampoline = threadable(
  import.meta.url,
  async function benchTrampoline(spec: TargetSpec, args: unknown[], status: Int32Array) {
    try {
      const fn = await resolveTarget(spec);
      await fn(...args);
      Atomics.store(status, 0, DONE);
    } catch (err) {
      Atomics.store(status, 0, FAILED);
      throw err;
    }
  },
);

/** Run `fn(...args)` in a threadkit `Thread`; resolves once the thread has finished. */
export async function inThread(fn: Fn, ...args: unknown[]): Promise<void> {
  const status = new Int32Array(new SharedArrayBuffer(4));
  const t = new Thread({
    target: benchTrampoline,
    args: [moduleSpec(fn), args, status],
    name: fn.name,
  });
  t.start();
  await t.joinAsync();
  const s = Atomics.load(status, 0);
  if (s !== DONE)
    throw new Error(
      `thread ${fn.name} ${s === FAILED ? 'failed (its error is printed above)' : 'did not finish'}`,
    );
}

/** Whether `@threadkit/core` exports `name` yet (parts of the API are still being written). */
export function exported(name: string): boolean {
  return typeof (core as Record<string, unknown>)[name] === 'function';
}

/** An export of `@threadkit/core` that may not exist yet (typed loosely on purpose). */
export function coreExport<T = any>(name: string): T {
  const value = (core as Record<string, unknown>)[name];
  if (value === undefined) throw new Error(`@threadkit/core does not export ${name}`);
  return value as T;
}
