/**
 * Who holds a Semaphore's permits, with diagnostics on: a small block of words after the
 * Semaphore's own, one slot per holding thread (its ident and how many permits it took).
 * Python lets any thread release a permit, so the block only tells the truth while permits
 * come back to the threads that took them; the first release by a thread that took none
 * (a Semaphore used as a signal) or a holder beyond the slots marks the block untracked for
 * good, and the deadlock finder then treats waiters on it as able to go on (never a false
 * report). Written only with diagnostics on: the uncontended Semaphore costs one branch more.
 */
import { wordsFor } from '../memory/views.js';
import { reportingIdent } from '../parking/current-thread.js';

/** Where the block starts among a Semaphore's words (after value, waiters and bound). */
export const SEMAPHORE_PERMITS = 3;

/** Words of the permits block: an "untracked" flag, then SLOTS × (ident, count). */
export const PERMIT_WORDS = 7;
const UNTRACKED = 0;
const SLOTS = 3;

/** The calling thread took `n` permits of the Semaphore whose permits block is at `at`. */
export function notePermitsTaken(at: number, n = 1): void {
  const i32 = wordsFor(at + PERMIT_WORDS - 1);
  if (Atomics.load(i32, at + UNTRACKED) !== 0) return;
  const me = reportingIdent();
  if (me === 0) return;
  for (let s = 0; s < SLOTS; s++) {
    const w = at + 1 + 2 * s;
    if (Atomics.load(i32, w) === me) {
      Atomics.add(i32, w + 1, n); // only its own thread changes a claimed slot's count
      return;
    }
  }
  for (let s = 0; s < SLOTS; s++) {
    const w = at + 1 + 2 * s;
    if (Atomics.load(i32, w) === 0 && Atomics.compareExchange(i32, w, 0, me) === 0) {
      Atomics.store(i32, w + 1, n);
      return;
    }
  }
  Atomics.store(i32, at + UNTRACKED, 1); // more holders than slots
}

/** The calling thread gave back `n` permits: from its own slot, else the block is untracked. */
export function notePermitsGiven(at: number, n: number): void {
  const i32 = wordsFor(at + PERMIT_WORDS - 1);
  if (Atomics.load(i32, at + UNTRACKED) !== 0) return;
  const me = reportingIdent();
  for (let s = 0; s < SLOTS; s++) {
    const w = at + 1 + 2 * s;
    if (me === 0 || Atomics.load(i32, w) !== me) continue;
    const held = Atomics.load(i32, w + 1);
    if (held > n) {
      Atomics.sub(i32, w + 1, n);
      return;
    }
    Atomics.store(i32, w + 1, 0);
    Atomics.store(i32, w, 0); // the slot is free again
    if (held === n) return;
    break; // gave back more than it took: some came from another thread's permits
  }
  Atomics.store(i32, at + UNTRACKED, 1);
}

/** A thread holding permits, and how many. */
export interface PermitHolder {
  ident: number;
  count: number;
}

/** The holders recorded in the block at `at`, or null when it is untracked. */
export function permitHoldersOf(at: number): PermitHolder[] | null {
  const i32 = wordsFor(at + PERMIT_WORDS - 1);
  if (Atomics.load(i32, at + UNTRACKED) !== 0) return null;
  const out: PermitHolder[] = [];
  for (let s = 0; s < SLOTS; s++) {
    const w = at + 1 + 2 * s;
    const ident = Atomics.load(i32, w);
    const count = Atomics.load(i32, w + 1);
    if (ident !== 0 && count > 0) out.push({ ident, count });
  }
  return out;
}
