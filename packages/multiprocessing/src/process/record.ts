/**
 * Process records: 16 words of the arena per Process, so every thread of this process sees a
 * child the same way (a `join()` from any thread, `activeChildren()`, the exit hook on the
 * main thread). The root block (an arena root slot) holds the table of children, the name
 * counter and the record of the current process itself.
 *
 * Records are reference-counted shared objects (core shared/lifetime.ts), reused once nothing
 * names them: each Process handle (one per thread) holds a count, and so do the table of
 * children (while a record is listed) and the watcher of a started child (until its exit is
 * recorded). The records of the current process and of its parent are never freed.
 */
import {
  alloc,
  allocRecord,
  arena,
  defineLifetime,
  free,
  futexWake,
  lockWord,
  ROOTS,
  readStringSlot,
  recordRef,
  releaseRecord,
  retainRecord,
  root,
  stateSlot,
  unlockWord,
  writeStringSlot,
} from '@threadkit/core/internal';

import { exitCodeFromStatus, procStat } from '../os/proc.js';

export { recordRef, releaseRecord, retainRecord };

/** Word offsets inside a process record. */
export const PROC_RECORD = {
  state: 0, // INITIAL → STARTED → STOPPED; join() waits on it
  pid: 1,
  exitcode: 2, // valid once STOPPED
  flags: 3,
  lock: 4, // guards the name pointer
  name: 5,
  startTime: 6, // /proc start time (clock ticks), to recognise the pid after reuse
} as const;
const RECORD_BYTES = 64;

export const INITIAL = 0;
export const STARTED = 1;
export const STOPPED = 2;

export const F_DAEMON = 1;
/** The record of the current process itself (its `currentProcess()`). */
export const F_SELF = 2;
export const F_CLOSED = 4;
/** The main process of a program (`MainProcess`). */
export const F_MAIN = 8;
/** The parent process, seen from a child (`parentProcess()`). */
export const F_PARENT = 16;
/** A manager's server process: shut down before children are joined at exit. */
export const F_MANAGER = 32;

/**
 * Root slot of the arena claimed by @threadkit/multiprocessing (core uses the low slots; see
 * ROOTS in core's arena.ts).
 */
const MP_ROOT = ROOTS.multiprocessing;
const MP_STATE = {
  lock: 0,
  counter: 1,
  self: 2,
  parent: 3,
  table: 4,
  len: 5,
  cap: 6,
  identityLock: 7,
  identity: 8,
  startMethod: 9,
} as const;

function base(): number {
  return root(MP_ROOT, 16 * 4) >> 2;
}

const PROCESS_TAG = defineLifetime('mp.Process', {
  free(payload) {
    const name = arena().i32[(payload >> 2) + PROC_RECORD.name];
    if (name) free(name);
  },
});

/** A new zeroed record (a word index) with one count, the caller's (a handle's, or forever). */
export function newRecord(): number {
  return allocRecord(PROCESS_TAG, RECORD_BYTES);
}

export function word(rec: number, field: number): number {
  return Atomics.load(arena().i32, rec + field);
}

export function setWord(rec: number, field: number, value: number): void {
  Atomics.store(arena().i32, rec + field, value);
}

export function hasFlag(rec: number, flag: number): boolean {
  return (word(rec, PROC_RECORD.flags) & flag) !== 0;
}

export function setFlag(rec: number, flag: number, on: boolean): void {
  const i32 = arena().i32;
  if (on) Atomics.or(i32, rec + PROC_RECORD.flags, flag);
  else Atomics.and(i32, rec + PROC_RECORD.flags, ~flag);
}

export function readName(rec: number): string {
  return readStringSlot(rec + PROC_RECORD.lock, rec + PROC_RECORD.name);
}

export function writeName(rec: number, name: string): void {
  writeStringSlot(rec + PROC_RECORD.lock, rec + PROC_RECORD.name, name);
}

/** Record that the child ended with Python exit code `code` (first writer wins). */
export function markStopped(rec: number, code: number): void {
  const i32 = arena().i32;
  if (Atomics.load(i32, rec + PROC_RECORD.state) !== STARTED) return;
  Atomics.store(i32, rec + PROC_RECORD.exitcode, code);
  if (Atomics.compareExchange(i32, rec + PROC_RECORD.state, STARTED, STOPPED) === STARTED) {
    futexWake(rec + PROC_RECORD.state);
  }
}

/**
 * Check a started child without waiting: if it has become a zombie (ended, not yet reaped by
 * the event loop that forked it), take its exit status from /proc. Returns true once stopped.
 */
export function pollChild(rec: number): boolean {
  if (word(rec, PROC_RECORD.state) !== STARTED) return true;
  const st = procStat(word(rec, PROC_RECORD.pid));
  if (st && st.state === 'Z' && (st.startTime | 0) === word(rec, PROC_RECORD.startTime)) {
    markStopped(rec, exitCodeFromStatus(st.exitStatus));
  }
  return word(rec, PROC_RECORD.state) !== STARTED;
}

