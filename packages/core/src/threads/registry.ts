/**
 * The thread registry: a table in the arena of the records of every live thread, so
 * `enumerate()` and `activeCount()` give the same picture from every thread without any
 * message passing (the main thread may be blocked in `join()` while others ask).
 */

import { existsSync, readlinkSync } from 'node:fs';
import { isMainThread, threadId } from 'node:worker_threads';
import { noteThreadRecord } from '../diagnostics/known-threads.js';
import { RuntimeError } from '../errors.js';
import { arena, ROOTS, root } from '../memory/arena.js';
import { current, setIdentSource } from '../parking/current-thread.js';
import { lockWord, unlockWord } from '../parking/word-lock.js';
import { nextDummyNumber, nextIdent } from './counters.js';
import {
  ALIVE,
  F_DAEMON,
  F_DUMMY,
  F_MAIN,
  newRecord,
  RECORD,
  recWord,
  releaseRecord,
  retainRecord,
  STOPPED,
  setRecWord,
  writeName,
} from './record.js';

const CAPACITY = 4096;
// Registry block: [lock, mainRecord, count, pad, slots...]
const G_LOCK = 0;
const G_MAIN = 1;
const G_SLOTS = 4;

function registryBase(): number {
  return root(ROOTS.registry, (G_SLOTS + CAPACITY) * 4) >> 2;
}

/**
 * Add a record to the registry (it is listed by enumerate() from now on). The caller hands
 * over one count on it: the thread's running count, given back by {@link endRecord}.
 */
export function register(rec: number): void {
  const base = registryBase();
  const i32 = arena().i32;
  lockWord(base + G_LOCK, Number.POSITIVE_INFINITY);
  try {
    for (let i = 0; i < CAPACITY; i++) {
      if (i32[base + G_SLOTS + i] === 0) {
        i32[base + G_SLOTS + i] = rec;
        noteThreadRecord(rec);
        return;
      }
    }
  } finally {
    unlockWord(base + G_LOCK);
  }
  throw new RuntimeError(`can't start new thread: more than ${CAPACITY} live threads`);
}

function unregister(rec: number): void {
  const base = registryBase();
  const i32 = arena().i32;
  lockWord(base + G_LOCK, Number.POSITIVE_INFINITY);
  for (let i = 0; i < CAPACITY; i++) {
    if (i32[base + G_SLOTS + i] === rec) {
      i32[base + G_SLOTS + i] = 0;
      break;
    }
  }
  unlockWord(base + G_LOCK);
}

/**
 * End an alive thread's record, once, whoever gets there first (its worker, its worker's
 * owner when the worker died): it leaves the registry, `join()` returns, and the running
 * count is given back (the record may be freed now: the caller must hold its own count, or
 * be done with it). Returns false if the thread had already ended.
 */
export function endRecord(rec: number): boolean {
  const i32 = arena().i32;
  if (Atomics.compareExchange(i32, rec + RECORD.state, ALIVE, STOPPED) !== ALIVE) return false;
  unregister(rec);
  Atomics.notify(i32, rec + RECORD.state);
  releaseRecord(rec);
  return true;
}

/**
 * Run `fn` on the records of every live thread, main first. They stay alive until `fn`
 * returns (each holds a count taken under the registry lock), even if their threads end.
 */
export function withLiveRecords<T>(fn: (records: readonly number[]) => T): T {
  const base = registryBase();
  const i32 = arena().i32;
  const out: number[] = [];
  const main = mainRecord();
  lockWord(base + G_LOCK, Number.POSITIVE_INFINITY);
  for (let i = 0; i < CAPACITY; i++) {
    const rec = i32[base + G_SLOTS + i];
    // A STOPPED thread's record is ending (endRecord has yet to unregister it): a joiner may
    // already have returned, and as in Python a joined thread is not listed. The main thread
    // stays listed once stopped at exit (exit.ts), as Python keeps it in `_active`.
    if (rec !== 0 && (rec === main || Atomics.load(i32, rec + RECORD.state) !== STOPPED)) {
      retainRecord(rec);
      out.push(rec);
    }
  }
  unlockWord(base + G_LOCK);
  try {
    out.sort((a, b) =>
      a === main ? -1 : b === main ? 1 : recWord(a, RECORD.ident) - recWord(b, RECORD.ident),
    );
    return fn(out);
  } finally {
    for (const rec of out) releaseRecord(rec);
  }
}

/** How many threads are alive (registered). */
export function liveCount(): number {
  const base = registryBase();
  const i32 = arena().i32;
  let n = 0;
  for (let i = 0; i < CAPACITY; i++) if (Atomics.load(i32, base + G_SLOTS + i) !== 0) n++;
  return n;
}

