/**
 * `AsyncExecutor`: the executor interface for async (I/O-bound) functions run on the calling
 * thread's own event loop, at most `maxWorkers` at a time (p-queue). It is Node's answer to a
 * ThreadPoolExecutor used for I/O: no threads, no copying; functions are plain closures.
 */
import { RuntimeError } from '@threadkit/core';
import PQueue from 'p-queue';
import { Executor, type ShutdownOptions, shutdownOptions } from './executor.js';
import { Future } from './future.js';
import { checkMaxWorkers, defaultThreadWorkers, optionsObject } from './internal/options.js';

/** Options of {@link AsyncExecutor}. */
export interface AsyncExecutorOptions {
  /** Most calls in progress at once (default `min(32, cpus + 4)`, as ThreadPoolExecutor). */
  maxWorkers?: number | null;
}

/**
 * Runs async functions on this event loop with bounded concurrency, behind the executor
 * interface (`submit`, `map`, `shutdown`, Futures).
 *
 * ```ts
 * await using io = new AsyncExecutor({ maxWorkers: 8 });
 * for await (const body of io.map((url) => fetch(url).then((r) => r.text()), urls)) …
 * ```
 */
export class AsyncExecutor extends Executor {
  readonly #queue: PQueue;
  readonly #maxWorkers: number;
  /** Futures submitted and not finished. */
  readonly #pending = new Set<Future<any>>();
  #shutdown = false;

  /** `new AsyncExecutor({ maxWorkers })`, or `(maxWorkers)`. */
  constructor(options?: AsyncExecutorOptions | number | null) {
    super();
    const opts = optionsObject(options, 'maxWorkers');
    this.#maxWorkers = checkMaxWorkers(opts.maxWorkers, defaultThreadWorkers);
    this.#queue = new PQueue({ concurrency: this.#maxWorkers });
  }

  /** The most calls in progress at once. */
  get maxWorkers(): number {
    return this.#maxWorkers;
  }

  /** Schedule `fn(...args)` (sync or async) on this event loop; returns its Future. */
  submit<A extends unknown[], R>(fn: (...args: A) => R, ...args: A): Future<Awaited<R>> {
    if (this.#shutdown) throw new RuntimeError('cannot schedule new futures after shutdown');
    if (typeof fn !== 'function')
      throw new TypeError(`fn must be a function, not ${fn === null ? 'null' : typeof fn}`);
    const f = new Future<Awaited<R>>();
    this.#pending.add(f);
    void this.#queue.add(async () => {
      try {
        if (!f.setRunningOrNotifyCancel()) return; // cancelled while queued
        try {
          f.setResult(await fn(...args));
        } catch (err) {
          f.setException(err);
        }
      } finally {
        this.#pending.delete(f);
      }
    });
    return f;
  }

  /**
   * Stop accepting calls; `cancelFutures` cancels those not started. With `wait` (default)
   * resolves once every started call has settled.
   */
  async shutdown(options?: ShutdownOptions | boolean): Promise<void> {
    const { wait, cancelFutures } = shutdownOptions(options);
    this.#shutdown = true;
    if (cancelFutures) for (const f of this.#pending) f.cancel();
    if (wait) await this.#queue.onIdle();
  }
}
