/**
 * `findDeadlocks()`: the wait-for graph — each blocked thread → the object it waits for →
 * the thread holding it (or, for a Condition, the threads that may notify it) — and its
 * cycles, as Java's `findDeadlockedThreads()`. A lock or join wait has one out-edge; a
 * Condition wait has one per possible notifier, any of which could wake it, so the graph is
 * first cut down to the threads that can never wake (a knot), then walked for cycles.
 */

import {
  type BlockedOn,
  dumpThreads,
  objectText,
  type ThreadDump,
  type ThreadInfo,
} from './dump.js';
import { nameOfIdent } from './known-threads.js';

/** One edge of a cycle: `thread` waits in `waitingOn.kind` for an object held by the next. */
export interface DeadlockLink {
  /** The waiting thread. */
  thread: ThreadInfo;
  /** What it waits in, and for which object. */
  waitingOn: BlockedOn;
  /**
   * For a `Condition.wait` link: the next thread of the cycle, one of those that may notify
   * the Condition (`waitingOn.notifiers`), every one of which is stuck.
   */
  notifier?: ThreadInfo;
}

/**
 * A cycle of the wait-for graph (`timed` if any wait in it has a timeout), or, with
 * `ownerEnded`, a single thread waiting for a lock whose holder has ended.
 */
export interface Deadlock {
  /** The edges of the cycle, in order. */
  links: DeadlockLink[];
  /** Whether any wait in the cycle has a timeout. */
  timed: boolean;
  /** A thread waits for a lock whose holder has ended (a one-link report). */
  ownerEnded: boolean;
}

/**
 * The threads a blocked thread waits for: the holder of its lock, the thread it joins, or —
 * for a Condition wait — every other live thread that may notify it (any one can wake it).
 * — or, for a Semaphore, every thread holding a permit (recorded with diagnostics on).
 * `null` when it may go on by itself or the other party is unknown: running, sleeping, in an
 * Event or queue wait (their wakers are not tracked), or a Semaphore whose holders are not
 * recorded (diagnostics off, or used as a signal).
 */
function waitsFor(t: ThreadInfo, dump: ThreadDump): number[] | null {
  const w = t.blockedOn;
  if (!w) return null;
  if (w.kind === 'Condition.wait') {
    return w.notifiers === 'any'
      ? dump.threads.filter((x) => x.ident !== t.ident).map((x) => x.ident)
      : (w.notifiers ?? null);
  }
  if (w.kind === 'Semaphore.acquire') {
    // Any holder giving a permit back frees it (holders are known with diagnostics on only).
    if (!w.holders) return null;
    return w.holders.filter((i) => dump.threads.some((x) => x.ident === i));
  }
  if (w.kind !== 'Lock.acquire' && w.kind !== 'RLock.acquire' && w.kind !== 'Thread.join') {
    return null;
  }
  if (w.holder === null) return null;
  if (w.holderEnded) return []; // nobody is left to release it
  return dump.threads.some((x) => x.ident === w.holder) ? [w.holder] : null; // a joined thread just ended
}

/**
 * The threads that can never wake: as a knot in an OR wait-for graph, a blocked thread is
 * stuck when no thread it waits for can go on. Starting from the threads that can go on by
 * themselves, any thread waiting for one of them can go on too; the rest are stuck.
 */
function stuckThreads(dump: ThreadDump): Map<number, number[]> {
  const edges = new Map<number, number[] | null>();
  for (const t of dump.threads) edges.set(t.ident, waitsFor(t, dump));
  const free = new Set([...edges].filter(([, e]) => e === null).map(([i]) => i));
  for (let grew = true; grew; ) {
    grew = false;
    for (const [ident, e] of edges) {
      if (!free.has(ident) && e?.some((x) => free.has(x))) {
        free.add(ident);
        grew = true;
      }
    }
  }
  const stuck = new Map<number, number[]>();
  for (const [ident, e] of edges) if (!free.has(ident) && e) stuck.set(ident, e);
  return stuck;
}

/**
 * The cycles of the wait-for graph of a dump (default: a fresh {@link dumpThreads}), each
 * once, starting from its lowest ident; then each thread waiting for a lock whose holder has
 * ended (`ownerEnded`). Only threads that can never wake are considered: a Condition waiter
 * is in a cycle when every thread that may notify it is stuck, one of them waiting on it
 * (for such a link, `notifier` is that thread).
 */
