// Condition: ports of CPython's lock_tests.ConditionTests, plus FIFO order, no spurious
// wake-ups, RLock depth restore, the total timeout of waitFor, and the async twins.

import { Condition, Lock, RLock, RuntimeError } from '@threadkit/core';
import { describe, expect, it } from 'vitest';
import { bunch, expectTimeout, joinAll, pause, shared, until } from './helpers/threads.js';

describe('Condition (single thread)', () => {
  it('acquires its lock (an RLock by default, or the given Lock)', () => {
    let cond = new Condition();
    cond.acquire();
    cond.acquire();
    cond.release();
    cond.release();
    const lock = new Lock();
    cond = new Condition(lock);
    cond.acquire();
    expect(lock.acquire(false)).toBe(false);
    cond.release();
    expect(lock.acquire(false)).toBe(true);
    expect(cond.acquire(false)).toBe(false);
    lock.release();
    {
      using _ = cond.hold();
      expect(lock.acquire(false)).toBe(false);
    }
    expect(lock.locked()).toBe(false);
    expect(cond.withLock(() => lock.locked())).toBe(true);
    expect(cond.locked()).toBe(false);
  });

  it('rejects a lock that is not a threadkit lock', () => {
    expect(() => new Condition({ acquire() {}, release() {} } as any)).toThrow(TypeError);
  });

  it('wait and notify without the lock are RuntimeErrors', async () => {
    const cond = new Condition();
    expect(() => cond.wait()).toThrow(new RuntimeError('cannot wait on un-acquired lock'));
    expect(() => cond.wait(0)).toThrow(RuntimeError);
    expect(() => cond.notify()).toThrow(new RuntimeError('cannot notify on un-acquired lock'));
    expect(() => cond.notifyAll()).toThrow(new RuntimeError('cannot notify on un-acquired lock'));
    expect(() => cond.waitFor(() => false, 0)).toThrow(
      new RuntimeError('cannot wait on un-acquired lock'),
    );
    await expect(cond.waitAsync(0)).rejects.toThrow(
      new RuntimeError('cannot wait on un-acquired lock'),
    );
    await expect(cond.waitForAsync(() => 0, 0)).rejects.toThrow(RuntimeError);
    // A predicate that already holds never needs the lock (CPython).
    expect(cond.waitFor(() => 'ready')).toBe('ready');
    // With a plain Lock, "held" means held by anyone.
    const lock = new Lock();
    const plain = new Condition(lock);
    expect(() => plain.notify()).toThrow(RuntimeError);
    lock.acquire();
    expect(() => plain.notify()).not.toThrow();
    lock.release();
  });

  it('wait(timeout) returns false after the timeout, still holding the lock', () => {
    const cond = new Condition();
    cond.acquire();
    const t0 = performance.now();
    expect(cond.wait(0.2)).toBe(false);
    expectTimeout((performance.now() - t0) / 1000, 0.2);
    expect(cond.wait(0)).toBe(false);
    expect(cond.wait(-1)).toBe(false);
    expect(cond._isOwned()).toBe(true);
    expect(cond._nWaiters).toBe(0); // the timed-out waiters left the queue
    cond.release();
    expect(() => cond.release()).toThrow(RuntimeError);
  });

  it('wait restores the whole RLock depth', () => {
    const lock = new RLock();
    const cond = new Condition(lock);
    cond.acquire();
    cond.acquire();
    cond.acquire();
    expect(cond.wait(0.01)).toBe(false);
    expect(lock._recursionCount()).toBe(3);
    lock.release();
    lock.release();
    lock.release();
    expect(lock.locked()).toBe(false);
  });

  it('waitFor returns the last predicate value and honours its timeout', () => {
    const cond = new Condition();
    cond.acquire();
    let calls = 0;
    const t0 = performance.now();
    expect(
      cond.waitFor(() => {
        calls++;
        return 0;
      }, 0.2),
    ).toBe(0);
    expectTimeout((performance.now() - t0) / 1000, 0.2);
    expect(calls).toBeGreaterThanOrEqual(2);
    calls = 0;
    expect(cond.waitFor(() => ++calls >= 1 && 'x', 0)).toBe('x');
    expect(cond.waitFor(() => null, 0)).toBe(null);
    cond.release();
  });

  it('toString shows the lock and the number of waiters', () => {
    const cond = new Condition(new Lock());
    expect(String(cond)).toMatch(/^<Condition\(<unlocked .*Lock object>, 0\)>$/);
  });

  it('waitAsync releases the lock at once and is woken by notify', async () => {
    const cond = new Condition();
    cond.acquire();
    cond.acquire();
    const waiting = cond.waitAsync(5);
    expect(cond.locked()).toBe(false); // released, all levels, before the first await
    expect(cond._nWaiters).toBe(1);
    cond.withLock(() => cond.notify());
    expect(await waiting).toBe(true);
    expect(cond._isOwned()).toBe(true);
    cond.release();
    cond.release();
    expect(cond.locked()).toBe(false);
  });

  it('waitAsync times out (timeout or options object) and re-acquires', async () => {
    const cond = new Condition();
    await cond.acquireAsync();
    const t0 = performance.now();
    expect(await cond.waitAsync({ timeout: 0.1 })).toBe(false);
    expectTimeout((performance.now() - t0) / 1000, 0.1);
    expect(cond._isOwned()).toBe(true);
    expect(await cond.waitForAsync(async () => 0, 0.05)).toBe(0);
    cond.release();
  });

  it('an aborted waitAsync re-acquires the lock, then rejects', async () => {
    const cond = new Condition(new Lock());
    cond.acquire();
    const ac = new AbortController();
    const waiting = cond.waitAsync(null, { signal: ac.signal });
    expect(cond.locked()).toBe(false);
    ac.abort(new Error('stop'));
    await expect(waiting).rejects.toThrow('stop');
    expect(cond.locked()).toBe(true);
    expect(cond._nWaiters).toBe(0);
    cond.release();
    const pre = new AbortController();
    pre.abort(new Error('early'));
    cond.acquire();
    await expect(cond.waitAsync({ signal: pre.signal })).rejects.toThrow('early');
    expect(cond.locked()).toBe(true);
    cond.release();
  });

  it('a notification received by an aborted waiter goes to the next waiter', async () => {
    const cond = new Condition();
    const ac = new AbortController();
    cond.acquire();
    const first = cond.waitAsync({ signal: ac.signal });
    cond.acquire();
    const second = cond.waitAsync(3);
    cond.acquire();
    cond.notify(1); // reaches `first`...
    ac.abort(new Error('gone')); // ...which gives up before it could return
    cond.release();
    await expect(first).rejects.toThrow('gone');
    cond.release();
    const t0 = performance.now();
    expect(await second).toBe(true);
    expect(performance.now() - t0).toBeLessThan(2500);
    cond.release();
  });
});

