// RLock: ports of CPython's lock_tests.BaseLockTests and RLockTests, plus threadkit's async
// twins. Cross-thread cases run in real worker threads.

import {
  OverflowError,
  RLock,
  RuntimeError,
  Thread,
  TIMEOUT_MAX,
  ValueError,
} from '@threadkit/core';
import { describe, expect, it } from 'vitest';
import { bunch, expectTimeout, joinAll, pause, shared, until } from './helpers/threads.js';

describe('RLock (single thread)', () => {
  it('constructs without arguments only', () => {
    expect(() => new RLock()).not.toThrow();
    expect(() => new (RLock as any)(1)).toThrow(TypeError);
  });

  it('is re-entrant and counts its depth', () => {
    const lock = new RLock();
    expect(lock.acquire()).toBe(true);
    expect(lock.acquire()).toBe(true);
    expect(lock.acquire(false)).toBe(true); // the owner never blocks
    expect(lock._recursionCount()).toBe(3);
    lock.release();
    expect(lock._recursionCount()).toBe(2);
    lock.release();
    lock.release();
    expect(lock._recursionCount()).toBe(0);
  });

  it('releasing an un-acquired lock is a RuntimeError', () => {
    const lock = new RLock();
    expect(() => lock.release()).toThrow(new RuntimeError('cannot release un-acquired lock'));
    lock.acquire();
    lock.acquire();
    lock.release();
    lock.acquire();
    lock.release();
    lock.release();
    expect(() => lock.release()).toThrow(RuntimeError);
    expect(lock.locked()).toBe(false);
  });

  it('locked() is true at any depth', () => {
    const lock = new RLock();
    expect(lock.locked()).toBe(false);
    lock.acquire();
    expect(lock.locked()).toBe(true);
    lock.acquire();
    expect(lock.locked()).toBe(true);
    lock.release();
    expect(lock.locked()).toBe(true);
    lock.release();
    expect(lock.locked()).toBe(false);
  });

  it('_isOwned follows the owner', () => {
    const lock = new RLock();
    expect(lock._isOwned()).toBe(false);
    lock.acquire();
    lock.acquire();
    expect(lock._isOwned()).toBe(true);
    lock.release();
    expect(lock._isOwned()).toBe(true);
    lock.release();
    expect(lock._isOwned()).toBe(false);
  });

  it('_releaseSave / _acquireRestore hand over the whole depth', () => {
    const lock = new RLock();
    expect(() => lock._releaseSave()).toThrow(new RuntimeError('cannot release un-acquired lock'));
    lock.acquire();
    lock.acquire();
    lock.acquire();
    const state = lock._releaseSave();
    expect(lock.locked()).toBe(false);
    expect(lock._recursionCount()).toBe(0);
    lock._acquireRestore(state);
    expect(lock._recursionCount()).toBe(3);
    lock.release();
    lock.release();
    lock.release();
    expect(() => lock._releaseSave()).toThrow(RuntimeError);
  });

  it('shows its owner and depth in toString()', () => {
    const lock = new RLock();
    expect(String(lock)).toMatch(/^<unlocked .*RLock object owner=0 count=0>$/);
    lock.acquire();
    lock.acquire();
    expect(String(lock)).toMatch(/^<locked .*RLock object owner=\d+ count=2>$/);
    lock.release();
    lock.release();
  });

  it('follows CPython timeout rules', () => {
    const lock = new RLock();
    expect(() => lock.acquire(false, 1)).toThrow(
      new ValueError("can't specify a timeout for a non-blocking call"),
    );
    expect(() => lock.acquire(true, -100)).toThrow(ValueError);
    expect(() => lock.acquire(true, 1e100)).toThrow(OverflowError);
    expect(() => lock.acquire({ timeout: TIMEOUT_MAX + 1 })).toThrow(OverflowError);
    expect(lock.acquire(true, TIMEOUT_MAX)).toBe(true);
    lock.release();
    const t0 = performance.now();
    expect(lock.acquire({ timeout: 5 })).toBe(true);
    expect(performance.now() - t0).toBeLessThan(5000);
    expect(lock.acquire({ blocking: false })).toBe(true);
    lock.release();
    lock.release();
    expect(lock.locked()).toBe(false);
  });

  it('hold() and withLock() nest and release on throw', () => {
    const lock = new RLock();
    {
      using _outer = lock.hold();
      {
        using _inner = lock.hold();
        expect(lock._recursionCount()).toBe(2);
      }
      expect(lock._recursionCount()).toBe(1);
    }
    expect(lock.locked()).toBe(false);
    expect(() =>
      lock.withLock(() =>
        lock.withLock(() => {
          throw new TypeError('boom');
        }),
      ),
    ).toThrow(TypeError);
    expect(lock.locked()).toBe(false);
    expect(lock.withLock(() => lock.withLock(() => 42))).toBe(42);
  });

  it('acquireAsync re-enters, and holdAsync releases on dispose', async () => {
    const lock = new RLock();
    expect(await lock.acquireAsync()).toBe(true);
    expect(await lock.acquireAsync({ timeout: 0 })).toBe(true);
    expect(lock._recursionCount()).toBe(2);
    lock.release();
    lock.release();
    {
      await using _ = await lock.holdAsync();
      expect(lock.locked()).toBe(true);
    }
    expect(lock.locked()).toBe(false);
    await expect(lock.acquireAsync(false, 1)).rejects.toThrow(ValueError);
  });
});

