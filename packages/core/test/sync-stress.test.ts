// Stress: exact results of a non-atomic shared counter incremented by 4 threads × 100 000
// times under each lockable, blocking and async; and a bounded buffer on two Conditions.

import { BoundedSemaphore, Condition, Lock, memoryStats, RLock, Semaphore } from '@threadkit/core';
import { describe, expect, it } from 'vitest';
import { bunch, joinAll, shared } from './helpers/threads.js';

const THREADS = 4;
const INCREMENTS = 100_000;

interface Lockish {
  acquire(): boolean;
  acquireAsync(): Promise<boolean>;
  release(): void;
}

/**
 * Thread body: even threads acquire blocking, odd ones with acquireAsync when `mixed`.
 * counter: [value, start gate, scratch]. All threads start together (else each would finish
 * before the next one starts), and the read-modify-write is made wide enough that without
 * mutual exclusion many updates are lost.
 */
async function increment(
  i: number,
  lock: Lockish,
  counter: Int32Array,
  n: number,
  mixed: boolean,
  nested: boolean,
  threads: number,
) {
  Atomics.add(counter, 1, 1);
  Atomics.notify(counter, 1);
  for (let g = Atomics.load(counter, 1); g < threads; g = Atomics.load(counter, 1)) {
    Atomics.wait(counter, 1, g);
  }
  const bump = () => {
    const v = counter[0]; // deliberately not atomic: only the lock protects it
    let x = v;
    for (let j = 0; j < 20; j++) x = (x * 31 + j) | 0;
    counter[2] = x;
    counter[0] = v + 1;
  };
  if (mixed && i % 2 === 1) {
    for (let k = 0; k < n; k++) {
      await lock.acquireAsync();
      bump();
      lock.release();
    }
    return;
  }
  for (let k = 0; k < n; k++) {
    lock.acquire();
    if (nested) lock.acquire();
    bump();
    if (nested) lock.release();
    lock.release();
  }
}

async function run(lock: Lockish, { mixed = false, nested = false } = {}) {
  const counter = shared(3);
  const threads = bunch(THREADS, increment, [lock, counter, INCREMENTS, mixed, nested, THREADS]);
  await joinAll(threads, 45);
  expect(counter[0]).toBe(THREADS * INCREMENTS);
}

describe('stress: 4 threads × 100 000 increments of a plain shared counter', () => {
  it('under a Lock', async () => {
    const lock = new Lock();
    await run(lock);
    expect(lock.locked()).toBe(false);
  });

  it('under an RLock (taken twice each time)', async () => {
    const lock = new RLock();
    await run(lock, { nested: true });
    expect(lock.locked()).toBe(false);
  });

  it('under a Semaphore(1)', async () => {
    const sem = new Semaphore(1);
    await run(sem);
    expect(sem._value).toBe(1);
  });

  it('under a BoundedSemaphore(1)', async () => {
    const sem = new BoundedSemaphore(1);
    await run(sem);
    expect(sem._value).toBe(1);
  });

  it('under a Lock, mixing acquireAsync with blocking acquire', async () => {
    const lock = new Lock();
    await run(lock, { mixed: true });
    expect(lock.locked()).toBe(false);
  });

  it('under an RLock, mixing acquireAsync with blocking acquire', async () => {
    await run(new RLock(), { mixed: true });
  });

  it('under a Semaphore(1), mixing acquireAsync with blocking acquire', async () => {
    await run(new Semaphore(1), { mixed: true });
  });
});

