/**
 * `findDeadlocks()`: the wait-for graph — each blocked thread → the object it waits for →
 * the thread holding it — and its cycles, as Java's `findDeadlockedThreads()`. Every thread
 * is blocked in at most one call, so each node has at most one out-edge and a cycle is found
 * by walking from each thread.
 */
import { type BlockedOn, dumpThreads, type ThreadDump, type ThreadInfo } from './dump.js';

/** One edge of a cycle: `thread` waits in `waitingOn.kind` for an object held by the next. */
export interface DeadlockLink {
  /** The waiting thread. */
  thread: ThreadInfo;
  /** What it waits in, and for which object. */
  waitingOn: BlockedOn;
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
 * The cycles of the wait-for graph of a dump (default: a fresh {@link dumpThreads}), each
 * once, starting from its lowest ident; then each thread waiting for a lock whose holder has
 * ended (`ownerEnded`).
 */
export function findDeadlocks(dump: ThreadDump = dumpThreads()): Deadlock[] {
  const byIdent = new Map(dump.threads.map((t) => [t.ident, t]));
  const next = (t: ThreadInfo): ThreadInfo | undefined =>
    t.blockedOn?.holder != null ? byIdent.get(t.blockedOn.holder) : undefined;
  const seen = new Set<number>();
  const cycles: Deadlock[] = [];
  for (const start of dump.threads) {
    if (seen.has(start.ident)) continue;
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
      const links = ordered.map((x) => ({ thread: x, waitingOn: x.blockedOn as BlockedOn }));
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
      `  waiting to lock <${w.type} #${w.id}>${w.timed ? ' (timed)' : ''} in ${w.kind},`,
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
    const verb = w.kind === 'Thread.join' ? 'joining' : 'waiting to lock';
    lines.push(
      `"${l.thread.name}" #${l.thread.ident}:`,
      `  ${verb} <${w.type} #${w.id}>${w.timed ? ' (timed)' : ''} in ${w.kind},`,
      `  which is ${w.kind === 'Thread.join' ? '' : 'held by '}"${holder.name}" #${holder.ident}`,
    );
    if (l.thread.stack) for (const s of l.thread.stack.split('\n')) lines.push(`    ${s.trim()}`);
  });
  return `${lines.join('\n')}\n`;
}
