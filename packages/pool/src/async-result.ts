/**
 * The results of `Pool` calls: `AsyncResult` (Python's `ApplyResult`/`MapResult`) and the
 * iterators of `imap`/`imapUnordered`. Like Futures they settle on the owner's event loop,
 * so `get()` and `next()` return Promises.
 */
import { inspect } from 'node:util';
import { TimeoutError, ValueError } from '@threadkit/core';
import { Future, futureInternals as fi } from './future.js';
import { callAt, deadlineAfter } from './internal/timer.js';

function formatError(err: unknown): string {
  return err instanceof Error ? (err.stack ?? `${err.name}: ${err.message}`) : String(err);
}

/** Call a user callback; an exception is reported on stderr, never thrown into the pool. */
function callSafely(fn: (value: any) => unknown, value: unknown, owner: object): void {
  try {
    const r = fn(value) as { then?: unknown } | undefined;
    if (r !== null && typeof r === 'object' && typeof r.then === 'function') {
      (r as Promise<unknown>).then(undefined, (err) =>
        process.stderr.write(
          `exception calling callback for ${String(owner)}\n${formatError(err)}\n`,
        ),
      );
    }
  } catch (err) {
    process.stderr.write(`exception calling callback for ${String(owner)}\n${formatError(err)}\n`);
  }
}

let nextId = 0;

/** Settling an AsyncResult (for the pool; not public). */
export let settleAsyncResult: (
  r: AsyncResult<any>,
  ok: boolean,
  value: unknown,
  runCallbacks?: boolean,
) => void;

/**
 * The pending result of `applyAsync`/`mapAsync`/`starmapAsync` (Python's `AsyncResult`).
 * `callback(value)` or `errorCallback(error)` runs on the owner's event loop when it
 * settles, before `ready()` turns true, as in Python.
 */
export class AsyncResult<T = unknown> {
  readonly #future = new Future<T>();
  readonly #callback: ((value: T) => unknown) | null;
  readonly #errorCallback: ((error: unknown) => unknown) | null;
  readonly #id = ++nextId;