describe('stress: bounded buffer on two Conditions sharing one Lock', () => {
  it('every item produced is consumed exactly once (notify never lost)', async () => {
    const lock = new Lock();
    const notFull = new Condition(lock);
    const notEmpty = new Condition(lock);
    const CAPACITY = 4;
    const ITEMS = 5_000;
    // buf: [count, head, tail, items × CAPACITY]; sums: [consumed sum, consumed count]
    const buf = shared(3 + CAPACITY);
    const sums = new Float64Array(new SharedArrayBuffer(16));
    const threads = bunch(
      4,
      (
        i: number,
        notFull: Condition,
        notEmpty: Condition,
        buf: Int32Array,
        sums: Float64Array,
        cap: number,
        items: number,
      ) => {
        const producer = i < 2;
        for (let k = 1; k <= items; k++) {
          if (producer) {
            notFull.withLock(() => {
              notFull.waitFor(() => buf[0] < cap);
              buf[3 + buf[2]] = k;
              buf[2] = (buf[2] + 1) % cap;
              buf[0]++;
              notEmpty.notify();
            });
          } else {
            notEmpty.withLock(() => {
              notEmpty.waitFor(() => buf[0] > 0);
              sums[0] += buf[3 + buf[1]];
              sums[1] += 1;
              buf[1] = (buf[1] + 1) % cap;
              buf[0]--;
              notFull.notify();
            });
          }
        }
      },
      [notFull, notEmpty, buf, sums, CAPACITY, ITEMS],
    );
    await joinAll(threads, 45);
    expect(sums[1]).toBe(2 * ITEMS);
    expect(sums[0]).toBe(2 * ((ITEMS * (ITEMS + 1)) / 2));
    expect(buf[0]).toBe(0);
  });
});

// A Condition on an RLock defers its notify's wake-ups until the notifier releases the lock
// (parking/waiters.ts): the same buffer on RLock Conditions, with async waiters too, and timed
// waits that expire while their notification is still deferred.
describe('stress: Conditions on an RLock (wake-ups deferred to the release)', () => {
  it('bounded buffer on two RLock Conditions, blocking and async waits: every item once', async () => {
    const lock = new RLock();
    const notFull = new Condition(lock);
    const notEmpty = new Condition(lock);
    const buf = shared(3 + 4);
    const sums = new Float64Array(new SharedArrayBuffer(16));
    const ITEMS = 5_000;
    const threads = bunch(
      4,
      async (
        i: number,
        notFull: Condition,
        notEmpty: Condition,
        buf: Int32Array,
        sums: Float64Array,
        items: number,
      ) => {
        const producer = i < 2;
        const useAsync = i % 2 === 1;
        const cond = producer ? notFull : notEmpty;
        const ready = producer ? () => buf[0] < 4 : () => buf[0] > 0;
        for (let k = 1; k <= items; k++) {
          if (useAsync) {
            await cond.acquireAsync();
            await cond.waitForAsync(ready);
          } else {
            cond.acquire();
            cond.waitFor(ready);
          }
          if (producer) {
            buf[3 + buf[2]] = k;
            buf[2] = (buf[2] + 1) % 4;
            buf[0]++;
            notEmpty.notify();
          } else {
            sums[0] += buf[3 + buf[1]];
            sums[1] += 1;
            buf[1] = (buf[1] + 1) % 4;
            buf[0]--;
            notFull.notify();
          }
          cond.release();
        }
      },
      [notFull, notEmpty, buf, sums, ITEMS],
    );
    await joinAll(threads, 60);
    expect(sums[1]).toBe(2 * ITEMS);
    expect(sums[0]).toBe(2 * ((ITEMS * (ITEMS + 1)) / 2));
    expect(buf[0]).toBe(0);
  });

  it('timed waits racing deferred notifies: every token taken once, no waiter node leaked', async () => {
    const TOKENS = 1_000;
    /**
     * 2 producers notify and keep the lock 0.3 ms; 2 consumers wait 0.2 ms at a time, so most
     * notified waiters time out before the notifier's release sends their wake-up.
     */
    const round = async () => {
      const cond = new Condition(); // an RLock
      const state = shared(3); // [available, taken, consumer timeouts]
      const threads = bunch(
        4,
        (i: number, c: Condition, s: Int32Array, total: number) => {
          if (i < 2) {
            for (let k = 0; k < total / 2; k++) {
              c.acquire();
              s[0]++;
              c.notify();
              const until = performance.now() + 0.3;
              while (performance.now() < until); // hold on: notified waiters time out
              c.release();
            }
            return;
          }
          c.acquire();
          while (s[1] < total) {
            if (s[0] > 0) {
              s[0]--;
              s[1]++;
            } else if (!c.wait(0.0002)) s[2]++;
          }
          c.release();
        },
        [cond, state, TOKENS],
      );
      await joinAll(threads, 60);
      expect(state[1]).toBe(TOKENS);
      expect(state[0]).toBe(0);
    };
    await round(); // warm: thread records, worker state
    const before = memoryStats().used;
    await round();
    await round();
    // Each leaked waiter node would be a 16-byte block; thousands of waits time out.
    expect(memoryStats().used - before).toBeLessThan(2048);
  });
});

