/**
 * Who may notify a Condition: the threads that have a handle on it (the one that made it and
 * each one it reached). A Condition waiter can only be woken by one of them, so when all of
 * them are blocked for good the waiter is deadlocked (deadlock.ts). Written when a handle is
 * made — never on wait or notify — in {@link USER_WORDS} words after the Condition's queue.
 */
import { arena } from '../memory/arena.js';
import { currentIdent } from '../parking/current-thread.js';
import { RECORD, recWord } from '../threads/record.js';
import { withLiveRecords } from '../threads/registry.js';

/** Whether a thread with `ident` is live (registered). */
export function isLiveIdent(ident: number): boolean {
  return withLiveRecords((recs) => recs.some((r) => recWord(r, RECORD.ident) === ident));
}

/** Words of the users block: an "overflowed" flag, then one ident per slot. */
export const USER_WORDS = 8;
const OVERFLOW = 0;
const SLOTS = USER_WORDS - 1;

/**
 * Note the calling thread as a user of the block at word `at`. When every slot is taken by
 * another thread, a slot whose thread has ended is reused, else the block is marked
 * overflowed: then any thread may notify.
 */
export function noteUser(at: number): void {
  const i32 = arena().i32;
  const me = currentIdent();
  for (let i = 1; i <= SLOTS; i++) {
    const cur = Atomics.load(i32, at + i);
    if (cur === me) return;
    if (cur === 0 && Atomics.compareExchange(i32, at + i, 0, me) === 0) return;
  }
  if (Atomics.load(i32, at + OVERFLOW) !== 0) return; // already "anyone": nothing to add
  // Full: one look at the registry, then reuse the slot of a thread that has ended.
  const live = new Set(withLiveRecords((recs) => recs.map((r) => recWord(r, RECORD.ident))));
  for (let i = 1; i <= SLOTS; i++) {
    const cur = Atomics.load(i32, at + i);
    if (cur === me) return;
    if (!live.has(cur) && Atomics.compareExchange(i32, at + i, cur, me) === cur) return;
  }
  Atomics.store(i32, at + OVERFLOW, 1);
}

/** The idents noted in the users block at `at`, or null if it overflowed (anyone may). */
export function usersOf(at: number): number[] | null {
  const i32 = arena().i32;
  if (Atomics.load(i32, at + OVERFLOW) !== 0) return null;
  const out: number[] = [];
  for (let i = 1; i <= SLOTS; i++) {
    const ident = Atomics.load(i32, at + i);
    if (ident !== 0) out.push(ident);
  }
  return out;
}