  static {
    settleAsyncResult = (r, ok, value, runCallbacks = true) => {
      if (r.#future.done()) return;
      if (runCallbacks) {
        if (ok && r.#callback) callSafely(r.#callback, value, r);
        if (!ok && r.#errorCallback) callSafely(r.#errorCallback, value, r);
      }
      if (ok) r.#future.setResult(value as any);
      else r.#future.setException(value);
    };
  }

  /** @param callback called with the value; @param errorCallback called with the error. */
  constructor(
    callback?: ((value: T) => unknown) | null,
    errorCallback?: ((error: unknown) => unknown) | null,
  ) {
    if (callback != null && typeof callback !== 'function')
      throw new TypeError('callback must be a function');
    if (errorCallback != null && typeof errorCallback !== 'function') {
      throw new TypeError('error_callback must be a function');
    }
    this.#callback = callback ?? null;
    this.#errorCallback = errorCallback ?? null;
  }

  /** Whether the call has completed. */
  ready(): boolean {
    return this.#future.done();
  }

  /** Whether it completed without raising; `ValueError` if not ready yet. */
  successful(): boolean {
    if (!this.ready()) throw new ValueError(`${this.toString()} not ready`);
    return !fi.raised(this.#future);
  }

  /** Resolves once ready, or after `timeout` seconds (it does not reject on timeout). */
  async wait(timeout?: number | null): Promise<void> {
    try {
      await this.#future.exception(timeout);
    } catch (err) {
      if (!(err instanceof TimeoutError)) throw err;
    }
  }

  /** The value once ready; rejects with the call's error, or `TimeoutError` after `timeout` seconds. */
  get(timeout?: number | null): Promise<T> {
    return this.#future.result(timeout);
  }

  /** `<AsyncResult at 0x… ready>`. */
  toString(): string {
    const addr = (0x7f4000000000 + this.#id * 0x40).toString(16);
    return `<${this.constructor.name} at 0x${addr} ${this.ready() ? 'ready' : 'pending'}>`;
  }

  /** How `console.log` and `util.inspect` show it: as `toString()`. */
  [inspect.custom](): string {
    return this.toString();
  }
}

/** One chunk's results, or its error. */
export type Entry = { ok: true; values: unknown[] } | { ok: false; error: unknown };

/** How the pool feeds an {@link IMapIterator} (not public). */
export let imapFeed: {
  /** Chunk `index` arrived (ordered), or the next arrival (unordered). */
  deliver(it: IMapIterator<any>, index: number, entry: Entry): void;
  /** The pool was terminated or broke: results still missing will never come. */
  fail(it: IMapIterator<any>, error: unknown): void;
  /** The input is exhausted: there are `chunks` chunks in all. */
  setLength(it: IMapIterator<any>, chunks: number): void;
};

/**
 * The iterator of `Pool.imap` (in input order) and `Pool.imapUnordered` (in completion
 * order): an async iterator whose `next(timeout?)` takes an optional timeout in seconds
 * (`TimeoutError` if no result comes in time, as Python's `next(timeout)`). An error raised
 * by a call is thrown when its turn comes; the iteration then goes on with later results.
 */
export class IMapIterator<T = unknown> implements AsyncIterableIterator<T> {
  readonly #ordered: boolean;
  /** Ordered: entries by chunk index. Unordered: entries in arrival order. */
  readonly #entries = new Map<number, Entry>();
  #arrived = 0;
  #nextChunk = 0;
  #pendingValues: unknown[] = [];
  #chunks: number | null = null;
  #wakers: Array<() => void> = [];
  #closed = false;
  #failure: { error: unknown } | null = null;

  constructor(ordered: boolean) {
    this.#ordered = ordered;
  }

  static {
    imapFeed = {
      deliver: (it, index, entry) => {
        it.#entries.set(it.#ordered ? index : it.#arrived, entry);
        it.#arrived += 1;
        it.#wake();
      },
      fail: (it, error) => {
        it.#failure = { error };
        it.#wake();
      },
      setLength: (it, chunks) => {
        it.#chunks = chunks;
        it.#wake();
      },
    };
  }

  #wake(): void {
    const wakers = this.#wakers;
    this.#wakers = [];
    for (const wake of wakers) wake();
  }

  /** The next result; `TimeoutError` if none arrives within `timeout` seconds. */
  async next(timeout?: number | null): Promise<IteratorResult<T, undefined>> {
    const deadline = deadlineAfter(timeout);
    for (;;) {
      if (this.#pendingValues.length > 0)
        return { done: false, value: this.#pendingValues.shift() as T };
      if (this.#closed || (this.#chunks !== null && this.#nextChunk >= this.#chunks)) {
        return { done: true, value: undefined };
      }
      const entry = this.#entries.get(this.#nextChunk);
      if (entry) {
        this.#entries.delete(this.#nextChunk);
        this.#nextChunk += 1;
        if (!entry.ok) throw entry.error;
        this.#pendingValues = entry.values;
        continue;
      }
      if (this.#failure) {
        this.#closed = true;
        throw this.#failure.error;
      }
      if (deadline !== null && deadline <= performance.now()) throw new TimeoutError();
      await new Promise<void>((resolve) => {
        let cancel = () => {};
        const wake = () => {
          cancel();
          resolve();
        };
        this.#wakers.push(wake);
        if (deadline !== null) {
          cancel = callAt(deadline, () => {
            const i = this.#wakers.indexOf(wake);
            if (i >= 0) this.#wakers.splice(i, 1);
            resolve();
          });
        }
      });
    }
  }

  /** Stop iterating (the pool still runs the calls already sent, as in Python). */
  async return(): Promise<IteratorResult<T, undefined>> {
    this.#closed = true;
    this.#pendingValues = [];
    return { done: true, value: undefined };
  }

  /** `for await (const x of pool.imap(…))`. */
  [Symbol.asyncIterator](): this {
    return this;
  }

  /** `<IMapIterator>` or `<IMapUnorderedIterator>`. */
  toString(): string {
    return `<${this.#ordered ? 'IMapIterator' : 'IMapUnorderedIterator'}>`;
  }
}
