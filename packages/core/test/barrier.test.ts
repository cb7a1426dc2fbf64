// Barrier: ports of CPython's lock_tests.BarrierTests, plus the action as a thread target
// (inline and module), and the async twin.

import { Barrier, BrokenBarrierError, ValueError } from '@threadkit/core';
import { describe, expect, it } from 'vitest';
import { countCycle } from './fixtures/barrier-actions.mjs';
import { bunch, expectTimeout, joinAll, shared, until } from './helpers/threads.js';

const N = 5;
/** Long enough never to fire on a loaded machine; short enough that a bug cannot hang the run. */
const SAFETY_TIMEOUT = 20;

describe('Barrier (single thread)', () => {
  it('validates its arguments', () => {
    expect(() => new Barrier(0)).toThrow(new ValueError('parties must be >= 1'));
    expect(() => new Barrier(-1)).toThrow(new ValueError('parties must be >= 1'));
    expect(() => new Barrier(1.5)).toThrow(TypeError);
    expect(() => new Barrier('2' as any)).toThrow(TypeError);
    expect(() => new Barrier(2, null, 'x' as any)).toThrow(TypeError);
    expect(() => new Barrier(2, 'x' as any)).toThrow(TypeError);
  });

  it('a one-party barrier passes at once, running the action each time', () => {
    let runs = 0;
    const b = new Barrier(1, () => {
      runs++; // the creating thread calls the original function: closures work here
    });
    expect(b.wait()).toBe(0);
    expect(b.wait()).toBe(0);
    expect(runs).toBe(2);
    expect(b.broken).toBe(false);
  });

  it('exposes parties, nWaiting, broken and toString', () => {
    const b = new Barrier(3);
    expect(b.parties).toBe(3);
    expect(b.nWaiting).toBe(0);
    expect(b.broken).toBe(false);
    expect(String(b)).toMatch(/^<\w+\.Barrier at .*: waiters=0\/3>$/);
    b.abort();
    expect(String(b)).toMatch(/^<\w+\.Barrier at .*: broken>$/);
  });

  it('abort breaks it for every later wait until reset', () => {
    const b = new Barrier(1);
    b.abort();
    expect(b.broken).toBe(true);
    expect(() => b.wait()).toThrow(BrokenBarrierError);
    expect(() => b.wait()).toThrow(BrokenBarrierError);
    b.reset();
    expect(b.broken).toBe(false);
    expect(b.wait()).toBe(0);
  });

  it('a wait that times out breaks the barrier', () => {
    const b = new Barrier(2);
    const t0 = performance.now();
    expect(() => b.wait(0.2)).toThrow(BrokenBarrierError);
    expectTimeout((performance.now() - t0) / 1000, 0.2);
    expect(b.broken).toBe(true);
    expect(b.nWaiting).toBe(0);
    b.reset();
    expect(() => b.wait(0)).toThrow(BrokenBarrierError); // <= 0: break at once
    b.reset();
    expect(() => b.wait(-1)).toThrow(BrokenBarrierError);
  });

  it('uses its default timeout', () => {
    const b = new Barrier(2, null, 0.1);
    const t0 = performance.now();
    expect(() => b.wait()).toThrow(BrokenBarrierError);
    expectTimeout((performance.now() - t0) / 1000, 0.1);
  });

  it('a failing action breaks the barrier and propagates in the last thread', () => {
    const b = new Barrier(1, () => {
      throw new TypeError('bad action');
    });
    expect(() => b.wait()).toThrow(new TypeError('bad action'));
    expect(b.broken).toBe(true);
    expect(() => b.wait()).toThrow(BrokenBarrierError);
  });

  it('an async action cannot run in a blocking wait: TypeError, and the barrier breaks', () => {
    const b = new Barrier(1, async () => {});
    expect(() => b.wait()).toThrow(TypeError);
    expect(b.broken).toBe(true);
  });

  it('waitAsync: parties in one event loop meet, and an async action is awaited first', async () => {
    let done = 0;
    const b = new Barrier(3, async () => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      done++;
    });
    const seen: number[] = [];
    const party = async () => {
      const i = await b.waitAsync();
      seen.push(done);
      return i;
    };
    const first = party();
    const second = party();
    await until(() => b.nWaiting === 2, 'two parties wait');
    expect(String(b)).toMatch(/waiters=2\/3>$/);
    const indices = await Promise.all([first, second, party()]);
    expect(indices.sort()).toEqual([0, 1, 2]);
    expect(seen).toEqual([1, 1, 1]);
    expect(b.nWaiting).toBe(0);
  });

  it('waitAsync: an aborted party breaks the barrier for everyone', async () => {
    const b = new Barrier(3);
    const other = b.waitAsync(SAFETY_TIMEOUT);
    const ac = new AbortController();
    const mine = b.waitAsync({ signal: ac.signal });
    await until(() => b.nWaiting === 2, 'two parties wait');
    ac.abort(new Error('gave up'));
    await expect(mine).rejects.toThrow('gave up');
    await expect(other).rejects.toThrow(BrokenBarrierError);
    expect(b.broken).toBe(true);
  });

  it('waitAsync honours timeouts', async () => {
    const b = new Barrier(2, null, 0.1);
    await expect(b.waitAsync()).rejects.toThrow(BrokenBarrierError);
    b.reset();
    const t0 = performance.now();
    await expect(b.waitAsync({ timeout: 0.2 })).rejects.toThrow(BrokenBarrierError);
    expectTimeout((performance.now() - t0) / 1000, 0.2);
  });
});

