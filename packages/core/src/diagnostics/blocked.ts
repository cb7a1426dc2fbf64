/**
 * The per-thread "blocked in" slot: words 8–13 of the calling thread's record (see
 * threads/record.ts), written just before the thread parks and cleared when it wakes, so a
 * dump or the deadlock finder in any thread can read what every thread waits for.
 */
import { arena } from '../memory/arena.js';
import { current, currentIdent } from '../parking/current-thread.js';
import { readStringSlot, writeStringSlot } from '../shared/arena-string.js';
import { diagnostics } from './switch.js';

/** Word offsets inside a thread record (after threads/record.ts's RECORD fields). */
export const BLOCKED = {
  kind: 8, // a BlockKind code, 0 = not blocked
  object: 9, // the object's first arena word (its id, the same from every thread)
  flags: 10, // F_TIMED
  since: 11, // Date.now() mod 2^31 when the wait began
  stack: 12, // pointer to the stack string (diagnostics on)
  stackLock: 13,
} as const;

export const F_TIMED = 1;

/** What a thread is blocked in; index = the code stored in the record. */
export const BLOCK_KINDS = [
  '',
  'Lock.acquire',
  'RLock.acquire',
  'Thread.join',
  'Semaphore.acquire',
  'Condition.wait',
  'Event.wait',
  'Barrier.wait',
  'Queue.get',
  'Queue.put',
  'sleep',
  'Queue.join',
] as const;
/** The kinds of blocking call a thread can be parked in (`'Lock.acquire'`, `'Queue.get'`…). */
export type BlockKind = Exclude<(typeof BLOCK_KINDS)[number], ''>;

export const LOCK_ACQUIRE = 1;
export const RLOCK_ACQUIRE = 2;
export const THREAD_JOIN = 3;
export const SEMAPHORE_ACQUIRE = 4;
export const CONDITION_WAIT = 5;
export const EVENT_WAIT = 6;
export const QUEUE_GET = 8;
export const QUEUE_PUT = 9;
export const SLEEP = 10;
export const QUEUE_JOIN = 11;

/** Milliseconds clock that fits a word; differences are taken mod 2^31. */
export function nowWord(): number {
  return Date.now() % 0x7fffffff;
}

/** Record that the calling thread is about to park in `kind` on `object`. */
export function enterBlocked(kind: number, object: number, timed: boolean): void {
  if (current.rec === 0) currentIdent(); // registers the thread (a dummy, for a foreign worker)
  const rec = current.rec;
  const i32 = arena().i32;
  if (diagnostics.on) {
    const stack = (new Error().stack ?? '').split('\n').slice(3).join('\n');
    writeStringSlot(rec + BLOCKED.stackLock, rec + BLOCKED.stack, stack);
  }
  Atomics.store(i32, rec + BLOCKED.object, object);
  Atomics.store(i32, rec + BLOCKED.flags, timed ? F_TIMED : 0);
  Atomics.store(i32, rec + BLOCKED.since, nowWord());
  Atomics.store(i32, rec + BLOCKED.kind, kind); // last: readers see a complete entry
}

/** Run `park` (a blocking wait) shown in dumps as blocked in `kind` on `object`. */
export function parkedIn<T>(kind: number, object: number, timed: boolean, park: () => T): T {
  enterBlocked(kind, object, timed);
  try {
    return park();
  } finally {
    leaveBlocked();
  }
}

/** The calling thread woke up (acquired, timed out or threw). */
export function leaveBlocked(): void {
  const rec = current.rec;
  if (rec !== 0) Atomics.store(arena().i32, rec + BLOCKED.kind, 0);
}

/** The stack recorded with the thread's current or last blocking call ('' if none). */
export function blockedStack(rec: number): string {
  return Atomics.load(arena().i32, rec + BLOCKED.stack) === 0
    ? ''
    : readStringSlot(rec + BLOCKED.stackLock, rec + BLOCKED.stack);
}
