import { Thread } from '@threadkit/core';
import {
  BaseManager,
  DataCloneError,
  Empty,
  EOFError,
  Full,
  IndexError,
  KeyError,
  Manager,
  Process,
  ProcessError,
  RuntimeError,
  type SyncManager,
} from '@threadkit/multiprocessing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bumpFromThread, Tally } from './fixtures/managed.mjs';

let manager: SyncManager;

beforeAll(() => {
  manager = Manager();
});

afterAll(() => {
  manager.shutdown();
});

describe('Manager: proxies shared by processes', () => {
  it('Namespace, dict, list, Value, Queue, Lock and Event from two processes (the book example and more)', async () => {
    const ns = await manager.Namespace();
    ns.x = 1;
    expect(await ns.x).toBe(1);
    const d = await manager.dict({ a: 1 });
    const l = await manager.list([1]);
    const v = await manager.Value('i', 0);
    const q = await manager.Queue();
    const lock = await manager.Lock();
    const started = await manager.Event();
    const workers = [0, 1].map(
      (id) =>
        new Process({
          target: async (
            id: number,
            ns: any,
            d: any,
            l: any,
            v: any,
            q: any,
            lock: any,
            started: any,
          ) => {
            await started.wait();
            for (let i = 0; i < 20; i++) {
              await lock.acquire();
              try {
                v.value = (await v.value) + 1; // read-modify-write, safe under the lock
                await v.get();
              } finally {
                await lock.release();
              }
            }
            await d.set(`w${id}`, id);
            await l.append(id);
            await q.put({ from: id, x: await ns.x });
            if (id === 1) ns.x = 2;
          },
          args: [id, ns, d, l, v, q, lock, started],
        }),
    );
    for (const w of workers) w.start();
    await started.set();
    const msgs = [await q.get(true, 30), await q.get(true, 30)];
    for (const w of workers) await w.joinAsync();
    expect(workers.map((w) => w.exitcode)).toEqual([0, 0]);
    expect(msgs.map((m: any) => m.from).sort()).toEqual([0, 1]);
    expect(await v.value).toBe(40);
    expect(await ns.x).toBe(2); // set by a child just before it exited: flushed before exit
    expect(await ns._getvalue()).toEqual({ x: 2 });
    expect(Object.fromEntries(await d.items())).toEqual({ a: 1, w0: 0, w1: 1 });
    expect((await l.copy()).sort()).toEqual([0, 1, 1]);
    expect(await l.len()).toBe(3);
    expect(String(ns)).toMatch(/^<NamespaceProxy object, typeid 'Namespace' at .*#\d+>$/);
  });

  it("raises Python's errors as the same classes", async () => {
    const q = await manager.Queue(1);
    await expect(q.get(false)).rejects.toThrow(Empty);
    await q.put(1);
    await expect(q.put(2, true, 0.05)).rejects.toThrow(Full);
    await expect(q.get(true, -1)).rejects.toThrow("'timeout' must be a non-negative number");
    const d = await manager.dict();
    await expect(d.getItem('missing')).rejects.toThrow(KeyError);
    expect(await d.get('missing', 'dflt')).toBe('dflt');
    const l = await manager.list();
    await expect(l.pop()).rejects.toThrow(IndexError);
    const lock = await manager.Lock();
    await expect(lock.release()).rejects.toThrow(new RuntimeError('release unlocked lock'));
    const sem = await manager.BoundedSemaphore(1);
    await expect(sem.release()).rejects.toThrow('Semaphore released too many times');
    await expect(manager.create('NoSuchType')).rejects.toThrow(KeyError);
    await expect(d.set('f', () => 1)).rejects.toThrow(DataCloneError);
  });

  it('timeouts, Event.wait, RLock ownership per thread, Condition notify', async () => {
    const lock = await manager.Lock();
    expect(await lock.acquire()).toBe(true);
    const t0 = performance.now();
    expect(await lock.acquire(true, 0.1)).toBe(false);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(90);
    expect(await lock.acquire(false)).toBe(false);
    await lock.release();
    const ev = await manager.Event();
    expect(await ev.wait(0.05)).toBe(false);
    const rlock = await manager.RLock();
    expect(await rlock.acquire()).toBe(true);
    expect(await rlock.acquire()).toBe(true); // re-entrant for this connection
    await rlock.release();
    await rlock.release();
    await expect(rlock.release()).rejects.toThrow('cannot release un-acquired lock');
    const cond = await manager.Condition();
    await expect(cond.notify()).rejects.toThrow('cannot notify on un-acquired lock');
    await cond.acquire();
    expect(await cond.wait(0.05)).toBe(false);
    await cond.notifyAll();
    await cond.release();
  });

  it('Condition and RLock across processes: ownership per connection, notify wakes the waiter', async () => {
    const cond = await manager.Condition();
    const rlock = await manager.RLock();
    const waiting = await manager.Event();
    await rlock.acquire();
    const p = new Process({
      target: async (cond: any, rlock: any, waiting: any) => {
        if (await rlock.acquire(false)) throw new Error('the RLock is held by the parent');
        await cond.acquire();
        await waiting.set();
        const notified = await cond.wait(30); // releases the lock while waiting
        await cond.release();
        if (!notified) throw new Error('not notified');
      },
      args: [cond, rlock, waiting],
    });
    p.start();
    expect(await waiting.wait(30)).toBe(true);
    await cond.acquire(); // granted once the child waits (its wait released the lock)
    await cond.notify();
    await cond.release();
    await p.joinAsync();
    expect(p.exitcode).toBe(0);
    await rlock.release();
  });

  it('proxies work in threads of this process too (module target)', async () => {
    const ns = await manager.Namespace();
    const l = await manager.list();
    const t = new Thread({ target: bumpFromThread, args: [ns, l] });
    t.start();
    await t.joinAsync();
    // The thread's assignment travelled on its own connection; a call on it confirms delivery.
    expect(await l.copy()).toEqual(['thread']);
    for (let i = 0; i < 50 && (await ns.fromThread) !== true; i++)
      await new Promise((r) => setTimeout(r, 10));
    expect(await ns.fromThread).toBe(true);
  });
});

describe('BaseManager.register', () => {
  it('serves registered classes (module and inline) and factory functions', async () => {
    class MathsManager extends BaseManager {}
    MathsManager.register('Tally', Tally);
    MathsManager.register(
      'Counter',
      class Counter {
        n = 0;
        inc(k = 1) {
          return (this.n += k);
        }
      },
    );
    MathsManager.register('pair', (a: number, b: number) => ({ a, b, sum: () => a + b }));
    using m = new MathsManager().start();
    const tally = await m.create('Tally', 10);
    expect(await tally.add(5)).toBe(15);
    const [x, y] = await Promise.all([tally.slowAdd(1, 50), tally.add(100)]); // calls overlap in the server
    expect([x, y]).toEqual([116, 115]);
    const counter = await (m as any).Counter();
    expect(await counter.inc()).toBe(1);
    expect(await counter.inc(4)).toBe(5);
    expect(await counter.n).toBe(5);
    const pair = await m.create('pair', 2, 3);
    expect(await pair.sum()).toBe(5);
    expect(await pair.a).toBe(2);
    // A proxy crosses to a child process and works there.
    const p = new Process({ target: async (t: any) => void (await t.add(1000)), args: [tally] });
    p.start();
    await p.joinAsync();
    expect(await tally.total).toBe(1116);
    expect(() => m.start()).toThrow(new ProcessError('Already started server'));
  });

  it('a manager whose registered type cannot load fails start() clearly', () => {
    class Broken extends BaseManager {}
    Broken.register(
      'X',
      class X {
        static module = 'file:///nowhere/missing-module.mjs';
        value = 1;
      },
    );
    expect(() => new Broken().start()).toThrow(ProcessError);
  });

  it('after shutdown, calls fail instead of hanging', async () => {
    const m = Manager();
    const ns = await m.Namespace();
    ns.y = 1;
    expect(await ns.y).toBe(1);
    m.shutdown();
    await expect(Promise.resolve(ns.y)).rejects.toThrow(EOFError);
    await expect(m.Namespace()).rejects.toThrow(ProcessError);
  });
});