describe('Barrier (across threads)', () => {
  async function multipass(passes: number) {
    const b = new Barrier(N, null, SAFETY_TIMEOUT);
    const s = shared(3); // [phase-0 arrivals, phase-1 arrivals, lockstep violations]
    const threads = bunch(
      N,
      (_i: number, b: Barrier, s: Int32Array, passes: number, m: number) => {
        for (let i = 0; i < passes; i++) {
          Atomics.add(s, 0, 1);
          if (Atomics.load(s, 1) !== i * m) Atomics.add(s, 2, 1);
          b.wait();
          Atomics.add(s, 1, 1);
          if (Atomics.load(s, 0) !== (i + 1) * m) Atomics.add(s, 2, 1);
          b.wait();
        }
      },
      [b, s, passes, N],
    );
    await joinAll(threads);
    expect(Array.from(s)).toEqual([passes * N, passes * N, 0]);
    expect(b.nWaiting).toBe(0);
    expect(b.broken).toBe(false);
  }

  it('is passed in lockstep', async () => {
    await multipass(1);
  });

  it('is passed in lockstep for 10 consecutive cycles', async () => {
    await multipass(10);
  });

  it('wait returns each index 0..N-1 once per cycle (main thread takes part)', () => {
    const b = new Barrier(N, null, SAFETY_TIMEOUT);
    const s = shared(3); // a bit mask of indices per cycle
    const body = (_i: number, b: Barrier, s: Int32Array) => {
      for (let cycle = 0; cycle < 3; cycle++) Atomics.or(s, cycle, 1 << b.wait());
    };
    const threads = bunch(N - 1, body, [b, s]);
    body(0, b, s); // blocking waits on the main thread
    for (const t of threads) t.join(SAFETY_TIMEOUT);
    expect(Array.from(s)).toEqual([31, 31, 31]);
  });

  it('runs an inline action once per cycle, in the last thread to arrive, before anyone leaves', async () => {
    const action = () => {
      const g = globalThis as any;
      Atomics.add(g.__tkBarrierCounts, 0, 1);
      Atomics.store(g.__tkBarrierCounts, 1, g.__tkMe);
    };
    const b = new Barrier(N, action, SAFETY_TIMEOUT);
    const s = shared(3); // [actions run, last runner, violations]
    const threads = bunch(
      N,
      (i: number, b: Barrier, s: Int32Array, n: number) => {
        const g = globalThis as any;
        g.__tkBarrierCounts = s;
        g.__tkMe = i + 1;
        for (let cycle = 0; cycle < 3; cycle++) {
          const index = b.wait();
          if (Atomics.load(s, 0) !== cycle + 1) Atomics.add(s, 2, 1);
          if (index === n - 1 && Atomics.load(s, 1) !== i + 1) Atomics.add(s, 2, 1);
        }
      },
      [b, s, N],
    );
    await joinAll(threads);
    expect(s[0]).toBe(3);
    expect(s[2]).toBe(0);
  });

  it('runs a module action (threadable) in threads that use waitAsync', async () => {
    const b = new Barrier(3, countCycle, SAFETY_TIMEOUT);
    const s = shared(2); // [actions run, violations]
    const threads = bunch(
      3,
      async (_i: number, b: Barrier, s: Int32Array) => {
        (globalThis as any).__tkBarrierCounts = s;
        for (let cycle = 0; cycle < 2; cycle++) {
          await b.waitAsync();
          if (Atomics.load(s, 0) !== cycle + 1) Atomics.add(s, 1, 1);
        }
      },
      [b, s],
    );
    await joinAll(threads);
    expect(Array.from(s)).toEqual([2, 0]);
  });

  it('a failing action breaks the barrier: the error in its thread, BrokenBarrierError elsewhere', async () => {
    const b = new Barrier(
      3,
      () => {
        throw new Error('boom');
      },
      SAFETY_TIMEOUT,
    );
    const s = shared(3); // [boom, broken, other]
    const threads = bunch(
      3,
      (_i: number, b: Barrier, s: Int32Array) => {
        try {
          b.wait();
        } catch (err) {
          const e = err as Error;
          Atomics.add(s, e.message === 'boom' ? 0 : e.name === 'BrokenBarrierError' ? 1 : 2, 1);
        }
      },
      [b, s],
    );
    await joinAll(threads);
    expect(Array.from(s)).toEqual([1, 2, 0]);
    expect(b.broken).toBe(true);
  });

  it('an inline action that captures a variable fails in another thread with a hint', async () => {
    const secret = 42;
    const b = new Barrier(1, () => secret);
    expect(b.wait()).toBe(0); // the creating thread calls the original closure
    const s = shared(2); // [ReferenceError with hint, broken afterwards]
    const threads = bunch(
      1,
      (_i: number, b: Barrier, s: Int32Array) => {
        try {
          b.wait();
        } catch (err) {
          const e = err as Error;
          s[0] = e.name === 'ReferenceError' && e.message.includes('hint') ? 1 : 0;
        }
        s[1] = b.broken ? 1 : 0;
      },
      [b, s],
    );
    await joinAll(threads);
    expect(Array.from(s)).toEqual([1, 1]);
  });

  it('abort() puts it in a broken state for everyone', async () => {
    const b = new Barrier(N, null, SAFETY_TIMEOUT);
    const s = shared(2); // [passed second wait, got BrokenBarrierError]
    const threads = bunch(
      N,
      (_i: number, b: Barrier, s: Int32Array, n: number) => {
        try {
          if (b.wait() === n >> 1) {
            b.abort(); // this party cannot go on
            return;
          }
          b.wait();
          Atomics.add(s, 0, 1);
        } catch (err) {
          if ((err as Error).name === 'BrokenBarrierError') Atomics.add(s, 1, 1);
        }
      },
      [b, s, N],
    );
    await joinAll(threads);
    expect(Array.from(s)).toEqual([0, N - 1]);
    expect(b.broken).toBe(true);
  });

  it('reset() frees the waiting threads, which can then pass it again', async () => {
    const b = new Barrier(N, null, SAFETY_TIMEOUT);
    const s = shared(4); // [passed, broken, passed again, pad for sleeping]
    const threads = bunch(
      N,
      (_i: number, b: Barrier, s: Int32Array, n: number) => {
        if (b.wait() === n >> 1) {
          // Wait until the other threads are all in the barrier.
          while (b.nWaiting < n - 1) Atomics.wait(s, 3, 0, 1);
          b.reset();
        } else {
          try {
            b.wait();
            Atomics.add(s, 0, 1);
          } catch (err) {
            if ((err as Error).name === 'BrokenBarrierError') Atomics.add(s, 1, 1);
          }
        }
        b.wait(); // pass it again
        Atomics.add(s, 2, 1);
      },
      [b, s, N],
    );
    await joinAll(threads);
    expect(Array.from(s.subarray(0, 3))).toEqual([0, N - 1, N]);
    expect(b.broken).toBe(false);
  });

  it('can be reset after being broken', async () => {
    const b = new Barrier(N, null, SAFETY_TIMEOUT);
    const b2 = new Barrier(N, null, SAFETY_TIMEOUT);
    const s = shared(3); // [passed, broken, passed after reset]
    const threads = bunch(
      N,
      (_i: number, b: Barrier, b2: Barrier, s: Int32Array, n: number) => {
        try {
          if (b.wait() === n >> 1) {
            b.abort();
          } else {
            b.wait();
            Atomics.add(s, 0, 1);
          }
        } catch (err) {
          if ((err as Error).name === 'BrokenBarrierError') Atomics.add(s, 1, 1);
        }
        // Everyone must have left before the reset, and nobody may enter before it.
        if (b2.wait() === n >> 1) b.reset();
        b2.wait();
        b.wait();
        Atomics.add(s, 2, 1);
      },
      [b, b2, s, N],
    );
    await joinAll(threads);
    expect(Array.from(s)).toEqual([0, N - 1, N]);
  });

  it('wait(timeout) breaks it when a party is late', async () => {
    const b = new Barrier(N, null, SAFETY_TIMEOUT);
    const s = shared(3); // [BrokenBarrierError, passed, pad]
    const threads = bunch(
      N,
      (_i: number, b: Barrier, s: Int32Array, n: number) => {
        if (b.wait() === n >> 1) {
          // One party is late: it arrives only after the others timed out and broke it.
          while (!b.broken) Atomics.wait(s, 2, 0, 1);
        }
        try {
          b.wait(0.5);
          Atomics.add(s, 1, 1);
        } catch (err) {
          if ((err as Error).name === 'BrokenBarrierError') Atomics.add(s, 0, 1);
        }
      },
      [b, s, N],
    );
    await joinAll(threads);
    expect([s[0], s[1]]).toEqual([N, 0]);
  });

  it("the barrier's default timeout applies in other threads too", async () => {
    const b = new Barrier(2, null, 0.1);
    const out = new Float64Array(new SharedArrayBuffer(16));
    const threads = bunch(
      1,
      (_i: number, b: Barrier, out: Float64Array) => {
        const t0 = performance.now();
        try {
          b.wait();
        } catch (err) {
          out[0] = (err as Error).name === 'BrokenBarrierError' ? 1 : 0;
        }
        out[1] = (performance.now() - t0) / 1000;
      },
      [b, out],
    );
    await joinAll(threads);
    expect(out[0]).toBe(1);
    expectTimeout(out[1], 0.1);
  });

  it('counts waiting threads and shows them in toString', async () => {
    const b = new Barrier(3);
    const s = shared(2);
    const threads = bunch(
      2,
      (_i: number, b: Barrier, s: Int32Array) => {
        if (b.parties === 3) Atomics.add(s, 0, 1);
        Atomics.or(s, 1, 1 << b.wait(30));
      },
      [b, s],
    );
    await until(() => b.nWaiting === 2, 'two threads wait');
    expect(String(b)).toMatch(/^<\w+\.Barrier at .*: waiters=2\/3>$/);
    const mine = await b.waitAsync(30);
    await joinAll(threads);
    expect(mine).toBe(2);
    expect(Array.from(s)).toEqual([2, 0b011]);
    expect(String(b)).toMatch(/waiters=0\/3>$/);
    b.abort();
    expect(String(b)).toMatch(/: broken>$/);
  });
});