describe('RLock (across threads)', () => {
  it('a non-owner cannot release it, and sees it locked but not owned', async () => {
    const lock = new RLock();
    const out = shared(4); // [acquired, may release, done, _isOwned in thread]
    const [t] = bunch(
      1,
      (_i: number, lock: RLock, out: Int32Array) => {
        lock.acquire();
        lock.acquire();
        out[3] = lock._isOwned() ? 1 : 0;
        Atomics.store(out, 0, 1);
        Atomics.wait(out, 1, 0); // until the main thread has tried to release
        lock.release();
        lock.release();
        Atomics.store(out, 2, 1);
      },
      [lock, out],
    );
    await until(() => Atomics.load(out, 0) === 1, 'the thread holds the lock');
    expect(out[3]).toBe(1);
    expect(lock.locked()).toBe(true);
    expect(lock._isOwned()).toBe(false);
    expect(lock._recursionCount()).toBe(0);
    expect(String(lock)).toContain(`owner=${t.ident}`);
    expect(String(lock)).toContain('count=2');
    expect(lock.acquire(false)).toBe(false);
    expect(() => lock.release()).toThrow(new RuntimeError('cannot release un-acquired lock'));
    expect(() => lock._releaseSave()).toThrow(RuntimeError);
    Atomics.store(out, 1, 1);
    Atomics.notify(out, 1);
    await joinAll([t]);
    expect(out[2]).toBe(1);
    expect(lock.locked()).toBe(false);
  });

  it('stays locked when its owner exits without releasing (locked() seen from another thread)', async () => {
    const lock = new RLock();
    const out = shared(2);
    const threads = bunch(
      1,
      (_i: number, lock: RLock, out: Int32Array) => {
        out[0] = lock.locked() ? 1 : 0;
        lock.acquire();
        out[1] = lock.locked() ? 1 : 0;
      },
      [lock, out],
    );
    await joinAll(threads);
    expect([out[0], out[1]]).toEqual([0, 1]);
    expect(lock.locked()).toBe(true);
    expect(lock._isOwned()).toBe(false);
    expect(() => lock.release()).toThrow(RuntimeError);
  });

  it('another thread sees the depth and owner in toString() and is not owner', async () => {
    const lock = new RLock();
    lock.acquire();
    lock.acquire();
    const out = shared(4);
    const threads = bunch(
      1,
      (_i: number, lock: RLock, out: Int32Array) => {
        const s = String(lock);
        out[0] = s.includes('count=2') ? 1 : 0;
        out[1] = s.startsWith('<locked') ? 1 : 0;
        out[2] = lock._isOwned() ? 1 : 0;
        out[3] = lock._recursionCount();
      },
      [lock, out],
    );
    await joinAll(threads);
    expect(Array.from(out)).toEqual([1, 1, 0, 0]);
    lock.release();
    lock.release();
  });

  it('try-acquire fails in another thread while held', async () => {
    const lock = new RLock();
    lock.acquire();
    const out = shared(1);
    out[0] = -1;
    const threads = bunch(
      1,
      (_i: number, lock: RLock, out: Int32Array) => {
        out[0] = lock.acquire(false) ? 1 : 0;
      },
      [lock, out],
    );
    await joinAll(threads);
    expect(out[0]).toBe(0);
    lock.release();
  });

  it('contended acquire blocks until release', async () => {
    const lock = new RLock();
    lock.acquire();
    const N = 5;
    const out = shared(2); // [started, finished]
    const threads = bunch(
      N,
      (_i: number, lock: RLock, out: Int32Array) => {
        Atomics.add(out, 0, 1);
        lock.acquire();
        lock.acquire();
        lock.release();
        lock.release();
        Atomics.add(out, 1, 1);
      },
      [lock, out],
    );
    await until(() => Atomics.load(out, 0) === N, 'all threads started');
    await pause();
    expect(Atomics.load(out, 1)).toBe(0);
    lock.release();
    await joinAll(threads);
    expect(out[1]).toBe(N);
    expect(lock.locked()).toBe(false);
  });

  it('a timed acquire in another thread gives up after the timeout', async () => {
    const lock = new RLock();
    lock.acquire();
    const result = new Float64Array(new SharedArrayBuffer(16));
    const threads = bunch(
      1,
      (_i: number, lock: RLock, result: Float64Array) => {
        const t0 = performance.now();
        result[0] = lock.acquire(true, 0.5) ? 1 : 0;
        result[1] = (performance.now() - t0) / 1000;
      },
      [lock, result],
    );
    await joinAll(threads);
    expect(result[0]).toBe(0);
    expectTimeout(result[1], 0.5);
    lock.release();
  });

  it('_recursionCount is 0 in a thread that does not own it', async () => {
    const lock = new RLock();
    const out = shared(3); // [acquired, may release, count seen by main while thread owns]
    const [t] = bunch(
      1,
      (_i: number, lock: RLock, out: Int32Array) => {
        lock.acquire();
        Atomics.store(out, 0, 1);
        Atomics.wait(out, 1, 0);
        lock.release();
      },
      [lock, out],
    );
    await until(() => Atomics.load(out, 0) === 1, 'the thread holds the lock');
    expect(lock._recursionCount()).toBe(0);
    Atomics.store(out, 1, 1);
    Atomics.notify(out, 1);
    await joinAll([t]);
    expect(lock._recursionCount()).toBe(0);
    expect(lock.locked()).toBe(false);
  });

  it('acquireAsync waits for another thread to release, without blocking the event loop', async () => {
    const lock = new RLock();
    const out = shared(2); // [acquired, may release]
    const [t] = bunch(
      1,
      (_i: number, lock: RLock, out: Int32Array) => {
        lock.acquire();
        Atomics.store(out, 0, 1);
        Atomics.wait(out, 1, 0);
        lock.release();
      },
      [lock, out],
    );
    await until(() => Atomics.load(out, 0) === 1, 'the thread holds the lock');
    let acquired = false;
    const pending = lock.acquireAsync().then((ok) => (acquired = ok));
    let ticks = 0;
    await new Promise<void>((resolve) => {
      const timer = setInterval(() => {
        if (++ticks === 3) {
          clearInterval(timer);
          resolve();
        }
      }, 1);
    });
    expect(acquired).toBe(false); // the event loop ran while the lock was still held
    Atomics.store(out, 1, 1);
    Atomics.notify(out, 1);
    expect(await pending).toBe(true);
    expect(lock._isOwned()).toBe(true);
    lock.release();
    await joinAll([t]);
  });

  it('acquireAsync honours AbortSignal while another thread holds it', async () => {
    const lock = new RLock();
    const out = shared(2);
    const [t] = bunch(
      1,
      (_i: number, lock: RLock, out: Int32Array) => {
        lock.acquire();
        Atomics.store(out, 0, 1);
        Atomics.wait(out, 1, 0);
        lock.release();
      },
      [lock, out],
    );
    await until(() => Atomics.load(out, 0) === 1, 'the thread holds the lock');
    const ac = new AbortController();
    const pending = lock.acquireAsync({ signal: ac.signal });
    ac.abort(new Error('stop'));
    await expect(pending).rejects.toThrow('stop');
    expect(lock._isOwned()).toBe(false);
    Atomics.store(out, 1, 1);
    Atomics.notify(out, 1);
    await joinAll([t]);
    expect(lock.acquire(false)).toBe(true);
    lock.release();
  });

  it('withLock serialises threads on the same lock', async () => {
    expect(typeof Thread).toBe('function');
    const lock = new RLock();
    const out = shared(1);
    const threads = bunch(
      3,
      (i: number, lock: RLock, out: Int32Array) => {
        lock.withLock(() => {
          out[0] = out[0] * 10 + i + 1;
        });
      },
      [lock, out],
    );
    await joinAll(threads);
    expect(String(out[0]).split('').sort().join('')).toBe('123');
  });
});
