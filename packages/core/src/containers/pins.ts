/**
 * Pins: how a dict writer that does not take the table's mutex (an in-place replace of an
 * existing key's value, containers/table.ts `replacePlain`) keeps the table's blocks from
 * being freed or moved under it.
 *
 * One process-wide array of pin slots, 128 bytes apart so that threads pinning at once never
 * write the same cache line (or its prefetch pair); a thread uses slot `threadId % SLOTS`. To pin a table, a
 * writer puts the table's header offset in its slot (a compare-exchange from 0: a slot busy
 * with another thread of the same residue means "take the mutex instead"), then loads the
 * table's mutex word and backs off if it is held. A thread that holds the mutex and is about
 * to free, move or read every entry (a rebuild, a clear, a snapshot) first waits until no
 * slot names the table ({@link drain}). Both sides write, then read the other's word, with
 * sequentially consistent atomics, so at least one of them sees the other: either the writer
 * backs off, or the mutex holder waits for it. A pinned writer never waits for anything, so
 * a drain ends within a few hundred nanoseconds.
 */
import { threadId } from 'node:worker_threads';
import { ROOTS, root } from '../memory/arena.js';
import { wordsFor } from '../memory/views.js';

/** Pin slots (a thread beyond them shares a slot, and then sometimes takes the mutex). */
const SLOTS = 64;
/** Words between slots: 128 bytes, two cache lines (CPUs fetch lines in adjacent pairs). */
const SPACING = 32;

let first = -1; // word index of slot 0, once this thread has looked it up
const mine = threadId % SLOTS;

function slotWord(k: number): number {
  if (first < 0) first = root(ROOTS.containerPins, SLOTS * SPACING * 4) >> 2;
  return first + k * SPACING;
}

/**
 * Pin the table whose header is at byte `ptr` for this thread: the word to give to
 * {@link unpin}, or -1 when this thread's slot is in use (then the caller takes the mutex).
 */
export function pin(ptr: number): number {
  const w = slotWord(mine);
  return Atomics.compareExchange(wordsFor(w), w, 0, ptr) === 0 ? w : -1;
}

/** Drop the pin {@link pin} returned. */
export function unpin(w: number): void {
  Atomics.store(wordsFor(w), w, 0);
}

/**
 * With the table's mutex held: wait until no thread has the table at byte `ptr` pinned
 * (writers that pinned it before the mutex was taken finish; later ones back off).
 */
export function drain(ptr: number): void {
  const i32 = wordsFor(slotWord(SLOTS - 1));
  for (let k = 0; k < SLOTS; k++) {
    const w = slotWord(k);
    for (let spins = 0; Atomics.load(i32, w) === ptr; spins++) pause(spins);
  }
}

let nap: Int32Array | null = null;

/**
 * Wait a little for a thread inside a short lock-free step: spin first, then sleep in
 * microsecond naps (it may have been descheduled; nobody will wake us, so no futex wait).
 */
export function pause(spins: number): void {
  if (spins < 100) return;
  nap ??= new Int32Array(new SharedArrayBuffer(4));
  Atomics.wait(nap, 0, 0, spins < 1000 ? 0.001 : 0.05);
}
