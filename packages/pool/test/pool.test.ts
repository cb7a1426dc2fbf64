// Pool (processes) and ThreadPool (threads): multiprocessing.Pool's interface — apply,
// map, starmap (sync forms return Promises), their async forms with callbacks, imap and
// imapUnordered, AsyncResult, close/terminate/join, initializer, maxtasksperchild.

import { DataCloneError, getIdent, Lock } from '@threadkit/core';
import {
  AsyncResult,
  BrokenExecutor,
  BrokenProcessPool,
  Pool,
  ThreadPool,
  TimeoutError,
  ValueError,
} from '@threadkit/pool';
import { describe, expect, it } from 'vitest';
import { getInitStatus, ident, init, initFail, pid, waitForFile } from './fixtures/tasks.js';
import { collect, fileGate } from './helpers.js';

const square = (x: number) => x * x;
const pow = (a: number, b: number) => a ** b;

for (const [name, make, workerId] of [
  ['Pool', (o?: ConstructorParameters<typeof Pool>[0]) => new Pool(o), pid],
  ['ThreadPool', (o?: ConstructorParameters<typeof ThreadPool>[0]) => new ThreadPool(o), ident],
] as const) {
  describe(name, () => {
    it('apply, map, starmap (Promises)', async () => {
      await using pool = make({ processes: 2 });
      expect(await pool.apply(pow, [2, 10])).toBe(1024);
      expect(await pool.map(square, [1, 2, 3, 4, 5])).toEqual([1, 4, 9, 16, 25]);
      expect(await pool.map(square, new Set([3, 4]), 1)).toEqual([9, 16]);
      expect(
        await pool.starmap(pow, [
          [2, 3],
          [3, 2],
          [10, 0],
        ]),
      ).toEqual([8, 9, 1]);
      expect(await pool.map(square, [])).toEqual([]);
      expect(await pool.apply((a: number, kw: { k: number }) => a + kw.k, [1], { k: 2 })).toBe(3);
    });

    it('applyAsync / mapAsync / starmapAsync: AsyncResult and callbacks', async () => {
      await using pool = make({ processes: 2 });
      const seen: unknown[] = [];
      const r = pool.applyAsync(pow, [3, 3], null, (v) => seen.push(['apply', v]));
      expect(r).toBeInstanceOf(AsyncResult);
      expect(await r.get(30)).toBe(27);
      expect(r.ready()).toBe(true);
      expect(r.successful()).toBe(true);
      const m = pool.mapAsync(square, [1, 2, 3], null, (v) => seen.push(['map', v]));
      expect(await m.get()).toEqual([1, 4, 9]);
      const s = pool.starmapAsync(
        pow,
        [
          [4, 3],
          [2, 1],
          [3, 2],
          [5, 1],
        ],
        null,
        (v) => seen.push(['starmap', v]),
      );
      expect(await s.get()).toEqual([64, 2, 9, 5]);
      expect(seen).toEqual([
        ['apply', 27],
        ['map', [1, 4, 9]],
        ['starmap', [64, 2, 9, 5]],
      ]);
    });

    it('errors: get() rejects, errorCallback gets the error, successful() is false', async () => {
      await using pool = make({ processes: 2 });
      const failing = (x: number) => {
        if (x === 3) throw new RangeError(`bad ${x}`);
        return x;
      };
      const errors: unknown[] = [];
      const r = pool.mapAsync(failing, [1, 2, 3, 4], 1, null, (e) => errors.push(e));
      await expect(r.get()).rejects.toThrow(new RangeError('bad 3'));
      expect(r.successful()).toBe(false);
      expect(errors).toHaveLength(1);
      expect(errors[0]).toBeInstanceOf(RangeError);
      await expect(pool.apply(failing, [3])).rejects.toBeInstanceOf(RangeError);
      await expect(pool.map(failing, [3])).rejects.toBeInstanceOf(RangeError);
    });

    it('AsyncResult: successful() before ready is a ValueError; get/wait with timeouts', async () => {
      await using pool = make({ processes: 1 });
      const gate = fileGate();
      const r = pool.applyAsync(waitForFile, [gate.path]);
      expect(r.ready()).toBe(false);
      expect(() => r.successful()).toThrow(ValueError);
      expect(() => r.successful()).toThrow(/not ready/);
      await expect(r.get(0.05)).rejects.toBeInstanceOf(TimeoutError);
      await r.wait(0.05); // does not throw
      expect(r.ready()).toBe(false);
      gate.set();
      await r.wait();
      expect(r.ready()).toBe(true);
      expect(await r.get()).toBe(true);
    });

    it('imap keeps order, imapUnordered gives completion order, both with chunksize', async () => {
      await using pool = make({ processes: 2 });
      const xs = Array.from({ length: 20 }, (_, i) => i);
      expect(await collect(pool.imap(square, xs))).toEqual(xs.map(square));
      expect(await collect(pool.imap(square, xs, 3))).toEqual(xs.map(square));
      expect((await collect(pool.imapUnordered(square, xs, 4))).sort((a, b) => a - b)).toEqual(
        xs.map(square),
      );
      // a generator is read in the background, in batches
      function* gen() {
        for (let i = 0; i < 500; i++) yield i;
      }
      const total = (await collect(pool.imap(square, gen(), 25))).length;
      expect(total).toBe(500);
      expect(() => pool.imap(square, xs, 0)).toThrow(new ValueError('Chunksize must be 1+, not 0'));
    });

    it('imap: next(timeout) raises TimeoutError; an error is raised at its place and iteration goes on', async () => {
      await using pool = make({ processes: 1 });
      const gate = fileGate();
      const it = pool.imap(waitForFile, [gate.path]);
      await expect(it.next(0.05)).rejects.toBeInstanceOf(TimeoutError);
      gate.set();
      expect(await it.next(30)).toEqual({ done: false, value: true });
      expect((await it.next()).done).toBe(true);

      const failing = (x: number) => {
        if (x === 1) throw new Error('one');
        return x;
      };
      const it2 = pool.imap(failing, [0, 1, 2]);
      expect((await it2.next()).value).toBe(0);
      await expect(it2.next()).rejects.toThrow('one');
      expect((await it2.next()).value).toBe(2);
    });

    it('maxtasksperchild replaces a worker after that many tasks (the book: maxTasks.py)', async () => {
      await using pool = make({ processes: 1, maxtasksperchild: 2 });
      const ids = await pool.starmapAsync(workerId as () => number, [[], [], [], []]).get();
      expect(ids[0]).toBe(ids[1]);
      expect(ids[2]).toBe(ids[3]);
      expect(ids[2]).not.toBe(ids[0]);
      expect(
        await pool
          .starmapAsync(pow, [
            [4, 3],
            [2, 1],
            [3, 2],
            [5, 1],
          ])
          .get(),
      ).toEqual([64, 2, 9, 5]);
    });

    it('initializer runs in every worker', async () => {
      await using pool = make({ processes: 2, initializer: init, initargs: ['initialized'] });
      expect(await pool.map(getInitStatus as (x: unknown) => string, [1, 2, 3, 4], 1)).toEqual(
        Array(4).fill('initialized'),
      );
    });

    it('a failing initializer breaks the pool (no endless respawning)', async () => {
      const pool = make({ processes: 1, initializer: initFail });
      let result: AsyncResult<unknown> | null = null;
      try {
        result = pool.applyAsync(getInitStatus);
      } catch (err) {
        expect(err).toBeInstanceOf(BrokenExecutor);
      }
      if (result) await expect(result.get(60)).rejects.toBeInstanceOf(BrokenExecutor);
      expect(() => pool.applyAsync(getInitStatus)).toThrow(BrokenExecutor);
      await pool.terminate();
    });

    it('close/join: no new tasks after close; join before close is a ValueError', async () => {
      const pool = make({ processes: 2 });
      await expect(pool.join()).rejects.toThrow(new ValueError('Pool is still running'));
      const r = pool.mapAsync(square, [1, 2, 3]);
      pool.close();
      expect(() => pool.applyAsync(square, [1])).toThrow(new ValueError('Pool not running'));
      await pool.join();
      expect(await r.get()).toEqual([1, 4, 9]);
    });

    it('terminate: results not ready fail, the workers stop', async () => {
      const pool = make({ processes: 1 });
      const gate = fileGate();
      const r = pool.applyAsync(waitForFile, [gate.path]);
      const queued = pool.applyAsync(square, [2]);
      await pool.terminate();
      gate.set();
      await expect(r.get(30)).rejects.toThrow(/terminated/);
      await expect(queued.get(30)).rejects.toThrow(/terminated/);
      await pool.join();
    });

    it('validates its options', () => {
      expect(() => make({ processes: 0 })).toThrow(
        new ValueError('Number of processes must be at least 1'),
      );
      expect(() => make({ maxtasksperchild: 0 })).toThrow(
        new ValueError('maxtasksperchild must be a positive int or None'),
      );
      expect(() => make({ initializer: 1 as any })).toThrow(
        new TypeError('initializer must be a callable'),
      );
    });
  });
}

