/**
 * The containers' internal mutex, in one arena word that is also a version counter (a
 * seqlock), so that reads of plain values need not write to shared memory at all.
 *
 * Word layout: bit 0 = held, bit 1 = a thread may be parked on the word, bit 2 = a flag of
 * the container's ({@link SEQ_FLAG}: kept across lock and release; set by compare-exchange
 * while the lock is free, cleared by the holder through its release), bits 3… = the number
 * of releases so far. Writers take the lock as parking/word-lock.ts does (one
 * compare-exchange uncontended; a short spin, then park on the word); each release adds one
 * to the count and clears the held and parked bits. A reader loads the word, reads without the lock, and
 * loads the word again: if it was not held and has not changed, no writer ran in between and
 * what it read is consistent ({@link readBegin}, {@link readValid}). Readers must only read
 * what cannot throw or take counts on garbage (inline slots: shared/wire.ts `peekPlain`),
 * and must bound every loop by what they read, since a torn read may be anything.
 */
import { futexWait, futexWake } from '../parking/futex.js';

const HELD = 1;
/** The held bit of the word (a word with it set is taken). */
export const SEQ_HELD = HELD;
const PARKED = 2;
/** The parked bit of the word. */
export const SEQ_PARKED = PARKED;
/** The container's own bit in the word (containers/table.ts: in-place writers at work). */
export const SEQ_FLAG = 4;
const ONE_RELEASE = 8;
/** Spins before parking (a holder keeps the lock for well under a microsecond). */
const SPINS = 100;

/**
 * Take the lock at word `w` of `i32` (a view covering `w`). `guess` is the word as this
 * thread last left it (what {@link seqUnlock} returned; any number will do): when no other
 * thread used the lock since, one compare-exchange takes it. Returns the word as this thread
 * left it, for {@link seqUnlock}.
 */
export function seqLock(i32: Int32Array, w: number, guess: number): number {
  // `guess` is a released word (seqUnlock's result), so it never has HELD or PARKED set.
  // Callers tell the fast path by the result: `guess | HELD` (else someone used the word since).
  if (Atomics.compareExchange(i32, w, guess, guess | HELD) === guess) return guess | HELD;
  return lockSlow(i32, w);
}

function lockSlow(i32: Int32Array, w: number): number {
  for (let k = 0; k < SPINS; k++) {
    const v = Atomics.load(i32, w);
    if ((v & HELD) === 0 && Atomics.compareExchange(i32, w, v, v | HELD) === v) return v | HELD;
  }
  for (;;) {
    const v = Atomics.load(i32, w);
    if ((v & HELD) === 0) {
      // Taken after parking: keep PARKED set, since others may still be parked (as word-lock).
      const held = v | HELD | PARKED;
      if (Atomics.compareExchange(i32, w, v, held) === v) return held;
      continue;
    }
    if ((v & PARKED) === 0 && Atomics.compareExchange(i32, w, v, v | PARKED) !== v) continue;
    // Every release changes the word, so a release racing with this wait is never missed.
    futexWait(w, v | PARKED, Number.POSITIVE_INFINITY);
  }
}

/**
 * Release the lock at word `w`, which {@link seqLock} left as `held`: bump the release count
 * and wake one parked thread if any. Returns the word as released (the next `guess`). The
 * {@link SEQ_FLAG} bit is released as `held` has it (a holder clears it so).
 */
export function seqUnlock(i32: Int32Array, w: number, held: number): number {
  const next = (held + ONE_RELEASE) & ~(HELD | PARKED);
  // One exchange: the only change others make to a held word is setting PARKED (a thread
  // parking), which the old word then shows.
  if (Atomics.exchange(i32, w, next) & PARKED) futexWake(w, 1);
  return next;
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
