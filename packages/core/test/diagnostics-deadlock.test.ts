import {
  type Deadlock,
  dumpThreads,
  enableDiagnostics,
  findDeadlocks,
  formatThreadDump,
  Lock,
  Queue,
  RLock,
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

  it('finds a join cycle', async () => {
    const q = new Queue();
    const a = new Thread({
      name: 'join-a',
      daemon: true,
      args: [q],
      target: (qq: Queue) => qq.get().join(),
    });
    a.start();
    const b = new Thread({
      name: 'join-b',
      daemon: true,
      args: [a],
      target: (other: Thread) => other.join(2),
    });
    b.start();
    q.put(b);
    const find = cycleOf(['join-a', 'join-b']);
    await until(() => find() !== undefined, 'a join cycle');
    const d = find() as Deadlock;
    expect(d.links.every((l) => l.waitingOn.kind === 'Thread.join')).toBe(true);
    expect(d.timed).toBe(true); // join-b's join has a timeout
    await b.joinAsync(30); // its timeout breaks the cycle: join-b ends, then join-a
    await a.joinAsync(30);
    expect(a.isAlive()).toBe(false);
  });

  it('finds a thread waiting for an RLock whose owner threw', async () => {
    const r = new RLock();
    const owner = new Thread({
      name: 'thrower',
      daemon: true,
      args: [r],
      target: (lock: RLock) => {
        lock.acquire();
        throw new Error('fails holding the lock');
      },
    });
    owner.start();
    await owner.joinAsync(30);
    const waiter = new Thread({
      name: 'orphan-waiter',
      daemon: true,
      args: [r],
      target: (lock: RLock) => lock.acquire(),
    });
    waiter.start();
    await until(() => findDeadlocks().some((d) => d.ownerEnded), 'the orphan wait');
    const d = findDeadlocks().find((x) => x.ownerEnded) as Deadlock;
    expect(d.links[0].thread.name).toBe('orphan-waiter');
    expect(d.links[0].waitingOn.holder).toBe(owner.ident);
    expect(d.links[0].waitingOn.holderName).toBe('thrower');
    expect(formatThreadDump()).toContain(`held by "thrower" #${owner.ident} (ended)`);
    // The waiter is a daemon, left waiting: nothing can release an RLock whose owner ended.
  });
});
