/**
 * `dumpThreads()` and `formatThreadDump()`: every live thread's record and "blocked in" slot,
 * read from shared memory, so they work from any thread even while others are blocked.
 */
import { arena } from '../memory/arena.js';
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
import { BLOCK_KINDS, BLOCKED, type BlockKind, blockedStack, F_TIMED, nowWord } from './blocked.js';
import { holderOf } from './holders.js';
import { nameOfIdent } from './known-threads.js';

function isLive(ident: number): boolean {
  return withLiveRecords((recs) => recs.some((r) => recWord(r, RECORD.ident) === ident));
}

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
  /** Ident of the thread that holds the object (for a join, the joined thread), if known. */
  holder: number | null;
  /** That thread's name (also for a holder that has ended), if known. */
  holderName: string | null;
  /** Whether the holder has ended (it ended holding the lock). */
  holderEnded: boolean;
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
}

/** A snapshot of every live thread, main first. */
export interface ThreadDump {
  /** When the dump was taken. */
  time: Date;
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
  const holder = holderOf(code, id, (r) => recWord(r, RECORD.ident));
  return {
    kind,
    type: TYPE_OF[kind] ?? kind.split('.')[0],
    id,
    timed: (Atomics.load(i32, rec + BLOCKED.flags) & F_TIMED) !== 0,
    forMs: (nowWord() - since + 0x7fffffff) % 0x7fffffff,
    holder: holder === 0 ? null : holder,
    holderName: holder === 0 ? null : nameOfIdent(holder),
    holderEnded: holder !== 0 && kind !== 'Thread.join' && !isLive(holder),
  };
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
  return { time: new Date(), threads: withLiveRecords((recs) => recs.map(threadInfo)) };
}

function describe(t: ThreadInfo, byIdent: Map<number, ThreadInfo>): string[] {
  const head = `"${t.name}" #${t.ident} nid=${t.nativeId}${t.daemon ? ' daemon' : ''} ${t.role}`;
  const b = t.blockedOn;
  if (!b) return [head, '   State: RUNNABLE'];
  const holder = b.holder === null ? null : byIdent.get(b.holder);
  const held =
    b.holder === null
      ? ''
      : b.kind === 'Thread.join'
        ? ''
        : `, held by "${b.holderName ?? '?'}" #${b.holder}${b.holderEnded ? ' (ended)' : ''}`;
  const lines = [
    head,
    `   State: ${b.timed ? 'TIMED_WAITING' : 'WAITING'} in ${b.kind} for ${(b.forMs / 1000).toFixed(3)} s`,
    `   - waiting on <${b.type} #${b.id}>${b.kind === 'Thread.join' && holder ? ` ("${holder.name}")` : ''}${held}`,
  ];
  if (t.stack)
    for (const line of t.stack.split('\n'))
      lines.push(`  ${line.trim() ? `  ${line.trim()}` : ''}`);
  return lines;
}

/** Render a dump (default: a fresh {@link dumpThreads}) as text, in the manner of jstack. */
export function formatThreadDump(dump: ThreadDump = dumpThreads()): string {
  const byIdent = new Map(dump.threads.map((t) => [t.ident, t]));
  const parts = [`Thread dump ${dump.time.toISOString()} (${dump.threads.length} threads):`];
  for (const t of dump.threads) parts.push('', ...describe(t, byIdent));
  return `${parts.join('\n')}\n`;
}
