/**
 * `concurrent.futures.Executor`: what every executor shares — `map` (built on `submit`),
 * `shutdown` options, and `await using`.
 */
import { ValueError } from '@threadkit/core';
import type { Future } from './future.js';
import { zipIterables } from './internal/iterables.js';
import { deadlineAfter, secondsLeft } from './internal/timer.js';

/** Options of `Executor.shutdown()`. */
export interface ShutdownOptions {
  /** Resolve only once every pending call has run and the workers are gone (default true). */
  wait?: boolean;
  /** Cancel the calls that have not started (default false). */
  cancelFutures?: boolean;
}

/** Options of `Executor.map()` (the trailing argument). */
export interface MapOptions {
  /** Seconds, counted from the `map()` call, for the whole iteration (null: no limit). */
  timeout?: number | null;
  /** Calls per task sent to a worker process (ProcessPoolExecutor; ignored by the others). */
  chunksize?: number;
  /** At most this many calls submitted ahead of the consumer; inputs are read lazily. */
  buffersize?: number | null;
}

/** Parse `shutdown(wait?)` / `shutdown({ wait, cancelFutures })`. */
export function shutdownOptions(
  options: ShutdownOptions | boolean | undefined,
): Required<ShutdownOptions> {
  if (typeof options === 'boolean') return { wait: options, cancelFutures: false };
  if (options === undefined || options === null) return { wait: true, cancelFutures: false };
  if (typeof options !== 'object') throw new TypeError('shutdown({ wait, cancelFutures })');
  return { wait: options.wait ?? true, cancelFutures: options.cancelFutures ?? false };
}

function isMapOptions(value: unknown): value is MapOptions {
  return (
    value !== null &&
    typeof value === 'object' &&
    typeof (value as any)[Symbol.iterator] !== 'function' &&
    Object.getPrototypeOf(value) === Object.prototype
  );
}

/** Split `map(fn, ...iterables, options?)`'s rest arguments and check the options. */
export function mapArguments(rest: unknown[]): { iterables: unknown[]; options: MapOptions } {
  const options =
    rest.length > 0 && isMapOptions(rest[rest.length - 1]) ? (rest.pop() as MapOptions) : {};
  const { buffersize } = options;
  if (buffersize !== undefined && buffersize !== null) {
    if (typeof buffersize !== 'number' || !Number.isInteger(buffersize)) {
      throw new TypeError('buffersize must be an integer or None');
    }
    if (buffersize < 1) throw new ValueError('buffersize must be None or > 0');
  }
  return { iterables: rest, options };
}

/** `fut.result(timeout)`, cancelling the future whatever happens (CPython's `_result_or_cancel`). */
async function resultOrCancel<T>(f: Future<T>, timeout: number | null): Promise<T> {
  try {
    return await f.result(timeout);
  } finally {
    f.cancel();
  }
}

/**
 * The results of `submit(args)` for each args tuple, in input order. All calls are submitted
 * now, or, with `buffersize`, that many now and one more per result taken. The first error
 * (or the timeout) ends the iteration and cancels the calls not yet taken, as in Python 3.14.
 */
export function mapResults<R>(
  submit: (args: unknown[]) => Future<R>,
  argsIter: Iterator<unknown[]>,
  timeout: number | null | undefined,
  buffersize: number | null | undefined,
): AsyncGenerator<R, void, undefined> {
  const deadline = deadlineAfter(timeout);
  const fs: Array<Future<R> | undefined> = [];
  let head = 0;
  if (buffersize) {
    for (let i = 0; i < buffersize; i++) {
      const r = argsIter.next();
      if (r.done) break;
      fs.push(submit(r.value));
    }
  } else {
    for (let r = argsIter.next(); !r.done; r = argsIter.next()) fs.push(submit(r.value));
  }
  async function* results(): AsyncGenerator<R, void, undefined> {
    try {
      while (head < fs.length) {
        if (buffersize) {
          const r = argsIter.next();
          if (!r.done) fs.push(submit(r.value));
        }
        const f = fs[head] as Future<R>;
        fs[head++] = undefined; // keep no reference to what was handed out
        yield await resultOrCancel(f, secondsLeft(deadline));
      }
    } finally {
      for (let i = head; i < fs.length; i++) fs[i]?.cancel();
    }
  }
  return results();
}

/**
 * Base class of the executors (Python's `concurrent.futures.Executor`). Subclasses provide
 * `submit` and `shutdown`; `map` and disposal come from here.
 */
export abstract class Executor {
  /** Schedule `fn(...args)`; returns its Future. */
  abstract submit<A extends unknown[], R>(fn: (...args: A) => R, ...args: A): Future<Awaited<R>>;

  /**
   * Stop accepting work. With `wait` (default), resolves once every pending call has run
   * and the workers are gone; `cancelFutures` cancels the calls that have not started.
   * Calling it again is harmless.
   */
  abstract shutdown(options?: ShutdownOptions | boolean): Promise<void>;

  /**
   * `fn` over the zipped iterables, results in input order, as an async iterable:
   * `for await (const r of executor.map(fn, xs, ys, { timeout, buffersize }))`. Calls are
   * submitted at once (before the first result is asked for) unless `buffersize` is given,
   * in which case inputs are consumed lazily (infinite iterables are fine). An error raised
   * by a call is thrown when its result is reached, and ends the iteration; so does the
   * timeout (`TimeoutError`), counted from this call. Leaving the loop early cancels the
   * calls not yet started.
   */
  map<R>(
    fn: (...args: any[]) => R,
    ...iterablesAndOptions: Array<Iterable<unknown> | MapOptions>
  ): AsyncGenerator<Awaited<R>, void, undefined> {
    const { iterables, options } = mapArguments(iterablesAndOptions);
    return mapResults(
      (args) => this.submit(fn, ...args),
      zipIterables(iterables),
      options.timeout,
      options.buffersize,
    );
  }

  /** `await using executor = new ThreadPoolExecutor()`: shut down and wait at the end of the scope. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.shutdown({ wait: true });
  }

  /**
   * `using executor = …`: shut down at the end of the scope. A synchronous scope cannot
   * wait, so pending calls finish in the background; use `await using` to wait for them.
   */
  [Symbol.dispose](): void {
    this.shutdown({ wait: false }).catch(() => {});
  }
}
