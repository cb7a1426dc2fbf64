/**
 * `concurrent.futures.wait` and `as_completed`, following CPython's `_base.py`: duplicates
 * collapse, futures that are already done come first, and only FINISHED and
 * CANCELLED_AND_NOTIFIED futures count as done (a plain CANCELLED one is still waited for,
 * until its executor notices the cancellation).
 */
import { TimeoutError, ValueError } from '@threadkit/core';
import { type Future, type FutureWaiter, futureInternals as fi } from './future.js';
import { AsyncEvent } from './internal/event.js';
import { deadlineAfter } from './internal/timer.js';

/** `wait()` returns when any future finishes or is cancelled. */
export const FIRST_COMPLETED = 'FIRST_COMPLETED';
/** `wait()` returns when any future finishes by raising (else as ALL_COMPLETED). */
export const FIRST_EXCEPTION = 'FIRST_EXCEPTION';
/** `wait()` returns when every future is finished or cancelled. */
export const ALL_COMPLETED = 'ALL_COMPLETED';

/** A `returnWhen` value. */
export type ReturnWhen = typeof FIRST_COMPLETED | typeof FIRST_EXCEPTION | typeof ALL_COMPLETED;

/** Options of {@link wait}. */
export interface WaitOptions {
  /** Seconds to wait at most (null: no limit). */
  timeout?: number | null;
  /** When to return (default {@link ALL_COMPLETED}). */
  returnWhen?: ReturnWhen;
}

/** What {@link wait} resolves to (Python's `DoneAndNotDoneFutures`). */
export interface DoneAndNotDoneFutures<F extends Future<any> = Future<unknown>> {
  /** The futures that finished or were cancelled. */
  done: Set<F>;
  /** The others. */
  notDone: Set<F>;
}

function isDone(f: Future<any>): boolean {
  const s = fi.state(f);
  return s === 'FINISHED' || s === 'CANCELLED_AND_NOTIFIED';
}

function toSet<F extends Future<any>>(fs: Iterable<F>): Set<F> {
  if (fs === null || fs === undefined || typeof (fs as any)[Symbol.iterator] !== 'function') {
    throw new TypeError('fs must be an iterable of Futures');
  }
  return new Set(fs);
}

/** Python's `%r` of a return condition. */
function pyRepr(value: unknown): string {
  return typeof value === 'string'
    ? `'${value}'`
    : value === undefined || value === null
      ? 'None'
      : String(value);
}

/** Collects finished futures and sets its event by CPython's rules for each `returnWhen`. */
class Waiter implements FutureWaiter {
  readonly event = new AsyncEvent();
  finished: Future<any>[] = [];
  constructor(
    private readonly mode: 'as-completed' | ReturnWhen,
    private pending = 0,
  ) {}

  #done(stop: boolean): void {
    if (this.mode === 'as-completed' || this.mode === FIRST_COMPLETED || stop) {
      this.event.set();
      return;
    }
    this.pending -= 1;
    if (this.pending === 0) this.event.set();
  }

  addResult(f: Future<any>): void {
    this.finished.push(f);
    this.#done(false);
  }

  addException(f: Future<any>): void {
    this.finished.push(f);
    this.#done(this.mode === FIRST_EXCEPTION);
  }

  addCancelled(f: Future<any>): void {
    this.finished.push(f);
    this.#done(false);
  }
}

function parseWaitArgs(
  options: WaitOptions | number | null | undefined,
  returnWhen: ReturnWhen | undefined,
): { timeout: number | null | undefined; returnWhen: unknown } {
  if (options === null || options === undefined || typeof options === 'number') {
    return { timeout: options, returnWhen: returnWhen ?? ALL_COMPLETED };
  }
  if (typeof options !== 'object') throw new TypeError('wait(fs, { timeout, returnWhen })');
  return { timeout: options.timeout, returnWhen: options.returnWhen ?? ALL_COMPLETED };
}

/**
 * Wait for futures (from any executors) to complete. Resolves to `{ done, notDone }` sets.
 * `returnWhen`: {@link FIRST_COMPLETED}, {@link FIRST_EXCEPTION} or {@link ALL_COMPLETED}
 * (default). Also callable as `wait(fs, timeout, returnWhen)`.
 */
export async function wait<F extends Future<any>>(
  fs: Iterable<F>,
  options?: WaitOptions | number | null,
  returnWhen?: ReturnWhen,
): Promise<DoneAndNotDoneFutures<F>> {
  const { timeout, returnWhen: when } = parseWaitArgs(options, returnWhen);
  const deadline = deadlineAfter(timeout);
  const all = toSet(fs);
  const done = new Set<F>();
  for (const f of all) if (isDone(f)) done.add(f);
  const notDone = () => new Set([...all].filter((f) => !done.has(f)));
  if (when === FIRST_COMPLETED && done.size > 0) return { done, notDone: notDone() };
  if (when === FIRST_EXCEPTION && done.size > 0) {
    if ([...done].some((f) => !f.cancelled() && fi.raised(f))) return { done, notDone: notDone() };
  }
  if (done.size === all.size) return { done, notDone: notDone() };
  if (when !== FIRST_COMPLETED && when !== FIRST_EXCEPTION && when !== ALL_COMPLETED) {
    throw new ValueError(`Invalid return condition: ${pyRepr(when)}`);
  }
  const waiter = new Waiter(when, all.size - done.size);
  for (const f of all) fi.addWaiter(f, waiter);
  try {
    await waiter.event.wait(deadline);
  } finally {
    for (const f of all) fi.removeWaiter(f, waiter);
  }
  for (const f of waiter.finished) done.add(f as F);
  return { done, notDone: notDone() };
}

/**
 * Iterate over futures (any iterable, duplicates collapsed) as they complete: those already
 * done first, then in completion order. `timeout` (seconds, counted from the first
 * iteration): `TimeoutError('N (of M) futures unfinished')` once it has passed.
 *
 * ```ts
 * for await (const f of asCompleted(futures, 10)) console.log(await f.result());
 * ```
 */
export async function* asCompleted<F extends Future<any>>(
  fs: Iterable<F>,
  timeout?: number | null,
): AsyncGenerator<F, void, undefined> {
  const deadline = deadlineAfter(timeout);
  const all = toSet(fs);
  const total = all.size;
  const finished = [...all].filter(isDone);
  const pending = new Set([...all].filter((f) => !isDone(f)));
  const waiter = new Waiter('as-completed');
  for (const f of all) fi.addWaiter(f, waiter);
  try {
    for (const f of finished) {
      fi.removeWaiter(f, waiter);
      yield f;
    }
    while (pending.size > 0) {
      if (deadline !== null && deadline - performance.now() < 0) {
        throw new TimeoutError(`${pending.size} (of ${total}) futures unfinished`);
      }
      await waiter.event.wait(deadline);
      const batch = waiter.finished;
      waiter.finished = [];
      waiter.event.clear();
      for (const f of batch) {
        if (!pending.delete(f as F)) continue;
        fi.removeWaiter(f, waiter);
        yield f as F;
      }
    }
  } finally {
    for (const f of all) fi.removeWaiter(f, waiter);
  }
}