describe('what crosses', () => {
  it('ThreadPool: a core Lock passed to tasks works', async () => {
    await using pool = new ThreadPool(2);
    const lock = new Lock();
    const counter = new Int32Array(new SharedArrayBuffer(4));
    const work = (l: InstanceType<typeof Lock>, c: Int32Array) => {
      for (let i = 0; i < 1000; i++) {
        l.acquire();
        c[0] = c[0] + 1;
        l.release();
      }
    };
    await pool.starmap(work, [
      [lock, counter],
      [lock, counter],
      [lock, counter],
    ]);
    expect(counter[0]).toBe(3000);
  });

  it('ThreadPool: a thread that dies mid-task fails only its own result; the rest run', async () => {
    // Through the task ring (no initializer, no maxtasksperchild): piscina replaces the thread.
    await using pool = new ThreadPool(2);
    const work = (i: number) => {
      if (i === 150) process.exit(3);
      return i * 2;
    };
    const rs = Array.from({ length: 300 }, (_, i) => pool.applyAsync(work, [i]));
    for (let i = 0; i < rs.length; i++) {
      if (i === 150) await expect(rs[i].get(30)).rejects.toThrow(/pool thread .* stopped/);
      else expect(await rs[i].get(30)).toBe(i * 2);
    }
    expect(await pool.map((x: number) => x + 1, [1, 2, 3])).toEqual([2, 3, 4]);
  });

  it('ThreadPool: terminate while a call runs and others wait in the ring', async () => {
    const pool = new ThreadPool(1);
    const gate = fileGate();
    const running = pool.applyAsync(waitForFile, [gate.path]);
    const queued = Array.from({ length: 20 }, (_, i) => pool.applyAsync(square, [i]));
    await pool.terminate();
    gate.set();
    await expect(running.get(30)).rejects.toThrow(/terminated/);
    for (const r of queued) await expect(r.get(30)).rejects.toThrow(/terminated/);
    await pool.join();
  });

  it('ThreadPool tasks run in other threads', async () => {
    await using pool = new ThreadPool(1);
    expect(await pool.apply(ident)).not.toBe(getIdent());
  });

  it('Pool: a Lock is refused at the call, with its path', async () => {
    await using pool = new Pool(1);
    expect(() => pool.applyAsync((_l: unknown) => 0, [new Lock()])).toThrow(DataCloneError);
  });

  it('Pool: a worker that dies fails its task (BrokenProcessPool) and is replaced', async () => {
    await using pool = new Pool(1);
    const first = await pool.apply(pid);
    await expect(pool.apply(() => process.exit(3))).rejects.toBeInstanceOf(BrokenProcessPool);
    const second = await pool.apply(pid);
    expect(second).not.toBe(first);
    expect(second).not.toBe(process.pid);
  });

  it('Pool: the task sent behind one whose worker dies runs in the next worker', async () => {
    // A worker process is sent the next task while it runs one: that one never started.
    await using pool = new Pool(1);
    const first = await pool.apply(pid);
    const dying = pool.applyAsync(() => process.exit(3));
    const behind = pool.applyAsync(pid);
    await expect(dying.get(30)).rejects.toBeInstanceOf(BrokenProcessPool);
    const ran = await behind.get(30);
    expect(ran).not.toBe(first);
    expect(ran).not.toBe(process.pid);
  });

  it('Pool: a worker runs the tasks it was sent one after another, async ones too', async () => {
    await using pool = new Pool(1);
    const slow = async () => {
      const start = Date.now();
      await new Promise((resolve) => setTimeout(resolve, 200));
      return [start, Date.now()];
    };
    const a = pool.applyAsync(slow);
    const b = pool.applyAsync(() => Date.now());
    const [, aEnd] = await a.get(30);
    expect(await b.get(30)).toBeGreaterThanOrEqual(aEnd);
  });
});
