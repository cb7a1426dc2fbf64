/**
 * The note on stderr when a thread ends still holding a lock (docs/CONTRACT.md §3
 * "Diagnostics"): an RLock it owns — no other thread can ever release it, so whoever waits
 * for it waits forever — or a Lock it acquired and never released, or (with diagnostics on,
 * when Semaphores record who holds their permits) permits it took and never gave back; any
 * thread may still release those two, as in Python. Checked once, as the thread ends, over
 * the lock handles the thread has.
 */
import { wordsFor } from '../memory/views.js';
import { OBJECT_HEADER, reachableHandles } from '../shared/lifetime.js';
import { permitHoldersOf, SEMAPHORE_PERMITS } from '../sync/permits.js';
import { writeWhole } from './output.js';
import { RECORD, readName, recWord } from './record.js';

/**
 * A lock a thread holds: its type, id (first arena word) and its depth (an RLock's
 * recursion depth, a Semaphore's permits held by that thread, 1 for a Lock).
 */
export interface HeldLock {
  type: 'Lock' | 'RLock' | 'Semaphore' | 'BoundedSemaphore';
  id: number;
  depth: number;
}

/** The locks that the thread of record `rec` holds now, among this thread's handles. */
export function locksHeldBy(rec: number): HeldLock[] {
  const ident = recWord(rec, RECORD.ident);
  const held: HeldLock[] = [];
  for (const { ref, type } of reachableHandles()) {
    if (type === 'Semaphore' || type === 'BoundedSemaphore') {
      const w = (ref + OBJECT_HEADER) >> 2;
      const mine = permitHoldersOf(w + SEMAPHORE_PERMITS)?.find((h) => h.ident === ident);
      if (mine) held.push({ type, id: w, depth: mine.count });
      continue;
    }
    if (type !== 'RLock' && type !== 'Lock') continue;
    // Both keep the futex word first and the owner (acquirer) ident second; RLock its depth third.
    const w = (ref + OBJECT_HEADER) >> 2;
    const i32 = wordsFor(w + 2);
    if (Atomics.load(i32, w) === 0 || Atomics.load(i32, w + 1) !== ident) continue;
    held.push({ type, id: w, depth: type === 'RLock' ? Atomics.load(i32, w + 2) : 1 });
  }
  return held;
}

/** As the thread of record `rec` ends: say on stderr which locks it still holds, if any. */
export function reportLocksHeldAtEnd(rec: number): void {
  try {
    const held = locksHeldBy(rec).map((h) =>
      h.type === 'RLock'
        ? `<RLock #${h.id}> (depth ${h.depth})`
        : h.type === 'Lock'
          ? `<Lock #${h.id}>`
          : `${h.depth} permit${h.depth === 1 ? '' : 's'} of <${h.type} #${h.id}>`,
    );
    if (held.length === 0) return;
    const rlock = held.some((h) => h.startsWith('<RLock'));
    writeWhole(
      2,
      `threadkit: thread "${readName(rec)}" #${recWord(rec, RECORD.ident)} ended holding ${held.join(', ')}` +
        `${rlock ? '; an RLock whose owner has ended can never be released' : ''}\n`,
    );
  } catch {
    // A diagnostic: it must never stop a thread from ending.
  }
}
