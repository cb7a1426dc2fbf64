/**
 * Who holds a lock, read from shared memory. An RLock records its owner (its second word);
 * a Lock records its acquirer there on every acquire — one plain store, ≈2 % of the
 * uncontended fast path, so it is always on (docs/CONTRACT.md §3 "Diagnostics"); `release()`
 * clears it before unlocking (whoever releases), so it is read only while locked and is 0
 * between the next acquirer's compare-exchange and its store.
 */
import { wordsFor } from '../memory/views.js';
import { reportingIdent } from '../parking/current-thread.js';
import { LOCK_ACQUIRE, RLOCK_ACQUIRE, THREAD_JOIN } from './blocked.js';

/** Record the calling thread as the acquirer of the Lock at word `w`. */
export function noteHolder(w: number): void {
  Atomics.store(wordsFor(w + 1), w + 1, reportingIdent());
}

/**
 * The ident of the thread that holds (or, for a join, is) the object a thread waits for in
 * `kind`, 0 if unknown or free. `recIdent` reads a thread record's ident.
 */
export function holderOf(kind: number, object: number, recIdent: (rec: number) => number): number {
  if (kind === LOCK_ACQUIRE || kind === RLOCK_ACQUIRE) {
    const i32 = wordsFor(object + 1);
    if (Atomics.load(i32, object) === 0) return 0;
    return Atomics.load(i32, object + 1);
  }
  if (kind === THREAD_JOIN) return recIdent(object);
  return 0;
}
