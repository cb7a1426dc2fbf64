/**
 * `dumpThreads()` and `formatThreadDump()`: every live thread's record and "blocked in" slot,
 * read from shared memory, so they work from any thread even while others are blocked.
 */
import { arena } from '../memory/arena.js';
import { current, currentIdent } from '../parking/current-thread.js';
import { QUEUE_WORDS } from '../parking/waiters.js';
import { permitHoldersOf, SEMAPHORE_PERMITS } from '../sync/permits.js';
import { locksHeldBy } from '../threads/held-at-end.js';
import {
  ALIVE,
  F_DAEMON,
  F_DUMMY,
  F_MAIN,
  INITIAL,
  RECORD,
  readName,
  recWord,
} from '../threads/record.js';
import { withLiveRecords } from '../threads/registry.js';
import {
  BLOCK_KINDS,
  BLOCKED,
  type BlockKind,
  blockedStack,
  CONDITION_WAIT,
  F_TIMED,
  nowWord,
  SEMAPHORE_ACQUIRE,
  SLEEP,
} from './blocked.js';
import { holderOf } from './holders.js';
import { nameOfIdent } from './known-threads.js';
import { nameOfObject } from './names.js';
import { processName, taskOf } from './task.js';
import { isLiveIdent, usersOf } from './users.js';

/** The object a thread is blocked on. */
export interface BlockedOn {
  /** The blocking call, e.g. `'Lock.acquire'`, `'Thread.join'`. */
  kind: BlockKind;
  /** The object's type: `'Lock'`, `'RLock'`, `'Thread'`. */
  type: string;
  /** The object's id: its first arena word, the same from every thread. */
  id: number;
  /** Whether the wait has a timeout. */
  timed: boolean;
  /** Milliseconds since the wait began. */
  forMs: number;
  /**
   * Ident of the thread that holds the object (for a join, the joined thread; for a
   * Semaphore, the first of {@link holders}), if known.
   */
  holder: number | null;
  /** That thread's name (also for a holder that has ended), if known. */
  holderName: string | null;
  /** Whether the holder has ended (it ended holding the lock; for a Semaphore, all holders). */
  holderEnded: boolean;
  /**
   * For a `Semaphore.acquire` with diagnostics on: the idents of the threads holding its
   * permits, when known (absent when not recorded, or once a permit was released by a thread
   * that took none: then the Semaphore is a signal and anyone may release it).
   */
  holders?: number[];
  /**
   * For a `Condition.wait`: the idents of the other live threads that may notify it (those
   * with a handle on the Condition), or `'any'` if more threads had one than are tracked.
   * Absent for other waits.
   */
  notifiers?: number[] | 'any';
  /** The name given to the object with `nameForDumps()`, or null. */
  name: string | null;
}

/** An object as dumps show it: `<Lock #812>`, or `<Lock #812 "fork 3">` once named. */
export function objectText(b: Pick<BlockedOn, 'type' | 'id' | 'name'>): string {
  return `<${b.type} #${b.id}${b.name === null ? '' : ` ${JSON.stringify(b.name)}`}>`;
}

/** A lock a thread holds, in {@link ThreadInfo.holds}. */
export interface HeldObject {
  /** `'Lock'` or `'RLock'`. */
  type: string;
  /** Its id (its first arena word, as in {@link BlockedOn.id}). */
  id: number;
  /** The name given with `nameForDumps()`, or null. */
  name: string | null;
}

/** The task a @threadkit/pool thread runs, in {@link ThreadInfo.task}. */
export interface RunningTask {
  /** The target's name (`'task'` for an anonymous one). */
  name: string;
  /** With diagnostics on: milliseconds since it began (else null). */
  forMs: number | null;
}

