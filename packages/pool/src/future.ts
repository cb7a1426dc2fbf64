/**
 * `concurrent.futures.Future`: the result of a call that runs somewhere else.
 *
 * The state machine is CPython's: PENDING → RUNNING → FINISHED, or PENDING → CANCELLED →
 * CANCELLED_AND_NOTIFIED (once the executor has seen the cancellation). A Future is settled
 * on the event loop of the thread that owns it, so waiting for it is asynchronous:
 * `await future.result()`. It is deliberately **not** a thenable (no `then`), so that
 * `wait()` and `asCompleted()` can hand Futures back, as Python's do.
 */
import { inspect } from 'node:util';
import { CancelledError, InvalidStateError, RuntimeError, TimeoutError } from '@threadkit/core';
import { callAt, deadlineAfter } from './internal/timer.js';

/** The states of a Future (CPython's names). */
export type FutureState =
  | 'PENDING'
  | 'RUNNING'
  | 'CANCELLED'
  | 'CANCELLED_AND_NOTIFIED'
  | 'FINISHED';

/** What `wait()` and `asCompleted()` register on a Future (CPython's `_Waiter`). */
export interface FutureWaiter {
  addResult(future: Future<any>): void;
  addException(future: Future<any>): void;
  addCancelled(future: Future<any>): void;
}

/**
 * The link between a Future and a task that a worker may already have started (thread
 * executors): `tryCancel()` wins the task for the owner (false: a worker started it),
 * `started()` tells whether a worker has started it.
 */
export interface RemoteTask {
  tryCancel(word: number): boolean;
  started(word: number): boolean;
}

/** A done callback: called with the Future once it is finished or cancelled. */
export type DoneCallback<T> = (future: Future<T>) => unknown;

const DESCRIPTION: Record<FutureState, string> = {
  PENDING: 'pending',
  RUNNING: 'running',
  CANCELLED: 'cancelled',
  CANCELLED_AND_NOTIFIED: 'cancelled',
  FINISHED: 'finished',
};

/** Python's `type(x).__name__`, in JS terms (`number`, `string`, `Array`, `Map`, `null`…). */
function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value !== 'object' && typeof value !== 'function') return typeof value;
  if (value instanceof Error) return value.name;
  const ctor = (value as { constructor?: { name?: string } }).constructor;
  return ctor?.name || 'Object';
}

function formatError(err: unknown): string {
  return err instanceof Error ? (err.stack ?? `${err.name}: ${err.message}`) : String(err);
}

/** Internal access for this package's modules (wait, executors); not exported publicly. */
export interface FutureInternals {
  state(f: Future<any>): FutureState;
  raised(f: Future<any>): boolean;
  addWaiter(f: Future<any>, w: FutureWaiter): void;
  removeWaiter(f: Future<any>, w: FutureWaiter): void;
  bindRemote(f: Future<any>, remote: RemoteTask, word: number): void;
}

export let futureInternals: FutureInternals;

let nextId = 0;

/**
 * The result of an asynchronous computation (Python's `concurrent.futures.Future`).
 * Executors create them; `new Future()` is for executor implementations and tests.
 */
export class Future<T = unknown> {
  #state: FutureState = 'PENDING';
  #result: T | undefined = undefined;
  #exception: unknown = undefined;
  /** Whether it finished by raising (a falsy thrown value is still an exception). */
  #raised = false;
  // Allocated on first use: most futures never get a callback, a waiter or a pending result().
  #callbacks: DoneCallback<T>[] | null = null;
  #waiters: FutureWaiter[] | null = null;
  /** Pending `result()`/`exception()` calls, woken on finish or cancel. */
  #wakers: Array<() => void> | null = null;
  /** Settles when the Future is done: shared by every `result()` waiting without a timeout. */
  #done: Promise<void> | null = null;
  #remote: RemoteTask | null = null;
  /** The task word passed to `#remote` (one shared RemoteTask per executor). */
  #word = 0;
  readonly #id = ++nextId;

