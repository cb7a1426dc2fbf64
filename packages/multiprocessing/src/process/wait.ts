/**
 * Waiting for a child to end, from any thread. The forking thread's event loop records the
 * exit status and wakes waiters on the record's state word; when that loop is not running
 * (the main thread blocked in `join()`), the waiter finds the zombie in /proc itself.
 */
import { futexWait, futexWaitAsync } from '@threadkit/core/internal';
import { Backoff } from '../os/sleep.js';
import { PROC_RECORD, pollChild, STARTED } from './record.js';

/** Block until the child of record `rec` has ended or `deadline` passes; true if it ended. */
export function waitStopped(rec: number, deadline: number): boolean {
  const backoff = new Backoff(0.2, 10);
  for (;;) {
    if (pollChild(rec)) return true;
    const now = performance.now();
    if (now >= deadline) return false;
    futexWait(rec + PROC_RECORD.state, STARTED, now + backoff.next(deadline));
  }
}

/** Async twin of {@link waitStopped}. */
export async function waitStoppedAsync(
  rec: number,
  deadline: number,
  signal?: AbortSignal,
): Promise<boolean> {
  const backoff = new Backoff(0.2, 10);
  for (;;) {
    if (pollChild(rec)) return true;
    const now = performance.now();
    if (now >= deadline) return false;
    await futexWaitAsync(rec + PROC_RECORD.state, STARTED, now + backoff.next(deadline), signal);
  }
}
