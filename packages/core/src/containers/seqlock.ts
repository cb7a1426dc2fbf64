/**
 * The containers' internal mutex, in one arena word that is also a version counter (a
 * seqlock), so that reads of plain values need not write to shared memory at all.
 *
 * Word layout: bit 0 = held, bit 1 = a thread may be parked on the word, bits 2… = the
 * number of releases so far. Writers take the lock as parking/word-lock.ts does (one
 * compare-exchange uncontended; a short spin, then park on the word); each release adds one
 * to the count and clears both bits. A reader loads the word, reads without the lock, and
 * loads the word again: if it was not held and has not changed, no writer ran in between and
 * what it read is consistent ({@link readBegin}, {@link readValid}). Readers must only read
 * what cannot throw or take counts on garbage (inline slots: shared/wire.ts `peekPlain`),
 * and must bound every loop by what they read, since a torn read may be anything.
 */
import { futexWait, futexWake } from '../parking/futex.js';

const HELD = 1;
const PARKED = 2;
const ONE_RELEASE = 4;
/** Spins before parking (a holder keeps the lock for well under a microsecond). */
const SPINS = 100;

/** Take the lock at word `w` of `i32` (a view covering `w`). */
export function seqLock(i32: Int32Array, w: number): void {
  const v = Atomics.load(i32, w);
  if ((v & HELD) === 0 && Atomics.compareExchange(i32, w, v, v | HELD) === v) return;
  lockSlow(i32, w);
}

function lockSlow(i32: Int32Array, w: number): void {
  for (let k = 0; k < SPINS; k++) {
    const v = Atomics.load(i32, w);
    if ((v & HELD) === 0 && Atomics.compareExchange(i32, w, v, v | HELD) === v) return;
  }
  for (;;) {
    const v = Atomics.load(i32, w);
    if ((v & HELD) === 0) {
      // Taken after parking: keep PARKED set, since others may still be parked (as word-lock).
      if (Atomics.compareExchange(i32, w, v, v | HELD | PARKED) === v) return;
      continue;
    }
    if ((v & PARKED) === 0 && Atomics.compareExchange(i32, w, v, v | PARKED) !== v) continue;
    // Every release changes the word, so a release racing with this wait is never missed.
    futexWait(w, v | PARKED, Number.POSITIVE_INFINITY);
  }
}

/** Release the lock at word `w` (held by this thread), waking one parked thread if any. */
export function seqUnlock(i32: Int32Array, w: number): void {
  for (;;) {
    // Only parking threads change the word while it is held (they set PARKED).
    const v = Atomics.load(i32, w);
    if (Atomics.compareExchange(i32, w, v, (v + ONE_RELEASE) & ~(HELD | PARKED)) === v) {
      if (v & PARKED) futexWake(w, 1);
      return;
    }
  }
}

/** Start an optimistic read: the word to pass to {@link readValid}, or -1 if a writer holds it. */
export function readBegin(i32: Int32Array, w: number): number {
  const v = Atomics.load(i32, w);
  return v & HELD ? -1 : v;
}

/** Whether nothing was written since {@link readBegin} returned `v` (so the read holds). */
export function readValid(i32: Int32Array, w: number, v: number): boolean {
  return Atomics.load(i32, w) === v;
}
