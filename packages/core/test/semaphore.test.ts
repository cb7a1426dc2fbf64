// Semaphore and BoundedSemaphore: ports of CPython's lock_tests.BaseSemaphoreTests,
// SemaphoreTests and BoundedSemaphoreTests, plus the async twins.

import { BoundedSemaphore, Semaphore, ValueError } from '@threadkit/core';
import { describe, expect, it } from 'vitest';
import { bunch, expectTimeout, joinAll, pause, shared, until } from './helpers/threads.js';

type SemType = typeof Semaphore;

for (const Sem of [Semaphore, BoundedSemaphore] as SemType[]) {
  describe(`${Sem.name} (single thread)`, () => {
    it('rejects a negative initial value', () => {
      expect(() => new Sem(-1)).toThrow(new ValueError('semaphore initial value must be >= 0'));
      expect(() => new Sem(Number.MIN_SAFE_INTEGER)).toThrow(ValueError);
      expect(() => new Sem(1.5)).toThrow(TypeError);
      expect(() => new Sem(0)).not.toThrow();
    });

    it('acquires and releases', () => {
      let sem = new Sem(1);
      expect(sem.acquire()).toBe(true);
      sem.release();
      sem = new Sem(2);
      sem.acquire();
      sem.acquire();
      sem.release();
      sem.release();
      expect(sem._value).toBe(2);
    });

    it('try-acquires', () => {
      const sem = new Sem(2);
      expect(sem.acquire(false)).toBe(true);
      expect(sem.acquire(false)).toBe(true);
      expect(sem.acquire(false)).toBe(false);
      sem.release();
      expect(sem.acquire({ blocking: false })).toBe(true);
    });

    it('follows CPython timeout rules', () => {
      const sem = new Sem(2);
      expect(() => sem.acquire(false, 1.0)).toThrow(
        new ValueError("can't specify timeout for non-blocking acquire"),
      );
      expect(sem.acquire(true, 0.005)).toBe(true);
      expect(sem.acquire({ timeout: 0.005 })).toBe(true);
      expect(sem.acquire(true, 0.005)).toBe(false);
      expect(sem.acquire(true, 0)).toBe(false);
      expect(sem.acquire(true, -1)).toBe(false); // negative: just try, no error
      sem.release();
      expect(sem.acquire(true, 0.005)).toBe(true);
      const t0 = performance.now();
      expect(sem.acquire(true, 0.5)).toBe(false);
      expectTimeout((performance.now() - t0) / 1000, 0.5);
      expect(sem._nWaiters).toBe(0);
    });

    it('release(n) needs n >= 1', () => {
      const sem = new Sem(0);
      expect(() => sem.release(0)).toThrow(new ValueError('n must be one or more'));
      expect(() => sem.release(-1)).toThrow(new ValueError('n must be one or more'));
      expect(() => sem.release(1.5)).toThrow(TypeError);
      expect(sem._value).toBe(0);
    });

    it('defaults to 1', () => {
      const sem = new Sem();
      expect(sem.acquire(false)).toBe(true);
      expect(sem.acquire(false)).toBe(false);
      sem.release();
    });

    it('hold() / withLock() take and give back one unit, also on throw', () => {
      const sem = new Sem(2);
      const nested = (err?: Error) => {
        using _a = sem.hold();
        expect(sem.acquire(false)).toBe(true);
        sem.release();
        {
          using _b = sem.hold();
          expect(sem.acquire(false)).toBe(false);
          if (err) throw err;
        }
      };
      nested();
      expect(sem.acquire(false)).toBe(true);
      sem.release();
      expect(() => nested(new TypeError('x'))).toThrow(TypeError);
      expect(sem.acquire(false)).toBe(true);
      sem.release();
      expect(sem.withLock(() => sem._value)).toBe(1);
      expect(sem._value).toBe(2);
    });

    it('acquireAsync waits for a release and honours AbortSignal', async () => {
      const sem = new Sem(1);
      await sem.acquireAsync();
      const pending = sem.acquireAsync();
      expect(sem._nWaiters).toBe(1);
      setTimeout(() => sem.release(), 10);
      expect(await pending).toBe(true);
      const ac = new AbortController();
      const aborted = sem.acquireAsync({ signal: ac.signal });
      ac.abort(new Error('stop'));
      await expect(aborted).rejects.toThrow('stop');
      expect(sem._nWaiters).toBe(0);
      expect(await sem.acquireAsync({ timeout: 0.05 })).toBe(false);
      await expect(sem.acquireAsync(false, 1)).rejects.toThrow(ValueError);
      sem.release();
      {
        await using _ = await sem.holdAsync();
        expect(sem._value).toBe(0);
      }
      expect(sem._value).toBe(1);
    });
  });
}

describe('Semaphore vs BoundedSemaphore', () => {
  it('an unbounded semaphore may be released above its initial value', () => {
    const sem = new Semaphore(1);
    sem.release();
    expect(sem._value).toBe(2);
    sem.acquire();
    sem.acquire();
    sem.release(3);
    expect(sem._value).toBe(3);
    expect(String(sem)).toMatch(/^<\w+\.Semaphore at .*: value=3>$/);
  });

  it('a bounded semaphore refuses to go above its initial value, unchanged', () => {
    const sem = new BoundedSemaphore();
    expect(() => sem.release()).toThrow(new ValueError('Semaphore released too many times'));
    sem.acquire();
    sem.release();
    expect(() => sem.release()).toThrow(ValueError);
    const three = new BoundedSemaphore(3);
    three.acquire();
    expect(String(three)).toMatch(/^<\w+\.BoundedSemaphore at .*: value=2\/3>$/);
    expect(() => three.release(2)).toThrow(new ValueError('Semaphore released too many times'));
    expect(three._value).toBe(2);
    three.release(1);
    expect(three._value).toBe(3);
    expect(three).toBeInstanceOf(Semaphore);
  });
});