/** The OS thread id of the calling thread (Linux), else a stable stand-in. */
export function osThreadId(): number {
  try {
    const link = readlinkSync('/proc/thread-self'); // "PID/task/TID"
    const tid = Number(link.slice(link.lastIndexOf('/') + 1));
    if (tid > 0) return tid;
  } catch {}
  return process.pid * 1000 + threadId + 1;
}

export const hasProcThreadSelf = existsSync('/proc/thread-self');

/** Make `rec` the calling thread's record (0: none); caches its ident for getIdent(). */
export function setCurrentRecord(rec: number): void {
  current.rec = rec;
  current.ident = rec ? recWord(rec, RECORD.ident) : 0;
}

/**
 * The main thread's record, created by the main thread when it loads threadkit. When only
 * workers loaded it (Python: threading first imported from another thread), the first of them
 * to ask creates it, so that mainThread() and enumerate() still show the main thread (record 0
 * would be the arena's header).
 */
export function mainRecord(): number {
  const rec = Atomics.load(arena().i32, registryBase() + G_MAIN);
  if (rec !== 0 || isMainThread) return rec;
  initMainThread();
  return Atomics.load(arena().i32, registryBase() + G_MAIN);
}

function initMainThread(): void {
  const rec = newRecord();
  setRecWord(rec, RECORD.ident, nextIdent());
  // The main thread's OS thread id is the process id on Linux (osThreadId's fallback otherwise).
  const nativeId = isMainThread
    ? osThreadId()
    : hasProcThreadSelf
      ? process.pid
      : process.pid * 1000 + 1;
  setRecWord(rec, RECORD.nativeId, nativeId);
  setRecWord(rec, RECORD.flags, F_MAIN);
  setRecWord(rec, RECORD.started, 1);
  writeName(rec, 'MainThread');
  setRecWord(rec, RECORD.state, ALIVE);
  const base = registryBase();
  if (Atomics.compareExchange(arena().i32, base + G_MAIN, 0, rec) !== 0) {
    releaseRecord(rec); // another thread set it up first
    return;
  }
  register(rec);
  if (isMainThread) setCurrentRecord(rec);
}

/**
 * The calling thread's record. In a worker that threadkit did not start, this registers a
 * dummy thread (`Dummy-N`, daemon) that is removed when the worker exits.
 */
export function currentRecord(): number {
  if (current.rec) return current.rec;
  if (isMainThread) {
    if (!mainRecord()) initMainThread();
    setCurrentRecord(mainRecord());
    return current.rec;
  }
  const rec = newRecord();
  setRecWord(rec, RECORD.ident, nextIdent());
  setRecWord(rec, RECORD.nativeId, osThreadId());
  setRecWord(rec, RECORD.flags, F_DUMMY | F_DAEMON);
  setRecWord(rec, RECORD.started, 1);
  writeName(rec, `Dummy-${nextDummyNumber()}`);
  setRecWord(rec, RECORD.state, ALIVE);
  register(rec);
  setCurrentRecord(rec);
  process.once('exit', () => endRecord(rec));
  return rec;
}

/** `threading.get_ident()`: the calling thread's ident (non-zero). */
export function getIdent(): number {
  return current.ident || recWord(currentRecord(), RECORD.ident);
}

setIdentSource(() => recWord(currentRecord(), RECORD.ident));

/** `threading.get_native_id()`: the OS thread id of the calling thread. */
export function getNativeId(): number {
  return recWord(currentRecord(), RECORD.nativeId);
}

if (isMainThread) initMainThread();

/**
 * Register the calling worker as a named threadkit thread (not a dummy): used by executors'
 * and pools' workers so that `currentThread().name` is `<prefix>_<k>` inside a task. The
 * record is daemon (the owner decides when its workers end) and is removed when the worker
 * exits. Returns the record.
 */
export function adoptCurrentWorker(name: string, daemon = true): number {
  if (isMainThread) throw new RuntimeError('adoptCurrentWorker() is for worker threads');
  if (current.rec) {
    writeName(current.rec, name);
    return current.rec;
  }
  const rec = newRecord();
  setRecWord(rec, RECORD.ident, nextIdent());
  setRecWord(rec, RECORD.nativeId, osThreadId());
  setRecWord(rec, RECORD.flags, daemon ? F_DAEMON : 0);
  setRecWord(rec, RECORD.started, 1);
  writeName(rec, name);
  setRecWord(rec, RECORD.state, ALIVE);
  register(rec);
  setCurrentRecord(rec);
  process.once('exit', () => endRecord(rec));
  return rec;
}
