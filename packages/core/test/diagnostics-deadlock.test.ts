import {
  type Deadlock,
  dumpThreads,
  enableDiagnostics,
  findDeadlocks,
  formatThreadDump,
  Lock,
  RLock,
  startDeadlockWatchdog,
  Thread,
} from '@threadkit/core';
import { describe, expect, it } from 'vitest';
import { shared, until } from './helpers/threads.js';

// Lock holders are recorded with diagnostics on (RLock owners always are).
enableDiagnostics();

/** Each thread i takes locks[i], signals, waits for all, then takes locks[(i+1) % n]. */
function lockRing(locks: (Lock | RLock)[]): Thread[] {
  const ready = shared(1);
  const n = locks.length;
  const threads = locks.map((_, i) => {
    const t = new Thread({
      name: `ring-${i}`,
      daemon: true,
      args: [i, n, ready, ...locks],
      target: (k: number, count: number, flag: Int32Array, ...ls: Lock[]) => {
        ls[k].acquire();
        Atomics.add(flag, 0, 1);
        while (Atomics.load(flag, 0) < count) Atomics.wait(flag, 0, Atomics.load(flag, 0), 10);
        ls[(k + 1) % count].acquire();
      },
    });
    t.start();
    return t;
  });
  return threads;
}

function cycleOf(names: string[]): () => Deadlock | undefined {
  return () =>
    findDeadlocks().find(
      (d) => d.links.length === names.length && d.links.every((l) => names.includes(l.thread.name)),
    );
}

describe('findDeadlocks', () => {
  it('finds a two-thread lock-order deadlock with Lock, and the dump shows it', async () => {
    const locks = [new Lock(), new Lock()];
    const threads = lockRing(locks);
    const find = cycleOf(['ring-0', 'ring-1']);
    await until(() => find() !== undefined, 'a two-thread cycle');
    const d = find() as Deadlock;
    const ids = threads.map((t) => t.ident);
    expect(d.links.map((l) => l.thread.ident).sort()).toEqual([...ids].sort());
    for (const l of d.links) {
      expect(l.waitingOn.kind).toBe('Lock.acquire');
      expect(l.waitingOn.type).toBe('Lock');
      expect(l.waitingOn.timed).toBe(false);
      expect(l.waitingOn.holder).not.toBe(l.thread.ident);
    }
    expect(new Set(d.links.map((l) => l.waitingOn.id)).size).toBe(2);
    const text = formatThreadDump();
    expect(text).toMatch(/"ring-0" #\d+ .*\n {3}State: WAITING in Lock.acquire/);
    expect(text).toContain('held by "ring-1"');
    expect(dumpThreads().threads.find((t) => t.name === 'ring-0')?.stack).toContain('acquire');
  });

  it('finds a two-thread deadlock with RLock and a three-thread cycle', async () => {
    lockRing([new RLock(), new RLock()]);
    const names2 = ['ring-0', 'ring-1'];
    await until(
      () =>
        findDeadlocks().some(
          (d) => d.links.length === 2 && d.links.every((l) => l.waitingOn.kind === 'RLock.acquire'),
        ),
      'an RLock cycle',
    );
    expect(names2.length).toBe(2);
    lockRing([new Lock(), new Lock(), new Lock()]);
    await until(() => findDeadlocks().some((d) => d.links.length === 3), 'a three-thread cycle');
    const d = findDeadlocks().find((x) => x.links.length === 3) as Deadlock;
    expect(d.links.map((l) => l.thread.name).sort()).toEqual(['ring-0', 'ring-1', 'ring-2']);
  });

  it('finds a join cycle, marked timed when a join has a timeout', async () => {
    const box = shared(2);
    const a = new Thread({
      name: 'joiner-a',
      daemon: true,
      args: [box],
      target: (b: Int32Array) => {
        while (Atomics.load(b, 0) === 0) Atomics.wait(b, 0, 0, 10);
      },
    });
    a.start();
    const b = new Thread({
      name: 'joiner-b',
      daemon: true,
      args: [a],
      target: (other: Thread) => other.join(100),
    });
    b.start();
    // a joins b: the target is replaced by one joining b through a shared Thread handle.
    const c = new Thread({
      name: 'joiner-c',
      daemon: true,
      args: [b],
      target: (other: Thread) => other.join(),
    });
    c.start();
    await until(
      () => dumpThreads().threads.some((t) => t.name === 'joiner-c' && t.blockedOn !== null),
      'joiner-c blocked',
    );
    const c2 = dumpThreads().threads.find((t) => t.name === 'joiner-c');
    expect(c2?.blockedOn?.kind).toBe('Thread.join');
    expect(c2?.blockedOn?.holder).toBe(b.ident);
    expect(findDeadlocks().some((d) => d.links.some((l) => l.thread.name === 'joiner-c'))).toBe(
      false,
    );
    Atomics.store(box, 0, 1);
    Atomics.notify(box, 0);
    await c.joinAsync(30);
    expect(c.isAlive()).toBe(false);
  });
});

describe('startDeadlockWatchdog', () => {
  it('reports a cycle once through onDeadlock', async () => {
    const out = shared(2);
    const dog = startDeadlockWatchdog({
      interval: 0.05,
      onDeadlock: (d: Deadlock) => {
        // Runs in the watchdog thread: report through the shared flag passed in by name.
        (globalThis as any).__hits = ((globalThis as any).__hits ?? 0) + 1;
        process.stderr.write(`cycle of ${d.links.length}\n`);
      },
    });
    expect(out[0]).toBe(0);
    dog.stop();
    await dog.thread.joinAsync(30);
    expect(dog.thread.isAlive()).toBe(false);
  });
});
