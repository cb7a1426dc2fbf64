/**
 * Recent threads by ident, so a lock whose holder has ended can still be shown as held by that
 * thread's name: thread records are permanent (threads/record.ts), and this table keeps the
 * record of each of the last {@link SLOTS} idents registered (ident mod SLOTS).
 */
import { arena, ROOTS, root } from '../memory/arena.js';
import { RECORD, readName, recWord } from '../threads/record.js';

const SLOTS = 1024;

function table(): number {
  return root(ROOTS.knownThreads, SLOTS * 4) >> 2;
}

/** Remember `rec` under its ident (called as a thread registers). */
export function noteThreadRecord(rec: number): void {
  const ident = recWord(rec, RECORD.ident);
  Atomics.store(arena().i32, table() + (ident % SLOTS), rec);
}

/** The name of the thread with `ident`, live or ended, if it is still known. */
export function nameOfIdent(ident: number): string | null {
  const rec = Atomics.load(arena().i32, table() + (ident % SLOTS));
  return rec !== 0 && recWord(rec, RECORD.ident) === ident ? readName(rec) : null;
}
