/**
 * Threads whose worker died without ending them (out of memory, killed by a native crash):
 * their record still says "alive", and nothing will ever run in them to say otherwise. The
 * worker's owner hears of it through the Worker's 'exit' event — unless the owner is blocked
 * in `join()`, where no event can arrive. So blocked joiners also look, every second, for the
 * OS thread itself (`/proc/self/task/<tid>` on Linux).
 */
import { existsSync } from 'node:fs';
import { futexWait, futexWaitAsync } from '../parking/futex.js';
import type { Deadline } from '../timeout.js';
import { writeWhole } from './output.js';
import { ALIVE, RECORD, readName, recWord } from './record.js';
import { endRecord } from './registry.js';

const HAS_PROC = existsSync('/proc/self/task');

/** How often a blocked joiner checks that the thread's OS thread still exists. */
export const LIVENESS_CHECK_MS = 1000;

/** Whether the OS thread running `rec` is gone while the record still says alive. */
export function workerVanished(rec: number): boolean {
  if (!HAS_PROC || recWord(rec, RECORD.state) !== ALIVE) return false;
  const tid = recWord(rec, RECORD.nativeId);
  if (tid === 0) return false; // not started yet: the owner's 'exit' handler covers it
  return !existsSync(`/proc/self/task/${tid}`);
}

/**
 * End a thread whose worker died, once (whoever notices first), reporting `why` the way an
 * uncaught exception would be. Returns false if the thread had already ended.
 */
export function endOrphanedThread(rec: number, why: string): boolean {
  // The caller holds a count on `rec` (a Thread handle, the worker's owner), so it outlives
  // endRecord's release of the running count.
  if (!endRecord(rec)) return false;
  writeWhole(2, `Exception in thread ${readName(rec)}:\nRuntimeError: ${why}\n`);
  return true;
}

const VANISHED = "the thread's worker died (out of memory, or killed) before the thread ended";

/**
 * Block until `rec` is no longer alive or `deadline` passes (`join()` and the exit join). The
 * wait is cut into slices; between them, a thread whose worker died is ended here.
 */
export function waitUntilStopped(rec: number, deadline: Deadline): void {
  while (recWord(rec, RECORD.state) === ALIVE) {
    const slice = Math.min(deadline, performance.now() + LIVENESS_CHECK_MS);
    if (futexWait(rec + RECORD.state, ALIVE, slice) === 'timed-out') {
      if (workerVanished(rec)) endOrphanedThread(rec, VANISHED);
      if (performance.now() >= deadline) return;
    }
  }
}

/** Async twin of {@link waitUntilStopped}. */
export async function waitUntilStoppedAsync(
  rec: number,
  deadline: Deadline,
  signal?: AbortSignal,
): Promise<void> {
  while (recWord(rec, RECORD.state) === ALIVE) {
    const slice = Math.min(deadline, performance.now() + LIVENESS_CHECK_MS);
    if ((await futexWaitAsync(rec + RECORD.state, ALIVE, slice, signal)) === 'timed-out') {
      if (workerVanished(rec)) endOrphanedThread(rec, VANISHED);
      if (performance.now() >= deadline) return;
    }
  }
}
