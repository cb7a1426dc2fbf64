/**
 * The one wait step of Event and the queues (Semaphore has its own, flagged-count.ts): count
 * in on a waiters word (so that a waker knows it must bump the word and call `notify`), read
 * the word, re-check `ready`, sleep while the word still holds what was read, count out. The
 * caller loops, re-checking its own condition. A waker changes the state first, then (seeing the count) moves the
 * word: every access is a sequentially consistent atomic, so either the re-check sees the
 * new state or the sleep sees the moved word, and no wake-up is lost.
 *
 * Written once for both twins: the blocking one (`Atomics.wait`) and the async one
 * (`Atomics.waitAsync`, never blocking the event loop).
 */
import { wordsFor } from '../memory/views.js';
import type { Deadline } from '../timeout.js';
import { futexWait, futexWaitAsync, type WaitResult } from './futex.js';

/** Sleep on `word` unless `ready()` (until `deadline`), counted in `waiters`. */
export function countedWait(
  waiters: number,
  word: number,
  ready: () => boolean,
  deadline: Deadline,
): WaitResult {
  const i32 = wordsFor(Math.max(waiters, word));
  Atomics.add(i32, waiters, 1);
  try {
    const seen = Atomics.load(i32, word);
    return ready() ? 'ok' : futexWait(word, seen, deadline);
  } finally {
    Atomics.sub(i32, waiters, 1);
  }
}

/** Async twin of {@link countedWait}; an abort rejects with `signal.reason`. */
export async function countedWaitAsync(
  waiters: number,
  word: number,
  ready: () => boolean,
  deadline: Deadline,
  signal: AbortSignal | undefined,
): Promise<WaitResult> {
  const i32 = wordsFor(Math.max(waiters, word));
  Atomics.add(i32, waiters, 1);
  try {
    const seen = Atomics.load(i32, word);
    return ready() ? 'ok' : await futexWaitAsync(word, seen, deadline, signal);
  } finally {
    Atomics.sub(i32, waiters, 1);
  }
}
