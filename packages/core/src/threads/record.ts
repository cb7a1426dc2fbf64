/**
 * A thread's record: 16 words of the arena that every thread can read. It is what `join()`
 * waits on, what `enumerate()` lists and what a Thread handle in another thread points to.
 */
import { allocPermanent, arena } from '../memory/arena.js';
import { readStringSlot, writeStringSlot } from '../shared/arena-string.js';

/** Word offsets inside a record. */
export const RECORD = {
  state: 0, // INITIAL → ALIVE → STOPPED; join() waits on it
  ident: 1,
  nativeId: 2, // 0 until the thread has started running
  flags: 3,
  name: 4, // pointer to a name block (see writeName)
  lock: 5, // guards the name pointer
  failed: 6, // 1 if run() ended with an uncaught exception
  started: 7, // 1 once the worker has begun running the target
} as const;
export const RECORD_BYTES = 64;

export const INITIAL = 0;
export const ALIVE = 1;
export const STOPPED = 2;

export const F_DAEMON = 1;
export const F_DUMMY = 2;
export const F_MAIN = 4;
/** On the main record: the process is past joining its threads at exit (see exit.ts). */
export const F_FINALIZING = 8;

/** A new zeroed record (records are permanent: a stale handle can never read freed memory). */
export function newRecord(): number {
  return allocPermanent(RECORD_BYTES) >> 2;
}

export function recWord(rec: number, field: number): number {
  return Atomics.load(arena().i32, rec + field);
}

export function setRecWord(rec: number, field: number, value: number): void {
  Atomics.store(arena().i32, rec + field, value);
}

/** Store `name` in the record; safe against concurrent readers. */
export function writeName(rec: number, name: string): void {
  writeStringSlot(rec + RECORD.lock, rec + RECORD.name, name);
}

/** Read the record's name. */
export function readName(rec: number): string {
  return readStringSlot(rec + RECORD.lock, rec + RECORD.name);
}
