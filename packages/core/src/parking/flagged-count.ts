/**
 * A count in one arena word whose top bit says "someone may be asleep on me" (Semaphore's
 * value). Whoever raises the count does it with one `Atomics.add` and learns from the old
 * value, for free, whether it must call `notify`: no separate waiter count to read on the
 * uncontended path (each `Atomics` call is a builtin call on Node 20, ≈ 7 ns).
 *
 * A waiter counts itself in on a waiters word, sets the flag with `Atomics.or` (which also
 * reads the count), and sleeps only if the count was 0, on exactly the value it saw. A raise
 * is ordered before or after that `or` (one word, sequentially consistent): before, the
 * waiter sees the count and does not sleep; after, the raiser sees the flag and wakes. Any
 * change of the word after the `or` makes the sleep return at once, so no wake-up is lost.
 *
 * The last waiter to leave clears the flag; it then re-reads the waiters word and wakes every
 * sleeper if one counted in meanwhile (that one may have set the flag just before it was
 * cleared, and sleeps on the flagged value: woken, it sets the flag again).
 */
import { wordsFor } from '../memory/views.js';
import type { Deadline } from '../timeout.js';
import { futexWait, futexWaitAsync, futexWake, type WaitResult } from './futex.js';

/** The "may have sleepers" bit. */
export const PARKED = 0x80000000 | 0;
/** The count's bits. */
export const COUNT_MASK = 0x7fffffff;

/** Set the flag; sleep on `word` until `deadline` unless its count is non-zero. */
export function waitForCount(waiters: number, word: number, deadline: Deadline): WaitResult {
  const i32 = wordsFor(Math.max(waiters, word));
  Atomics.add(i32, waiters, 1);
  try {
    const seen = Atomics.or(i32, word, PARKED) | PARKED;
    return (seen & COUNT_MASK) !== 0 ? 'ok' : futexWait(word, seen, deadline);
  } finally {
    leave(i32, waiters, word);
  }
}

/** Async twin of {@link waitForCount}; an abort rejects with `signal.reason`. */
export async function waitForCountAsync(
  waiters: number,
  word: number,
  deadline: Deadline,
  signal: AbortSignal | undefined,
): Promise<WaitResult> {
  const i32 = wordsFor(Math.max(waiters, word));
  Atomics.add(i32, waiters, 1);
  try {
    const seen = Atomics.or(i32, word, PARKED) | PARKED;
    return (seen & COUNT_MASK) !== 0 ? 'ok' : await futexWaitAsync(word, seen, deadline, signal);
  } finally {
    leave(i32, waiters, word);
  }
}

/** Count out; the last one out clears the flag (and wakes anyone who came in meanwhile). */
function leave(i32: Int32Array, waiters: number, word: number): void {
  if (Atomics.sub(i32, waiters, 1) !== 1) return;
  Atomics.and(i32, word, COUNT_MASK);
  if (Atomics.load(i32, waiters) > 0) futexWake(word);
}
