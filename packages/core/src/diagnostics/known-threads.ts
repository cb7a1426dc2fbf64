/**
 * Recent threads by ident, so a lock whose holder has ended can still be shown as held by that
 * thread's name: this table keeps the record of each of the last {@link SLOTS} idents
 * registered (ident mod SLOTS), holding a count on each (threads/record.ts) so that it is not
 * reused while listed here. A bounded number: a program that starts threads stays flat.
 */
import { arena, ROOTS, root } from '../memory/arena.js';
import { lockWord, unlockWord } from '../parking/word-lock.js';
import { RECORD, readName, recWord, releaseRecord, retainRecord } from '../threads/record.js';

const SLOTS = 1024;
const LOCK = SLOTS; // guards the slots: a reader must not see a record being released

function table(): number {
  return root(ROOTS.knownThreads, (SLOTS + 1) * 4) >> 2;
}

/** Remember `rec` under its ident (called as a thread registers; the caller holds a count). */
export function noteThreadRecord(rec: number): void {
  const ident = recWord(rec, RECORD.ident);
  const t = table();
  const i32 = arena().i32;
  retainRecord(rec);
  lockWord(t + LOCK, Number.POSITIVE_INFINITY);
  const old = i32[t + (ident % SLOTS)];
  i32[t + (ident % SLOTS)] = rec;
  unlockWord(t + LOCK);
  if (old) releaseRecord(old);
}

/** The name of the thread with `ident`, live or ended, if it is still known. */
export function nameOfIdent(ident: number): string | null {
  const t = table();
  lockWord(t + LOCK, Number.POSITIVE_INFINITY);
  try {
    const rec = arena().i32[t + (ident % SLOTS)];
    return rec !== 0 && recWord(rec, RECORD.ident) === ident ? readName(rec) : null;
  } finally {
    unlockWord(t + LOCK);
  }
}