export function findDeadlocks(dump: ThreadDump = dumpThreads()): Deadlock[] {
  const byIdent = new Map(dump.threads.map((t) => [t.ident, t]));
  const stuck = stuckThreads(dump);
  // Every stuck thread waits only for stuck threads; follow the first (lowest ident).
  const next = (t: ThreadInfo): ThreadInfo | undefined => {
    const e = stuck.get(t.ident);
    return e && e.length > 0 ? byIdent.get(Math.min(...e)) : undefined;
  };
  const seen = new Set<number>();
  const cycles: Deadlock[] = [];
  for (const start of dump.threads) {
    if (seen.has(start.ident) || !stuck.has(start.ident)) continue;
    const path: ThreadInfo[] = [];
    const onPath = new Map<number, number>();
    let t: ThreadInfo | undefined = start;
    while (t && !seen.has(t.ident) && !onPath.has(t.ident)) {
      onPath.set(t.ident, path.length);
      path.push(t);
      t = next(t);
    }
    if (t && onPath.has(t.ident)) {
      const ring = path.slice(onPath.get(t.ident));
      const low = ring.reduce((m, x, i) => (x.ident < ring[m].ident ? i : m), 0);
      const ordered = [...ring.slice(low), ...ring.slice(0, low)];
      const links = ordered.map((x, i) => ({
        thread: x,
        waitingOn: x.blockedOn as BlockedOn,
        ...(x.blockedOn?.kind === 'Condition.wait'
          ? { notifier: ordered[(i + 1) % ordered.length] }
          : {}),
      }));
      cycles.push({ links, timed: links.some((l) => l.waitingOn.timed), ownerEnded: false });
    }
    for (const x of path) seen.add(x.ident);
  }
  for (const t of dump.threads) {
    const w = t.blockedOn;
    if (w?.holderEnded)
      cycles.push({ links: [{ thread: t, waitingOn: w }], timed: w.timed, ownerEnded: true });
  }
  return cycles;
}

/** A key naming a cycle (its threads and objects), to report each one once. */
export function deadlockKey(d: Deadlock): string {
  return d.links.map((l) => `${l.thread.ident}:${l.waitingOn.id}`).join(' ');
}

/** Render a cycle as text: "Found one deadlock:" and each thread, its wait and its stack. */
export function formatDeadlock(d: Deadlock): string {
  if (d.ownerEnded) {
    const l = d.links[0];
    const w = l.waitingOn;
    const text = [
      'Found one deadlock (the holder has ended):',
      `"${l.thread.name}" #${l.thread.ident}:`,
      `  ${w.kind === 'Semaphore.acquire' ? 'waiting for a permit of' : 'waiting to lock'} ${objectText(w)}${w.timed ? ' (timed)' : ''} in ${w.kind},`,
      `  which is held by "${w.holderName ?? '?'}" #${w.holder}, which has ended`,
      ...(l.thread.stack ?? '')
        .split('\n')
        .filter(Boolean)
        .map((s) => `    ${s.trim()}`),
    ];
    return `${text.join('\n')}\n`;
  }
  const lines = [`Found one deadlock${d.timed ? ' (includes a timed wait)' : ''}:`];
  const n = d.links.length;
  d.links.forEach((l, i) => {
    const holder = d.links[(i + 1) % n].thread;
    const w = l.waitingOn;
    if (w.kind === 'Condition.wait') {
      lines.push(
        `"${l.thread.name}" #${l.thread.ident}:`,
        `  waiting on ${objectText(w)}${w.timed ? ' (timed)' : ''} in ${w.kind},`,
        `  which only ${notifierNames(w, d)} can notify (all blocked)`,
      );
      if (l.thread.stack) for (const s of l.thread.stack.split('\n')) lines.push(`    ${s.trim()}`);
      return;
    }
    const verb =
      w.kind === 'Thread.join'
        ? 'joining'
        : w.kind === 'Semaphore.acquire'
          ? 'waiting for a permit of'
          : 'waiting to lock';
    lines.push(
      `"${l.thread.name}" #${l.thread.ident}:`,
      `  ${verb} ${objectText(w)}${w.timed ? ' (timed)' : ''} in ${w.kind},`,
      `  which is ${w.kind === 'Thread.join' ? '' : 'held by '}"${holder.name}" #${holder.ident}`,
    );
    if (l.thread.stack) for (const s of l.thread.stack.split('\n')) lines.push(`    ${s.trim()}`);
  });
  return `${lines.join('\n')}\n`;
}

/** The threads that may notify a Condition wait, by name, the cycle's next one first. */
function notifierNames(w: BlockedOn, d: Deadlock): string {
  if (w.notifiers === 'any') return 'any other thread';
  const named = new Map(d.links.map((l) => [l.thread.ident, l.thread.name]));
  const name = (i: number) => named.get(i) ?? nameOfIdent(i) ?? '?';
  return (w.notifiers ?? []).map((i) => `"${name(i)}" #${i}`).join(', ');
}