/** The next N of `Process-N` in this process. */
export function nextOrdinal(): number {
  return Atomics.add(arena().i32, base() + MP_STATE.counter, 1) + 1;
}

/** Python's `_identity` of this process, joined with ':' ('' in the main process). */
export function identity(): string {
  const b = base();
  return readStringSlot(b + MP_STATE.identityLock, b + MP_STATE.identity);
}

export function setIdentity(id: string): void {
  const b = base();
  writeStringSlot(b + MP_STATE.identityLock, b + MP_STATE.identity, id);
}

/** The record of the current process (created as `MainProcess` on first use in a program). */
export function selfRecord(): number {
  const b = base();
  const i32 = arena().i32;
  const existing = Atomics.load(i32, b + MP_STATE.self);
  if (existing) return existing;
  const rec = newRecord();
  writeName(rec, 'MainProcess');
  setWord(rec, PROC_RECORD.pid, process.pid);
  setWord(rec, PROC_RECORD.flags, F_SELF | F_MAIN);
  setWord(rec, PROC_RECORD.state, STARTED);
  const prev = Atomics.compareExchange(i32, b + MP_STATE.self, 0, rec);
  if (prev !== 0) releaseRecord(rec); // another thread set it up first
  return prev === 0 ? rec : prev;
}

/** Install the current process's record (in a child, before any user code runs). */
export function setSelfRecord(rec: number): void {
  Atomics.store(arena().i32, base() + MP_STATE.self, rec);
}

/** The parent's record in a child process (0 in a main process). */
export function parentRecord(): number {
  return Atomics.load(arena().i32, base() + MP_STATE.parent);
}

export function setParentRecord(rec: number): void {
  Atomics.store(arena().i32, base() + MP_STATE.parent, rec);
}

/** Add a started child to the table of this process's children (the table takes a count). */
export function addChild(rec: number): void {
  const b = base();
  const a = arena();
  const dropped: number[] = [];
  retainRecord(rec);
  lockWord(b + MP_STATE.lock, Number.POSITIVE_INFINITY);
  try {
    let len = a.i32[b + MP_STATE.len];
    let cap = a.i32[b + MP_STATE.cap];
    let table = a.i32[b + MP_STATE.table];
    // Drop records that are closed or were stopped and seen stopped (Python's _cleanup).
    if (len === cap) {
      let k = 0;
      for (let i = 0; i < len; i++) {
        const r = a.i32[(table >> 2) + i];
        if (a.i32[r + PROC_RECORD.state] === STARTED) a.i32[(table >> 2) + k++] = r;
        else dropped.push(r);
      }
      len = k;
    }
    if (len === cap) {
      const fresh = alloc(Math.max(16, cap * 2) * 4);
      for (let i = 0; i < len; i++) a.i32[(fresh >> 2) + i] = a.i32[(table >> 2) + i];
      if (table) free(table);
      table = fresh;
      cap = Math.max(16, cap * 2);
      a.i32[b + MP_STATE.table] = table;
      a.i32[b + MP_STATE.cap] = cap;
    }
    a.i32[(table >> 2) + len] = rec;
    a.i32[b + MP_STATE.len] = len + 1;
  } finally {
    unlockWord(b + MP_STATE.lock);
  }
  for (const r of dropped) releaseRecord(r);
}

/**
 * Run `fn` on the records of this process's children that were started and are not known to
 * have ended. They stay alive until `fn` returns (each holds a count taken under the lock).
 */
export function withLiveChildren<T>(fn: (records: readonly number[]) => T): T {
  const b = base();
  const a = arena();
  lockWord(b + MP_STATE.lock, Number.POSITIVE_INFINITY);
  const listed: number[] = [];
  try {
    const len = a.i32[b + MP_STATE.len];
    const table = a.i32[b + MP_STATE.table] >> 2;
    for (let i = 0; i < len; i++) {
      const r = a.i32[table + i];
      if (a.i32[r + PROC_RECORD.state] === STARTED) {
        retainRecord(r);
        listed.push(r);
      }
    }
  } finally {
    unlockWord(b + MP_STATE.lock);
  }
  try {
    return fn(listed.filter((r) => !pollChild(r)));
  } finally {
    for (const r of listed) releaseRecord(r);
  }
}

/** The start method word of this process (0 = not set yet). */
export function startMethodWord(): number {
  return base() + MP_STATE.startMethod;
}

const boot = stateSlot('mp.bootstrapping', () => ({ on: false }));

/** Mark this (child) process as bootstrapping: loading its target, not yet running it. */
export function setBootstrapping(on: boolean): void {
  boot.on = on;
}

/** Whether the current process is still loading its target (see {@link setBootstrapping}). */
export function bootstrapping(): boolean {
  return boot.on;
}
