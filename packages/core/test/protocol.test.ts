import {
  DataCloneError,
  Event,
  Lock,
  Queue,
  RLock,
  Semaphore,
  sleep,
  sleepAsync,
  Thread,
  ValueError,
} from '@threadkit/core';
import { describe, expect, it } from 'vitest';
import { runNode } from './helpers.js';

describe('the shared-object protocol', () => {
  it('delivers shared objects at any depth of objects, arrays, Maps and Sets as working instances', () => {
    const lock = new Lock();
    const event = new Event();
    const sem = new Semaphore(0);
    const rlock = new RLock();
    const payload = {
      list: [1, { deep: [lock] }],
      map: new Map<string, unknown>([['event', event]]),
      set: new Set([sem]),
      nested: { r: rlock, again: lock },
      plain: { n: 5, s: 'text', when: new Date(0) },
    };
    const out = new Int32Array(new SharedArrayBuffer(16));
    const t = new Thread({
      target: (p: any, o: Int32Array) => {
        const l = p.list[1].deep[0];
        o[0] = l.acquire(false) ? 0 : 1; // the main thread holds it: must fail here
        o[1] = p.nested.again === l ? 1 : 0; // one object for one shared lock, within a message
        p.map.get('event').set();
        [...p.set][0].release();
        o[2] = p.plain.n + p.plain.s.length + p.plain.when.getTime();
        o[3] = p.nested.r.acquire(false) ? 1 : 0;
        if (o[3]) p.nested.r.release();
      },
      args: [payload, out],
    });
    lock.acquire();
    t.start();
    expect(event.wait(30)).toBe(true);
    expect(sem.acquire(true, 30)).toBe(true);
    t.join();
    lock.release();
    expect(Array.from(out)).toEqual([1, 1, 9, 1]);
  });

  it('delivers shared objects through queues, nested inside items', () => {
    const q = new Queue();
    const lock = new Lock();
    q.put({ tag: 'job', locks: [lock], meta: new Map([['n', 1]]) });
    const out = new Int32Array(new SharedArrayBuffer(4));
    const t = new Thread({
      target: (queue: Queue, o: Int32Array) => {
        const item: any = queue.get();
        item.locks[0].acquire();
        o[0] = item.meta.get('n') + (item.tag === 'job' ? 10 : 0);
      },
      args: [q, out],
    });
    t.start();
    t.join();
    expect(out[0]).toBe(11);
    expect(lock.locked()).toBe(true); // acquired in the other thread, seen here
    lock.release();
  });

  it('rejects what cannot cross at the sending call, naming the path', () => {
    const start = (args: unknown[]) => new Thread({ target: () => {}, args }).start();
    expect(() => start([{ a: [0, { fn: () => 1 }] }])).toThrow(
      /args\[0\]\.a\[1\]\.fn cannot be sent/,
    );
    expect(() => start([new Map([['k', Symbol('s')]])])).toThrow(/args\[0\]\.get\("k"\)/);
    expect(() => start([new Set([1, new (class Point {})()])])).toThrow(
      /args\[0\]\.values\(\)\[1\].*Point instance/,
    );
    expect(() => start([1, 2, new WeakMap()])).toThrow(DataCloneError);
    const q = new Queue();
    expect(() => q.put({ handler() {} })).toThrow(/handler/);
    expect(q.qsize()).toBe(0);
  });
});

describe('inline targets that capture variables', () => {
  it('report the ReferenceError with the hint, and nothing else breaks', () => {
    const r = runNode(['captured.mjs']);
    expect(r.stderr).toMatch(
      /^Exception in thread Thread-\d+ \(target\):\nReferenceError: factor is not defined \(hint: an inline target runs in another thread and cannot use variables captured from its enclosing scope: pass factor in args/,
    );
    expect(r.stdout).toBe('result 0\n');
    expect(r.status).toBe(0);
  });
});

describe('sleep', () => {
  it('blocks the calling thread for about the given seconds', () => {
    const t0 = performance.now();
    sleep(0.05);
    const ms = performance.now() - t0;
    expect(ms).toBeGreaterThanOrEqual(45);
    expect(ms).toBeLessThan(5000);
    expect(() => sleep(-1)).toThrow(ValueError);
  });

  it('has an async twin that honours AbortSignal', async () => {
    const t0 = performance.now();
    await sleepAsync(0.03);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(25);
    const ac = new AbortController();
    const p = sleepAsync(10, { signal: ac.signal });
    ac.abort(new Error('stop'));
    await expect(p).rejects.toThrow('stop');
  });
});
