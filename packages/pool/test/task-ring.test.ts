// ThreadPoolExecutor's shared-memory task path (internal/task-ring.ts, serve-loops.ts,
// worker/serve.ts): many submitters and many tasks with exact counts, more tasks than the
// ring holds, the three ways a task crosses (a cell, a fetched message) and an outcome comes
// back (the result ring, the port), and a thread that dies losing no one else's futures.

import { enumerate } from '@threadkit/core';
import { RuntimeError, ThreadPoolExecutor } from '@threadkit/pool';
import { describe, expect, it } from 'vitest';

const inc = (x: number) => x + 1;

describe('task ring', () => {
  it('8 submitters × 400 tasks: every result exactly once, cell and fetched tasks mixed', async () => {
    await using e = new ThreadPoolExecutor({ maxWorkers: 4 });
    const hits = new Int32Array(new SharedArrayBuffer(4));
    // A typed array over a SharedArrayBuffer cannot go in a cell: those tasks are fetched.
    const bump = (id: number, counter?: Int32Array) => {
      if (counter) Atomics.add(counter, 0, 1);
      return id;
    };
    const seen = new Set<number>();
    let fetched = 0;
    const submitter = async (s: number) => {
      for (let batch = 0; batch < 8; batch++) {
        const fs = [];
        for (let j = 0; j < 50; j++) {
          const id = s * 1000 + batch * 50 + j;
          if (id % 7 === 0) {
            fetched++;
            fs.push(e.submit(bump, id, hits));
          } else fs.push(e.submit(bump, id));
        }
        for (const f of fs) {
          const id = await f.result();
          expect(seen.has(id)).toBe(false);
          seen.add(id);
        }
      }
    };
    await Promise.all(Array.from({ length: 8 }, (_, s) => submitter(s)));
    expect(seen.size).toBe(8 * 400);
    expect(Atomics.load(hits, 0)).toBe(fetched);
  });

  it('calls one at a time, with pauses around the spin window: none is left in the ring', async () => {
    // A thread spins ~50 µs on an empty ring and the owner wakes no one for a single task
    // while it spins: a task pushed as the spinner gives up must still be taken. Pauses from
    // 0 to ~200 µs land submits before, during and after that window.
    await using e = new ThreadPoolExecutor({ maxWorkers: 2 });
    for (let i = 0; i < 1500; i++) {
      const pause = (i * 37) % 200;
      const t0 = performance.now();
      while ((performance.now() - t0) * 1000 < pause) {
        // busy pause (a timer would add a millisecond)
      }
      expect(await e.submit(inc, i).result(5)).toBe(i + 1);
    }
  });

  it('a burst larger than the ring: 5000 tasks, each future gets its own result', async () => {
    await using e = new ThreadPoolExecutor({ maxWorkers: 3 });
    const fs = Array.from({ length: 5000 }, (_, i) => e.submit(inc, i));
    const results = await Promise.all(fs.map((f) => f.result()));
    expect(results).toEqual(Array.from({ length: 5000 }, (_, i) => i + 1));
  });

  it('outcomes the result ring cannot hold come back exactly (errors, -0, Maps, big bigints)', async () => {
    await using e = new ThreadPoolExecutor({ maxWorkers: 2 });
    const kinds = (i: number): unknown => {
      switch (i % 5) {
        case 0:
          return i;
        case 1:
          return -0;
        case 2:
          return new Map([[i, 'x'.repeat(100)]]);
        case 3:
          return 2n ** 80n + BigInt(i);
        default:
          throw new Error(`bad ${i}`);
      }
    };
    const fs = Array.from({ length: 600 }, (_, i) => e.submit(kinds, i));
    for (let i = 0; i < fs.length; i++) {
      if (i % 5 === 4) {
        const err = await fs[i].exception();
        expect(err).toBeInstanceOf(Error);
        expect((err as Error).message).toBe(`bad ${i}`);
        // The traceback is the pool thread's, where it was raised.
        expect((err as Error).stack).toMatch(/^Error: bad \d+\n\s+at .*\n\s+at TaskRunner\.run/);
      } else if (i % 5 === 1) {
        expect(Object.is(await fs[i].result(), -0)).toBe(true);
      } else {
        expect(await fs[i].result()).toEqual(kinds(i));
      }
    }
  });

  it('a thread that dies mid-task fails only its own future', async () => {
    await using e = new ThreadPoolExecutor({ maxWorkers: 2 });
    const work = (i: number) => {
      if (i === 150) process.exit(3);
      return i * 2;
    };
    const fs = Array.from({ length: 300 }, (_, i) => e.submit(work, i));
    for (let i = 0; i < fs.length; i++) {
      if (i === 150) {
        await expect(fs[i].result()).rejects.toBeInstanceOf(RuntimeError);
      } else {
        expect(await fs[i].result()).toBe(i * 2);
      }
    }
    // The pool goes on with a fresh thread.
    expect(await e.submit(inc, 1).result()).toBe(2);
  });

  it('cancelling half of a queued burst: the others all run, the cancelled never do', async () => {
    await using e = new ThreadPoolExecutor({ maxWorkers: 2 });
    const ran = new Int32Array(new SharedArrayBuffer(4 * 2000));
    const mark = (i: number, a: Int32Array) => Atomics.add(a, i, 1);
    const fs = Array.from({ length: 2000 }, (_, i) => e.submit(mark, i, ran));
    const cancelled = fs.map((f, i) => i % 2 === 1 && f.cancel());
    await e.shutdown({ wait: true });
    for (let i = 0; i < fs.length; i++) {
      expect(Atomics.load(ran, i)).toBe(cancelled[i] ? 0 : 1);
      if (!cancelled[i]) expect(fs[i].done() && !fs[i].cancelled()).toBe(true);
    }
    expect(cancelled.filter(Boolean).length).toBeGreaterThan(0);
  });

  it('a serve loop that idled out is restarted on the same thread when work comes again', async () => {
    await using e = new ThreadPoolExecutor({ maxWorkers: 2, threadNamePrefix: 'Idler' });
    expect(await e.submit(inc, 1).result()).toBe(2);
    for (let round = 0; round < 3; round++) {
      // Longer than a loop's 50 ms of quiet: the loop ends, its thread stays.
      await new Promise((r) => setTimeout(r, 120));
      const fs = Array.from({ length: 50 }, (_, i) => e.submit(inc, i));
      expect(await Promise.all(fs.map((f) => f.result()))).toEqual(
        Array.from({ length: 50 }, (_, i) => i + 1),
      );
      // Restarted loops run on the threads piscina keeps: never more than maxWorkers.
      const threads = enumerate().filter((t) => t.name.startsWith('Idler_'));
      expect(threads.length).toBeGreaterThan(0);
      expect(threads.length).toBeLessThanOrEqual(2);
    }
  });
});