// Semaphore's uncontended path is one compare-exchange and one add, its "someone is parked"
// flag living in the value word (parking/flagged-count.ts): counting semaphores under real
// contention, with blocking, timed and async acquirers, must never let more than the count in
// nor lose a wake-up, and must leave the flag cleared (a stale flag would only cost speed, a
// missing one a lost wake-up).
describe('stress: counting semaphores, 4 threads', () => {
  const ROUNDS = 20_000;

  /** Thread body: take a permit ROUNDS times; `inside` = [now inside, most seen, entries]. */
  async function enter(
    i: number,
    sem: Semaphore,
    inside: Int32Array,
    rounds: number,
    mode: 'blocking' | 'mixed',
  ) {
    const useAsync = mode === 'mixed' && i % 2 === 1;
    const timed = mode === 'mixed' && i === 2;
    for (let k = 0; k < rounds; k++) {
      if (useAsync) await sem.acquireAsync();
      else if (timed) {
        while (!sem.acquire(true, 0.0005)); // short timed waits racing the releases
      } else sem.acquire();
      const now = Atomics.add(inside, 0, 1) + 1;
      for (let m = Atomics.load(inside, 1); now > m; m = Atomics.load(inside, 1)) {
        if (Atomics.compareExchange(inside, 1, m, now) === m) break;
      }
      Atomics.add(inside, 2, 1);
      for (let s = 0; s < 20; s++) Atomics.load(inside, 0); // stay inside a little
      Atomics.sub(inside, 0, 1);
      sem.release();
    }
  }

  for (const Sem of [Semaphore, BoundedSemaphore]) {
    for (const mode of ['blocking', 'mixed'] as const) {
      it(`${Sem.name}(3): never more than 3 inside, every entry counted (${mode})`, async () => {
        const sem = new Sem(3);
        const inside = shared(3);
        await joinAll(bunch(THREADS, enter, [sem, inside, ROUNDS, mode]), 60);
        expect(inside[2]).toBe(THREADS * ROUNDS);
        expect(inside[1]).toBeLessThanOrEqual(3);
        expect(inside[1]).toBeGreaterThan(1); // the threads did overlap
        expect(sem._value).toBe(3);
        expect(sem._nWaiters).toBe(0);
        // The flag was cleared: a try-acquire of every permit works, and one more fails.
        for (let k = 0; k < 3; k++) expect(sem.acquire(false)).toBe(true);
        expect(sem.acquire(false)).toBe(false);
        if (Sem === BoundedSemaphore) {
          sem.release(3);
          expect(() => sem.release()).toThrow('Semaphore released too many times');
          expect(sem._value).toBe(3);
        }
      });
    }
  }

  it('release(n) lets exactly n parked threads through, over and over', async () => {
    const sem = new Semaphore(0);
    const state = shared(2); // [wave open, threads passed]
    const WAVES = 200;
    const threads = bunch(
      THREADS,
      (_i: number, s: Semaphore, st: Int32Array, waves: number) => {
        for (let k = 1; k <= waves; k++) {
          for (let w = Atomics.load(st, 0); w < k; w = Atomics.load(st, 0)) Atomics.wait(st, 0, w);
          s.acquire(); // one permit per thread per wave
          Atomics.add(st, 1, 1);
          Atomics.notify(st, 1);
        }
      },
      [sem, state, WAVES],
    );
    for (let wave = 1; wave <= WAVES; wave++) {
      Atomics.store(state, 0, wave);
      Atomics.notify(state, 0);
      // Every other wave, wait until all are parked: both the wake path and the
      // not-yet-asleep path are taken.
      if (wave % 2 === 0) {
        while (sem._nWaiters < THREADS) await new Promise((r) => setImmediate(r));
      }
      sem.release(THREADS);
      for (let p = Atomics.load(state, 1); p < wave * THREADS; p = Atomics.load(state, 1)) {
        await Atomics.waitAsync(state, 1, p, 10_000).value;
      }
      expect(Atomics.load(state, 1)).toBe(wave * THREADS);
      expect(sem._value).toBe(0);
    }
    await joinAll(threads, 60);
    expect(sem._nWaiters).toBe(0);
  });
});