/** One thread in a {@link dumpThreads} result. */
export interface ThreadInfo {
  /** The thread's name. */
  name: string;
  /** `threading.get_ident()` of the thread. */
  ident: number;
  /** The OS thread id. */
  nativeId: number;
  /** Whether it is a daemon thread. */
  daemon: boolean;
  /** `'main'`, `'dummy'` or `'started'`. */
  role: 'main' | 'dummy' | 'started';
  /** Its life-cycle state. */
  state: 'initial' | 'alive' | 'stopped';
  /** What the thread is blocked in now, or null if it is running. */
  blockedOn: BlockedOn | null;
  /** With diagnostics on: where the blocking call was made. */
  stack: string | null;
  /**
   * Locks it holds: for the thread taking the dump, every Lock/RLock it holds (and, with
   * diagnostics on, the Semaphores whose permits it holds); for the others, those another
   * thread waits for (no thread can list another's handles).
   */
  holds: HeldObject[];
  /**
   * For a @threadkit/pool thread: the task it runs (its target's name) and, with diagnostics
   * on, for how many milliseconds (else null).
   */
  task: RunningTask | null;
}

/** A snapshot of every live thread, main first. */
export interface ThreadDump {
  /** When the dump was taken. */
  time: Date;
  /** The process's id. */
  pid: number;
  /** In a @threadkit/multiprocessing child: its Process's name (else null). */
  processName: string | null;
  /** One entry per live thread, main first. */
  threads: ThreadInfo[];
}

const TYPE_OF: Record<string, string> = {
  'Lock.acquire': 'Lock',
  'RLock.acquire': 'RLock',
  'Thread.join': 'Thread',
  'Semaphore.acquire': 'Semaphore',
  'Condition.wait': 'Condition',
  'Event.wait': 'Event',
  'Queue.get': 'Queue',
  'Queue.put': 'Queue',
  'Queue.join': 'Queue',
  sleep: 'sleep',
};

/** What thread record `rec` is blocked in, or null. */
export function blockedOn(rec: number): BlockedOn | null {
  const i32 = arena().i32;
  const code = Atomics.load(i32, rec + BLOCKED.kind);
  if (code === 0) return null;
  const kind = BLOCK_KINDS[code] as BlockKind;
  const id = Atomics.load(i32, rec + BLOCKED.object);
  const since = Atomics.load(i32, rec + BLOCKED.since);
  const permits = code === SEMAPHORE_ACQUIRE ? permitHoldersOf(id + SEMAPHORE_PERMITS) : null;
  const holders = permits?.map((h) => h.ident) ?? [];
  const holder =
    code === SEMAPHORE_ACQUIRE
      ? (holders.find(isLiveIdent) ?? holders[0] ?? 0)
      : holderOf(code, id, (r) => recWord(r, RECORD.ident));
  const info: BlockedOn = {
    kind,
    type: TYPE_OF[kind] ?? kind.split('.')[0],
    id,
    timed: (Atomics.load(i32, rec + BLOCKED.flags) & F_TIMED) !== 0,
    forMs: (nowWord() - since + 0x7fffffff) % 0x7fffffff,
    holder: holder === 0 ? null : holder,
    holderName: holder === 0 ? null : nameOfIdent(holder),
    holderEnded: holder !== 0 && kind !== 'Thread.join' && !isLiveIdent(holder),
    name: code === SLEEP ? null : nameOfObject(id),
  };
  if (holders.length > 0) info.holders = holders;
  if (code === CONDITION_WAIT) info.notifiers = notifiersOf(id, recWord(rec, RECORD.ident));
  return info;
}

/** The other live threads with a handle on the Condition whose queue is at `q`. */
function notifiersOf(q: number, self: number): number[] | 'any' {
  const users = usersOf(q + QUEUE_WORDS);
  return users === null ? 'any' : users.filter((u) => u !== self && isLiveIdent(u));
}

/** One thread's entry. */
export function threadInfo(rec: number): ThreadInfo {
  const flags = recWord(rec, RECORD.flags);
  const state = recWord(rec, RECORD.state);
  const on = blockedOn(rec);
  return {
    name: readName(rec),
    ident: recWord(rec, RECORD.ident),
    nativeId: recWord(rec, RECORD.nativeId),
    daemon: (flags & F_DAEMON) !== 0,
    role: flags & F_MAIN ? 'main' : flags & F_DUMMY ? 'dummy' : 'started',
    state: state === INITIAL ? 'initial' : state === ALIVE ? 'alive' : 'stopped',
    blockedOn: on,
    stack: on ? blockedStack(rec) || null : null,
    task: taskOf(rec),
    holds: [],
  };
}

