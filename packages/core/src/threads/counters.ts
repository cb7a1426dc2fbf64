/**
 * Process-wide counters of the threads layer, in one root block of the arena: thread idents
 * (non-zero, never reused), the N of `Thread-N` and `Dummy-N`, and the stdout lock that keeps
 * lines from different threads whole.
 */
import { arena, ROOTS, root } from '../memory/arena.js';

const COUNTERS = {
  lastIdent: 0,
  threads: 1,
  dummies: 2,
  stdoutLock: 3,
} as const;

function base(): number {
  return root(ROOTS.threadCounters, 16) >> 2;
}

/** A fresh, non-zero, never-reused thread ident. */
export function nextIdent(): number {
  return Atomics.add(arena().i32, base() + COUNTERS.lastIdent, 1) + 1;
}

/** The N of the next default `Thread-N` name. */
export function nextThreadNumber(): number {
  return Atomics.add(arena().i32, base() + COUNTERS.threads, 1) + 1;
}

/** The N of the next `Dummy-N` name. */
export function nextDummyNumber(): number {
  return Atomics.add(arena().i32, base() + COUNTERS.dummies, 1) + 1;
}

/** Word index of the lock that serialises whole-line writes to stdout/stderr. */
export function stdoutLockWord(): number {
  return base() + COUNTERS.stdoutLock;
}