/** Thread body for the notify tests: wait twice, logging (result, phase) after each wake-up. */
function waitTwice(i: number, cond: Condition, s: Int32Array) {
  // s: [phase, ready, n1, n2, log1 × 8 (i, result, phase), log2 × 8]
  for (const round of [0, 1]) {
    cond.acquire();
    Atomics.add(s, 1, 1);
    const result = cond.wait();
    const slot = Atomics.add(s, 2 + round, 1);
    const base = 4 + round * 24 + slot * 3;
    s[base] = i;
    s[base + 1] = result ? 1 : 0;
    s[base + 2] = Atomics.load(s, 0);
    cond.release();
  }
}

/** The log of a round, read under the condition's lock (entries are written under it). */
function log(cond: Condition, s: Int32Array, round: number): Array<[number, number]> {
  return cond.withLock(() => readLog(s, round));
}

function readLog(s: Int32Array, round: number): Array<[number, number]> {
  const n = Atomics.load(s, 2 + round);
  const out: Array<[number, number]> = [];
  for (let k = 0; k < n; k++)
    out.push([s[4 + round * 24 + k * 3 + 1], s[4 + round * 24 + k * 3 + 2]]);
  return out;
}

describe('Condition (across threads)', () => {
  async function checkNotify(cond: Condition) {
    const N = 5;
    const s = shared(4 + 2 * 24);
    const threads = bunch(N, waitTwice, [cond, s]);
    await until(() => cond._nWaiters === N, 'all threads wait');
    expect(log(cond, s, 0)).toEqual([]);

    // Notify 3 threads first.
    cond.acquire();
    cond.notify(3);
    Atomics.store(s, 0, 1);
    cond.release();
    await until(() => Atomics.load(s, 2) >= 3, 'three wake up');
    await until(() => cond._nWaiters === N, 'the woken threads wait again');
    await pause(); // a spurious wake-up would log a fourth entry here
    expect(log(cond, s, 0)).toEqual([
      [1, 1],
      [1, 1],
      [1, 1],
    ]);
    expect(log(cond, s, 1)).toEqual([]);

    // Notify 5: the two oldest are still in their first wait (FIFO), then the three others.
    cond.acquire();
    cond.notify(5);
    Atomics.store(s, 0, 2);
    cond.release();
    await until(() => Atomics.load(s, 2) + Atomics.load(s, 3) >= 8, 'five more wake up');
    // The three woken from their second wait are done; the other two wait a second time.
    await until(() => cond._nWaiters === 2, 'two in their second wait');
    await pause();
    expect(log(cond, s, 0)).toEqual([
      [1, 1],
      [1, 1],
      [1, 1],
      [1, 2],
      [1, 2],
    ]);
    expect(log(cond, s, 1)).toEqual([
      [1, 2],
      [1, 2],
      [1, 2],
    ]);

    // Notify all.
    cond.acquire();
    cond.notifyAll();
    Atomics.store(s, 0, 3);
    cond.release();
    await joinAll(threads);
    expect(log(cond, s, 1)).toEqual([
      [1, 2],
      [1, 2],
      [1, 2],
      [1, 3],
      [1, 3],
    ]);
    expect(cond._nWaiters).toBe(0);
  }

  it('notify(n) wakes exactly n waiters, notifyAll wakes the rest (RLock)', async () => {
    const cond = new Condition();
    await checkNotify(cond);
    await checkNotify(cond); // internal state is still right
  });

  it('notify(n) wakes exactly n waiters, notifyAll wakes the rest (Lock)', async () => {
    await checkNotify(new Condition(new Lock()));
  });

  it('wakes waiters in FIFO order', async () => {
    const cond = new Condition();
    const N = 5;
    const s = shared(2 + N); // [woken count, pad, order...]
    const threads = [];
    for (let i = 0; i < N; i++) {
      // Start them one at a time, so the queue order is known.
      threads.push(
        ...bunch(
          1,
          (_k: number, cond: Condition, s: Int32Array, id: number) => {
            cond.acquire();
            cond.wait();
            s[2 + Atomics.add(s, 0, 1)] = id;
            cond.release();
          },
          [cond, s, i],
        ),
      );
      await until(() => cond._nWaiters === i + 1, `thread ${i} waits`);
    }
    // Threads woken together race for the lock, so compare each group as a set.
    const groups: number[][] = [];
    for (const n of [1, 2, 1, 1]) {
      const before = Atomics.load(s, 0);
      cond.withLock(() => cond.notify(n));
      await until(() => Atomics.load(s, 0) === before + n, `${n} more wake up`);
      groups.push(cond.withLock(() => Array.from(s.subarray(2 + before, 2 + before + n)).sort()));
    }
    await joinAll(threads);
    expect(groups).toEqual([[0], [1, 2], [3], [4]]);
  });

  it('wait(timeout) returns false after the timeout in every thread', async () => {
    const cond = new Condition();
    const N = 5;
    const out = new Float64Array(new SharedArrayBuffer(8 * 2 * N));
    const threads = bunch(
      N,
      (i: number, cond: Condition, out: Float64Array) => {
        cond.acquire();
        const t0 = performance.now();
        const result = cond.wait(0.5);
        out[2 * i] = (performance.now() - t0) / 1000;
        out[2 * i + 1] = result ? 1 : 0;
        cond.release();
      },
      [cond, out],
    );
    await joinAll(threads);
    for (let i = 0; i < N; i++) {
      expectTimeout(out[2 * i], 0.5);
      expect(out[2 * i + 1]).toBe(0);
    }
  });

  it('waitFor waits until the predicate holds', async () => {
    const cond = new Condition();
    const s = shared(3); // [state, result, state seen]
    const threads = bunch(
      1,
      (_i: number, cond: Condition, s: Int32Array) => {
        cond.withLock(() => {
          s[1] = cond.waitFor(() => s[0] === 4) ? 1 : 0;
          s[2] = s[0];
        });
      },
      [cond, s],
    );
    await until(() => cond._nWaiters === 1, 'the thread waits');
    for (let i = 0; i < 4; i++) {
      await pause(5);
      cond.withLock(() => {
        s[0]++;
        cond.notify();
      });
    }
    await joinAll(threads);
    expect([s[1], s[2]]).toEqual([1, 4]);
  });

  it('waitFor gives up after its total timeout, however often it is notified', async () => {
    const cond = new Condition();
    const s = shared(3); // [state, result, done]
    const dt = new Float64Array(new SharedArrayBuffer(8));
    const threads = bunch(
      1,
      (_i: number, cond: Condition, s: Int32Array, dt: Float64Array) => {
        cond.withLock(() => {
          const t0 = performance.now();
          s[1] = cond.waitFor(() => s[0] === -1, 0.5) ? 1 : 0;
          dt[0] = (performance.now() - t0) / 1000;
        });
        Atomics.store(s, 2, 1);
      },
      [cond, s, dt],
    );
    // Keep notifying (the predicate stays false) until the thread gives up, or for 20 s:
    // a waitFor that restarted its timeout on every wake-up would never give up.
    const end = performance.now() + 20_000;
    while (Atomics.load(s, 2) === 0 && performance.now() < end) {
      cond.withLock(() => {
        s[0]++;
        cond.notify();
      });
      await pause(10);
    }
    await joinAll(threads);
    expect(s[1]).toBe(0);
    expectTimeout(dt[0], 0.5);
  });

  it('wait releases every RLock level for others and restores them', async () => {
    const lock = new RLock();
    const cond = new Condition(lock);
    const s = shared(2); // [depth after wait, result]
    const threads = bunch(
      1,
      (_i: number, cond: Condition, lock: RLock, s: Int32Array) => {
        cond.acquire();
        cond.acquire();
        cond.acquire();
        s[1] = cond.wait(20) ? 1 : 0;
        s[0] = lock._recursionCount();
        lock.release();
        lock.release();
        lock.release();
      },
      [cond, lock, s],
    );
    await until(() => cond._nWaiters === 1, 'the thread waits');
    expect(cond.acquire(false)).toBe(true); // the waiter let go of all three levels
    cond.notify();
    cond.release();
    await joinAll(threads);
    expect([s[0], s[1]]).toEqual([3, 1]);
    expect(lock.locked()).toBe(false);
  });

  it('with a plain Lock, a thread that does not hold it may notify while another does', async () => {
    const lock = new Lock();
    const cond = new Condition(lock);
    const s = shared(2); // [holding, may release]
    const [t] = bunch(
      1,
      (_i: number, cond: Condition, s: Int32Array) => {
        cond.acquire();
        Atomics.store(s, 0, 1);
        Atomics.wait(s, 1, 0);
        cond.release();
      },
      [cond, s],
    );
    await until(() => Atomics.load(s, 0) === 1, 'the thread holds the lock');
    expect(lock.locked()).toBe(true); // the condition arrived with the same lock
    expect(() => cond.notify()).not.toThrow();
    Atomics.store(s, 1, 1);
    Atomics.notify(s, 1);
    await joinAll([t]);
    expect(() => cond.notify()).toThrow(RuntimeError);
  });

  it('waitAsync in the main thread is woken by a notify from another thread', async () => {
    const cond = new Condition();
    const s = shared(1);
    await cond.acquireAsync();
    const threads = bunch(
      1,
      (_i: number, cond: Condition, s: Int32Array) => {
        cond.acquire();
        s[0] = 1;
        cond.notify();
        cond.release();
      },
      [cond, s],
    );
    expect(await cond.waitForAsync(() => s[0] === 1, 20)).toBe(true);
    cond.release();
    await joinAll(threads);
  });
});