/**
 * Every live thread of the process (main, started and dummy threads): name, ident, native
 * id, daemon flag, state, and what it is blocked in now (the call, the object's type and id,
 * for how long, and who holds the object). With diagnostics on (`enableDiagnostics()` or
 * THREADKIT_DIAGNOSTICS=1) each entry also has the stack of its blocking call. Works from any
 * thread, including while the main thread is blocked.
 */
export function dumpThreads(): ThreadDump {
  const threads = withLiveRecords((recs) => recs.map(threadInfo));
  const byIdent = new Map(threads.map((t) => [t.ident, t]));
  const me = byIdent.get(currentIdent());
  if (me && current.rec !== 0) {
    for (const h of locksHeldBy(current.rec))
      me.holds.push({ type: h.type, id: h.id, name: nameOfObject(h.id) });
  }
  for (const t of threads) {
    const b = t.blockedOn;
    if (!b || b.holder === null || b.kind === 'Thread.join') continue;
    for (const ident of b.holders ?? [b.holder]) {
      const holder = byIdent.get(ident);
      if (holder && !holder.holds.some((h) => h.id === b.id))
        holder.holds.push({ type: b.type, id: b.id, name: b.name });
    }
  }
  return { time: new Date(), pid: process.pid, processName: processName(), threads };
}

function describe(t: ThreadInfo, byIdent: Map<number, ThreadInfo>): string[] {
  const head = `"${t.name}" #${t.ident} nid=${t.nativeId}${t.daemon ? ' daemon' : ''} ${t.role}`;
  const b = t.blockedOn;
  const ms = t.task?.forMs;
  const holds = t.holds.map(
    (h) => `   - holds ${objectText({ type: h.type, id: h.id, name: h.name })}`,
  );
  const task = t.task
    ? [`   Running task ${t.task.name}${ms == null ? '' : ` for ${(ms / 1000).toFixed(3)} s`}`]
    : [];
  if (!b) return [head, '   State: RUNNABLE', ...holds, ...task];
  const holder = b.holder === null ? null : byIdent.get(b.holder);
  const held =
    b.holder === null || b.kind === 'Thread.join'
      ? ''
      : `, held by ${(b.holders ?? [b.holder]).map((i) => holderText(i, b, byIdent)).join(', ')}`;
  const lines = [
    head,
    `   State: ${b.timed ? 'TIMED_WAITING' : 'WAITING'} in ${b.kind} for ${(b.forMs / 1000).toFixed(3)} s`,
    `   - waiting on ${objectText(b)}${b.kind === 'Thread.join' && holder ? ` ("${holder.name}")` : ''}${held}`,
    ...holds,
    ...task,
  ];
  if (b.notifiers !== undefined)
    lines.push(`   - may be notified by ${notifierList(b.notifiers, byIdent)}`);
  if (t.stack)
    for (const line of t.stack.split('\n'))
      lines.push(`  ${line.trim() ? `  ${line.trim()}` : ''}`);
  return lines;
}

/** A holder as `"name" #ident`, marked `(ended)` when it has ended. */
function holderText(ident: number, b: BlockedOn, byIdent: Map<number, ThreadInfo>): string {
  const t = byIdent.get(ident);
  const name = t?.name ?? (ident === b.holder ? b.holderName : nameOfIdent(ident)) ?? '?';
  return `"${name}" #${ident}${t ? '' : ' (ended)'}`;
}

function notifierList(n: number[] | 'any', byIdent: Map<number, ThreadInfo>): string {
  if (n === 'any') return 'any thread';
  if (n.length === 0) return 'no other live thread';
  return n.map((i) => `"${byIdent.get(i)?.name ?? nameOfIdent(i) ?? '?'}" #${i}`).join(', ');
}

/** Render a dump (default: a fresh {@link dumpThreads}) as text, in the manner of jstack. */
export function formatThreadDump(dump: ThreadDump = dumpThreads()): string {
  const byIdent = new Map(dump.threads.map((t) => [t.ident, t]));
  const of = dump.processName === null ? '' : `of process "${dump.processName}" `;
  const parts = [
    `Thread dump ${of}${dump.time.toISOString()} pid ${dump.pid} (${dump.threads.length} threads):`,
  ];
  for (const t of dump.threads) parts.push('', ...describe(t, byIdent));
  return `${parts.join('\n')}\n`;
}