  static {
    futureInternals = {
      state: (f) => f.#sync(),
      raised: (f) => f.#raised,
      addWaiter: (f, w) => {
        f.#waiters ??= [];
        f.#waiters.push(w);
      },
      removeWaiter: (f, w) => {
        const i = f.#waiters?.indexOf(w) ?? -1;
        if (i >= 0) f.#waiters?.splice(i, 1);
      },
      bindRemote: (f, remote, word) => {
        f.#remote = remote;
        f.#word = word;
      },
    };
  }

  /** The state, after noticing that a worker has started the task. */
  #sync(): FutureState {
    if (this.#state === 'PENDING' && this.#remote?.started(this.#word)) this.#state = 'RUNNING';
    return this.#state;
  }

  #isDone(): boolean {
    const s = this.#state;
    return s === 'FINISHED' || s === 'CANCELLED' || s === 'CANCELLED_AND_NOTIFIED';
  }

  /**
   * Cancel the call if it has not started. Returns true if the Future is (now) cancelled,
   * false if it is running or finished. Runs the done callbacks.
   */
  cancel(): boolean {
    const state = this.#sync();
    if (state === 'RUNNING' || state === 'FINISHED') return false;
    if (state === 'CANCELLED' || state === 'CANCELLED_AND_NOTIFIED') return true;
    if (this.#remote && !this.#remote.tryCancel(this.#word)) {
      this.#state = 'RUNNING'; // a worker got there first
      return false;
    }
    this.#state = 'CANCELLED';
    this.#wake();
    this.#invokeCallbacks();
    return true;
  }

  /** Whether the Future was cancelled. */
  cancelled(): boolean {
    const s = this.#state;
    return s === 'CANCELLED' || s === 'CANCELLED_AND_NOTIFIED';
  }

  /** Whether the call is running now. */
  running(): boolean {
    return this.#sync() === 'RUNNING';
  }

  /** Whether the Future is finished or cancelled. */
  done(): boolean {
    return this.#isDone();
  }

  /**
   * The call's result, once done. Rejects with the call's exception, `CancelledError` if
   * cancelled, or `TimeoutError` if not done within `timeout` seconds (`<= 0`: just look).
   */
  result(timeout?: number | null): Promise<T> {
    return this.#afterDone(timeout, () => {
      if (this.cancelled()) throw new CancelledError();
      if (this.#raised) throw this.#exception;
      return this.#result as T;
    });
  }

  /**
   * The call's exception (null if it returned), once done. Rejects with `CancelledError` if
   * cancelled, or `TimeoutError` if not done within `timeout` seconds.
   */
  exception(timeout?: number | null): Promise<unknown> {
    return this.#afterDone(timeout, () => {
      if (this.cancelled()) throw new CancelledError();
      return this.#raised ? this.#exception : null;
    });
  }

  /** `read()` once done (or now), as a Promise; TimeoutError if not done by the deadline. */
  #afterDone<R>(timeout: number | null | undefined, read: () => R): Promise<R> {
    try {
      const deadline = deadlineAfter(timeout);
      if (this.#isDone()) return Promise.resolve().then(read);
      if (deadline !== null && deadline <= performance.now()) throw new TimeoutError();
      // Without a deadline every waiter shares one promise (the common `await f.result()`).
      if (deadline === null) {
        this.#done ??= new Promise<void>((resolve) => {
          this.#wakers ??= [];
          this.#wakers.push(resolve);
        });
        return this.#done.then(read);
      }
      return new Promise<void>((resolve, reject) => {
        const wake = () => {
          cancelTimer();
          resolve();
        };
        this.#wakers ??= [];
        this.#wakers.push(wake);
        const cancelTimer = callAt(deadline, () => {
          const i = this.#wakers?.indexOf(wake) ?? -1;
          if (i >= 0) this.#wakers?.splice(i, 1);
          if (this.#isDone()) resolve();
          else reject(new TimeoutError());
        });
      }).then(read);
    } catch (err) {
      return Promise.reject(err);
    }
  }

  /**
   * Call `fn(future)` when the Future finishes or is cancelled, after the callbacks added
   * before it; at once if it is already done. Callbacks run on the event loop of the thread
   * that owns the Future. A callback that throws is reported on stderr
   * (`exception calling callback for <Future …>`) and the later ones still run.
   */
  addDoneCallback(fn: DoneCallback<T>): void {
    if (typeof fn !== 'function') throw new TypeError('addDoneCallback(fn): fn must be a function');
    if (!this.#isDone()) {
      this.#callbacks ??= [];
      this.#callbacks.push(fn);
      return;
    }
    this.#callOne(fn);
  }

  /**
   * For executors and tests: mark the Future running (true), or, if it was cancelled,
   * notify `wait()`/`asCompleted()` of the cancellation (false).
   * Any other state: `RuntimeError('Future in unexpected state')`.
   */
  setRunningOrNotifyCancel(): boolean {
    const state = this.#state;
    if (state === 'CANCELLED') {
      this.#state = 'CANCELLED_AND_NOTIFIED';
      if (this.#waiters) for (const w of [...this.#waiters]) w.addCancelled(this);
      return false;
    }
    if (state === 'PENDING') {
      this.#state = 'RUNNING';
      return true;
    }
    throw new RuntimeError('Future in unexpected state');
  }

  /** For executors and tests: finish with `result`. `InvalidStateError` if already done. */
  setResult(result: T): void {
    this.#checkSettable();
    this.#result = result;
    this.#state = 'FINISHED';
    if (this.#waiters) for (const w of [...this.#waiters]) w.addResult(this);
    this.#wake();
    this.#invokeCallbacks();
  }

  /** For executors and tests: finish by raising `exception`. `InvalidStateError` if already done. */
  setException(exception: unknown): void {
    this.#checkSettable();
    this.#exception = exception;
    this.#raised = true;
    this.#state = 'FINISHED';
    if (this.#waiters) for (const w of [...this.#waiters]) w.addException(this);
    this.#wake();
    this.#invokeCallbacks();
  }

  #checkSettable(): void {
    if (this.#isDone()) throw new InvalidStateError(`${this.#state}: ${this.toString()}`);
  }

  #wake(): void {
    const wakers = this.#wakers;
    if (!wakers) return;
    this.#wakers = null;
    for (const wake of wakers) wake();
  }

  #invokeCallbacks(): void {
    const callbacks = this.#callbacks;
    if (!callbacks) return;
    this.#callbacks = null;
    for (const fn of callbacks) this.#callOne(fn);
  }

  #callOne(fn: DoneCallback<T>): void {
    const report = (err: unknown) => {
      process.stderr.write(
        `exception calling callback for ${this.toString()}\n${formatError(err)}\n`,
      );
    };
    try {
      const r = fn(this) as { then?: unknown } | undefined;
      if (r !== null && typeof r === 'object' && typeof r.then === 'function') {
        (r as Promise<unknown>).then(undefined, report);
      }
    } catch (err) {
      report(err);
    }
  }

  /** Python's repr: `<Future at 0x… state=finished returned number>`. */
  toString(): string {
    const state = this.#sync();
    const head = `<${this.constructor.name} at 0x${(0x7f0000000000 + this.#id * 0x40).toString(16)} state=${DESCRIPTION[state]}`;
    if (state === 'FINISHED') {
      return this.#raised
        ? `${head} raised ${typeName(this.#exception)}>`
        : `${head} returned ${typeName(this.#result)}>`;
    }
    return `${head}>`;
  }

  /** How `console.log` and `util.inspect` show it: as `toString()`. */
  [inspect.custom](): string {
    return this.toString();
  }
}