/** Thread body: acquire twice, logging the phase after each. */
function acquireTwice(_i: number, sem: Semaphore, s: Int32Array) {
  // s: [phase, n, ok count, done, log...]
  for (let k = 0; k < 2; k++) {
    const ok = sem.acquire();
    if (ok) Atomics.add(s, 2, 1);
    const phase = Atomics.load(s, 0);
    Atomics.store(s, 4 + Atomics.add(s, 1, 1), phase + 1); // non-zero once written
  }
  Atomics.add(s, 3, 1);
}

/** The phases logged so far (only entries already written). */
function phases(s: Int32Array): number[] {
  return Array.from(s.subarray(4))
    .filter((p) => p !== 0)
    .map((p) => p - 1)
    .sort();
}

for (const Sem of [Semaphore, BoundedSemaphore] as SemType[]) {
  describe(`${Sem.name} (across threads)`, () => {
    async function contended(multi: boolean) {
      const sem = new Sem(7);
      sem.acquire();
      const s = shared(4 + 20);
      const threads = bunch(10, acquireTwice, [sem, s]);
      // Phase 0: six units left.
      await until(() => phases(s).length >= 6, 'six acquired');
      // Every thread is now either done or blocked.
      await until(() => sem._nWaiters + Atomics.load(s, 3) === 10, 'the others block');
      await pause();
      expect(phases(s)).toEqual(Array(6).fill(0));
      // Phase 1: seven more.
      Atomics.store(s, 0, 1);
      if (multi) sem.release(7);
      else for (let i = 0; i < 7; i++) sem.release();
      await until(() => phases(s).length >= 13, 'seven more acquired');
      await pause();
      expect(phases(s)).toEqual([...Array(6).fill(0), ...Array(7).fill(1)]);
      // Phase 2: six more.
      Atomics.store(s, 0, 2);
      if (multi) sem.release(6);
      else for (let i = 0; i < 6; i++) sem.release();
      await until(() => phases(s).length >= 19, 'six more acquired');
      await pause();
      expect(phases(s)).toEqual([...Array(6).fill(0), ...Array(7).fill(1), ...Array(6).fill(2)]);
      expect(sem.acquire(false)).toBe(false); // still locked
      sem.release(); // let the last one finish
      await joinAll(threads);
      expect(Atomics.load(s, 2)).toBe(20);
      expect(sem._value).toBe(0);
    }

    it('contended acquire: exactly as many pass as were released', async () => {
      await contended(false);
    });

    it('release(n) lets exactly n threads pass', async () => {
      await contended(true);
    });

    it('try-acquire in five threads succeeds exactly three times', async () => {
      const sem = new Sem(4);
      sem.acquire();
      const s = shared(2); // [true count, false count]
      const threads = bunch(
        5,
        (_i: number, sem: Semaphore, s: Int32Array) => {
          for (let k = 0; k < 2; k++) Atomics.add(s, sem.acquire(false) ? 0 : 1, 1);
        },
        [sem, s],
      );
      await joinAll(threads);
      expect([s[0], s[1]]).toEqual([3, 7]);
    });

    it('the default value 1 blocks a second thread until release', async () => {
      const sem = new Sem();
      sem.acquire();
      const s = shared(1);
      const threads = bunch(
        1,
        (_i: number, sem: Semaphore, s: Int32Array) => {
          sem.acquire();
          sem.release();
          Atomics.store(s, 0, 1);
        },
        [sem, s],
      );
      await until(() => sem._nWaiters === 1, 'the thread waits');
      await pause();
      expect(Atomics.load(s, 0)).toBe(0);
      sem.release();
      await joinAll(threads);
      expect(s[0]).toBe(1);
    });

    it('a timed acquire in another thread gives up after the timeout', async () => {
      const sem = new Sem(0);
      const out = new Float64Array(new SharedArrayBuffer(16));
      const threads = bunch(
        1,
        (_i: number, sem: Semaphore, out: Float64Array) => {
          const t0 = performance.now();
          out[0] = sem.acquire(true, 0.5) ? 1 : 0;
          out[1] = (performance.now() - t0) / 1000;
        },
        [sem, out],
      );
      await joinAll(threads);
      expect(out[0]).toBe(0);
      expectTimeout(out[1], 0.5);
      expect(sem._nWaiters).toBe(0);
    });

    it('acquireAsync in the main thread is satisfied by a release in another thread', async () => {
      const sem = new Sem(1);
      sem.acquire();
      const pending = sem.acquireAsync(true, 20);
      const threads = bunch(1, (_i: number, sem: Semaphore) => sem.release(), [sem]);
      expect(await pending).toBe(true);
      await joinAll(threads);
      expect(sem._value).toBe(0);
    });
  });
}

describe('BoundedSemaphore (across threads)', () => {
  it('arrives bounded in another thread, where over-release fails too', async () => {
    const sem = new BoundedSemaphore(2);
    sem.acquire();
    const s = shared(3); // [first release ok, second release threw ValueError, value]
    const threads = bunch(
      1,
      (_i: number, sem: BoundedSemaphore, s: Int32Array) => {
        sem.release();
        s[0] = 1;
        try {
          sem.release();
        } catch (err) {
          s[1] =
            (err as Error).name === 'ValueError' && /too many/.test((err as Error).message) ? 1 : 0;
        }
        s[2] = sem._value;
      },
      [sem, s],
    );
    await joinAll(threads);
    expect(Array.from(s)).toEqual([1, 1, 2]);
    expect(String(sem)).toMatch(/BoundedSemaphore .*value=2\/2>$/);
  });
});
