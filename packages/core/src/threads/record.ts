/**
 * A thread's record: 16 words of the arena that every thread can read. It is what `join()`
 * waits on, what `enumerate()` lists and what a Thread handle in another thread points to.
 *
 * Records are reference-counted shared objects (shared/lifetime.ts), so a finished thread's
 * record is reused once nothing names it. What holds a count: every Thread handle (one per
 * thread that has one, as for any shared object) and every encoded copy in flight; the
 * thread's *running* count, taken when it is registered and given back by whoever ends it
 * ({@link endRecord}); the diagnostics table of recent threads (a bounded number). Idents are
 * a counter (threads/counters.ts), never reused.
 */
import { arena, free } from '../memory/arena.js';
import { readStringSlot, writeStringSlot } from '../shared/arena-string.js';
import { allocRecord, defineLifetime } from '../shared/lifetime.js';

export { recordRef, releaseRecord, retainRecord } from '../shared/lifetime.js';

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
  // Words 8–13: diagnostics/blocked.ts's "blocked in" slot; word 12 is its stack string.
  blockedStack: 12,
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

const THREAD_TAG = defineLifetime('Thread', {
  free(payload) {
    const i32 = arena().i32;
    for (const word of [RECORD.name, RECORD.blockedStack]) {
      const ptr = i32[(payload >> 2) + word];
      if (ptr) free(ptr);
    }
  },
});

/**
 * A new zeroed record (a word index). It starts with one count, which the caller owns: a
 * handle's (given to `track`) or the running count of a thread that registers itself.
 */
export function newRecord(): number {
  return allocRecord(THREAD_TAG, RECORD_BYTES);
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
