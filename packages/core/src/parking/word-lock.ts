/**
 * The raw word lock: a mutex in one arena word, in the shape of parking_lot's raw mutex.
 * 0 = unlocked, 1 = locked, 2 = locked and someone may be parked. It is the one internal
 * mutex of threadkit (thread records, the registry, waiter lists, queues, stdout) and the
 * body of Python's `Lock` (sync/lock.ts), which only adds an inlined fast path.
 *
 * Below it sits nothing but the futex layer; the arena's allocator keeps its own copy of
 * this mutex because the futex layer's views are made by the arena (see memory/arena.ts).
 */
import { wordsFor } from '../memory/views.js';
import type { Deadline } from '../timeout.js';
import { futexWait, futexWaitAsync, futexWake } from './futex.js';

export const UNLOCKED = 0;
export const LOCKED = 1;
export const CONTENDED = 2;

/** Spins before parking by default: a holder usually releases within a few hundred ns. */
const DEFAULT_SPINS = 100;

/** Try to take the lock at word `w` of `i32` (a view covering `w`) without parking. */
export function tryLockWord(i32: Int32Array, w: number): boolean {
  return Atomics.compareExchange(i32, w, UNLOCKED, LOCKED) === UNLOCKED;
}

/**
 * Take the lock at word `w`, spinning up to `spins` times and then parking until `deadline`
 * (`null`: do not wait at all). Returns false on timeout.
 */
export function lockWord(w: number, deadline: Deadline | null, spins = DEFAULT_SPINS): boolean {
  const i32 = wordsFor(w);
  if (Atomics.compareExchange(i32, w, UNLOCKED, LOCKED) === UNLOCKED) return true;
  if (deadline === null) return false;
  for (let k = 0; k < spins; k++) {
    if (
      Atomics.load(i32, w) === UNLOCKED &&
      Atomics.compareExchange(i32, w, UNLOCKED, LOCKED) === UNLOCKED
    ) {
      return true;
    }
  }
  for (;;) {
    if (Atomics.exchange(i32, w, CONTENDED) === UNLOCKED) return true;
    if (futexWait(w, CONTENDED, deadline) === 'timed-out') {
      // One last try, so a release racing with our timeout is not lost.
      return Atomics.compareExchange(i32, w, UNLOCKED, CONTENDED) === UNLOCKED;
    }
  }
}

/** Async twin of {@link lockWord}: parks with `Atomics.waitAsync`, never blocking the loop. */
export async function lockWordAsync(
  w: number,
  deadline: Deadline | null,
  signal?: AbortSignal,
): Promise<boolean> {
  const i32 = wordsFor(w);
  if (Atomics.compareExchange(i32, w, UNLOCKED, LOCKED) === UNLOCKED) return true;
  if (deadline === null) return false;
  for (;;) {
    if (Atomics.exchange(i32, w, CONTENDED) === UNLOCKED) return true;
    if ((await futexWaitAsync(w, CONTENDED, deadline, signal)) === 'timed-out') {
      return Atomics.compareExchange(i32, w, UNLOCKED, CONTENDED) === UNLOCKED;
    }
  }
}

/** Release the lock at word `w`; false if it was not locked. */
export function unlockWord(w: number): boolean {
  const i32 = wordsFor(w);
  // Fast path: locked and uncontended.
  if (Atomics.compareExchange(i32, w, LOCKED, UNLOCKED) === LOCKED) return true;
  for (;;) {
    const cur = Atomics.load(i32, w);
    if (cur === UNLOCKED) return false;
    if (Atomics.compareExchange(i32, w, cur, UNLOCKED) === cur) {
      if (cur === CONTENDED) futexWake(w, 1);
      return true;
    }
  }
}

/** Whether the lock at word `w` is held. */
export function isWordLocked(w: number): boolean {
  return Atomics.load(wordsFor(w), w) !== UNLOCKED;
}

/**
 * {@link lockWord} without a deadline, for hot paths that already hold a fixed view `i32`
 * covering `w` (queues): the uncontended case is one compare-exchange, inlined by V8.
 */
export function lockWordIn(i32: Int32Array, w: number, spins = DEFAULT_SPINS): void {
  if (Atomics.compareExchange(i32, w, UNLOCKED, LOCKED) === UNLOCKED) return;
  lockWord(w, Number.POSITIVE_INFINITY, spins);
}

/** {@link unlockWord} with the uncontended case done on the caller's view `i32`. */
export function unlockWordIn(i32: Int32Array, w: number): boolean {
  if (Atomics.compareExchange(i32, w, LOCKED, UNLOCKED) === LOCKED) return true;
  return unlockWord(w);
}
