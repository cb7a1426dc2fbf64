// ThreadPoolExecutor: ports of CPython's executor.py (ExecutorTest), test_thread_pool.py,
// the thread half of test_shutdown.py and test_init.py, plus threadkit's own: the three
// target forms (inline, .ts and .mjs module functions, class instances), shared objects as
// arguments and results, thread names, and errors that keep their class.

import { availableParallelism } from 'node:os';
import { DataCloneError, Event, enumerate, Lock, Queue, Semaphore } from '@threadkit/core';
import {
  BrokenExecutor,
  BrokenThreadPool,
  CancelledError,
  RuntimeError,
  ThreadPoolExecutor,
  TimeoutError,
  ValueError,
} from '@threadkit/pool';
import { afterEach, describe, expect, it } from 'vitest';
import {
  getInitStatus,
  ident,
  init,
  initFail,
  mul,
  raiseValueError,
  Scaler,
  threadName,
  threadNames,
  waitAndName,
} from './fixtures/tasks.js';
import { add, greet } from './fixtures/tasks.mjs';
import { collect, runScript, until } from './helpers.js';

const executors: ThreadPoolExecutor[] = [];

/** An executor shut down (and waited for) after the test, as CPython's ExecutorMixin. */
function executor(
  options: ConstructorParameters<typeof ThreadPoolExecutor>[0] = { maxWorkers: 5 },
) {
  const e = new ThreadPoolExecutor(options);
  executors.push(e);
  return e;
}

afterEach(async () => {
  for (const e of executors.splice(0)) await e.shutdown({ wait: true });
});

function* repeat<T>(value: T): Generator<T> {
  for (;;) yield value;
}

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}

/** Names of live threads with `prefix`. */
function poolThreads(prefix: string): string[] {
  return enumerate()
    .map((t) => t.name)
    .filter((n) => n.startsWith(`${prefix}_`));
}

describe('ExecutorTest (executor.py)', () => {
  it('submit', async () => {
    const f = executor().submit((a: number, b: number) => a ** b, 2, 8);
    expect(await f.result()).toBe(256);
  });

  it('map, with and without chunksize', async () => {
    const e = executor();
    const expected = range(10).map((i) => i ** i);
    expect(await collect(e.map((a: number, b: number) => a ** b, range(10), range(10)))).toEqual(
      expected,
    );
    expect(
      await collect(
        e.map((a: number, b: number) => a ** b, range(10), range(10), { chunksize: 3 }),
      ),
    ).toEqual(expected);
  });

  it('map raises the exception of the item when it is reached', async () => {
    const divmod = (a: number, b: number) => {
      if (b === 0) throw new RangeError('integer division or modulo by zero');
      return [Math.floor(a / b), a % b];
    };
    const it = executor().map(divmod, [1, 1, 1, 1], [2, 3, 0, 5]);
    expect((await it.next()).value).toEqual([0, 1]);
    expect((await it.next()).value).toEqual([0, 1]);
    await expect(it.next()).rejects.toThrow(RangeError);
    // 3.14: the error ends the iteration
    expect((await it.next()).done).toBe(true);
  });

  // CPython's test_map_timeout waits 5 s too: the quick calls must finish in time on a loaded machine.
  it('map timeout: TimeoutError after the results that came in time', async () => {
    const e = executor();
    const stop = new Event();
    const results: unknown[] = [];
    const waitIf = (ev: InstanceType<typeof Event> | null) => {
      if (ev) ev.wait();
      return ev === null ? 'quick' : 'slow';
    };
    await expect(async () => {
      for await (const r of e.map(waitIf, [null, null, stop], { timeout: 5 })) results.push(r);
    }).rejects.toBeInstanceOf(TimeoutError);
    stop.set();
    expect(results).toEqual(['quick', 'quick']);
  });

  it('shutdown right after map does not hang (issue 12456)', async () => {
    const e = new ThreadPoolExecutor(5);
    e.map((x: number) => String(x), Array(6).fill(2));
    await e.shutdown();
  });

  it('maxWorkers <= 0: ValueError', () => {
    for (const n of [0, -1]) {
      expect(() => new ThreadPoolExecutor({ maxWorkers: n })).toThrow(
        new ValueError('max_workers must be greater than 0'),
      );
    }
    expect(() => new ThreadPoolExecutor({ maxWorkers: 1.5 })).toThrow(TypeError);
  });

  it('a non-callable initializer: TypeError', () => {
    expect(() => new ThreadPoolExecutor({ initializer: 42 as any })).toThrow(
      new TypeError('initializer must be a callable'),
    );
  });
});

describe('ThreadPoolExecutorTest (test_thread_pool.py)', () => {
  it('map submits every call before iteration (issue 11777)', async () => {
    const e = new ThreadPoolExecutor(5);
    const finished = new Int32Array(new SharedArrayBuffer(40));
    e.map((n: number, seen: Int32Array) => Atomics.add(seen, n, 1), range(10), repeat(finished));
    await e.shutdown({ wait: true });
    expect([...finished]).toEqual(Array(10).fill(1));
  });

  it('default maxWorkers is min(32, cpus + 4)', () => {
    expect(executor({}).maxWorkers).toBe(Math.min(32, availableParallelism() + 4));
  });

  it('saturation: never more than maxWorkers threads', async () => {
    const e = new ThreadPoolExecutor(4);
    const sem = new Semaphore(0);
    const fs = range(15 * 4).map(() =>
      e.submit((s: InstanceType<typeof Semaphore>) => s.acquire(), sem),
    );
    // every worker is busy once 4 futures run
    await until(() => fs.filter((f) => f.running()).length === 4, 'every worker is busy');
    expect(poolThreads(e.threadNamePrefix)).toHaveLength(4);
    for (let i = 0; i < 15 * 4; i++) sem.release();
    await e.shutdown({ wait: true });
    for (const f of fs) expect(await f.result()).toBe(true);
  });

  it('idle threads are reused', async () => {
    const e = executor({});
    expect(await e.submit(mul, 21, 2).result()).toBe(42);
    expect(await e.submit(mul, 6, 7).result()).toBe(42);
    expect(await e.submit(mul, 3, 14).result()).toBe(42);
    expect(poolThreads(e.threadNamePrefix)).toHaveLength(1);
  });

  it('map timeout cancels the current and the remaining calls', async () => {
    const log = new Queue();
    const stop = new Event();
    const logNWait = (
      tag: string,
      q: InstanceType<typeof Queue>,
      ev: InstanceType<typeof Event>,
    ) => {
      q.put(`ident='${tag}' started`);
      try {
        ev.wait();
      } finally {
        q.put(`ident='${tag}' stopped`);
      }
    };
    const pool = new ThreadPoolExecutor({ maxWorkers: 1 });
    const fut = pool.submit(logNWait, 'first', log, stop);
    try {
      const gen = pool.map(logNWait, ['second', 'third'], repeat(log), repeat(stop), {
        timeout: 0,
      });
      await expect(gen.next()).rejects.toBeInstanceOf(TimeoutError);
      await gen.return(undefined);
    } finally {
      stop.set();
    }
    await fut.result();
    await pool.shutdown();
    const lines: unknown[] = [];
    while (!log.empty()) lines.push(log.getNowait());
    expect(lines).toEqual(["ident='first' started", "ident='first' stopped"]);
  });
});

describe('thread names and the registry', () => {
  it('threads are named <prefix>_<k> (test_thread_names_assigned)', async () => {
    const e = new ThreadPoolExecutor({ maxWorkers: 5, threadNamePrefix: 'SpecialPool' });
    const gate = new Event();
    const fs = range(5).map(() => e.submit(waitAndName, gate));
    await until(() => fs.filter((f) => f.running()).length === 5, '5 calls run');
    const live = poolThreads('SpecialPool');
    gate.set();
    const names = await Promise.all(fs.map((f) => f.result()));
    expect(live.sort()).toEqual([
      'SpecialPool_0',
      'SpecialPool_1',
      'SpecialPool_2',
      'SpecialPool_3',
      'SpecialPool_4',
    ]);
    expect([...names].sort()).toEqual(live);
    await e.shutdown();
    expect(poolThreads('SpecialPool')).toEqual([]);
  });

  it('default names are ThreadPoolExecutor-<n>_<k> (test_thread_names_default)', async () => {
    const e = executor();
    expect(await e.submit(threadName).result()).toMatch(/^ThreadPoolExecutor-\d+_[0-4]$/);
    expect(e.threadNamePrefix).toMatch(/^ThreadPoolExecutor-\d+$/);
    expect(new ThreadPoolExecutor().threadNamePrefix).not.toBe(e.threadNamePrefix);
  });

  it('tasks see the one registry: enumerate() lists main and the pool threads, from both sides', async () => {
    const e = executor({ maxWorkers: 1, threadNamePrefix: 'Seen' });
    const inside = await e.submit(threadNames).result();
    expect(inside).toContain('MainThread');
    expect(inside).toContain('Seen_0');
    expect(poolThreads('Seen')).toEqual(['Seen_0']);
  });

  it('threads end at shutdown (test_threads_terminate)', async () => {
    const e = new ThreadPoolExecutor({ maxWorkers: 5, threadNamePrefix: 'Terminating' });
    const sem = new Semaphore(0);
    const fs = range(3).map(() =>
      e.submit((s: InstanceType<typeof Semaphore>) => s.acquire(), sem),
    );
    await until(() => fs.filter((f) => f.running()).length === 3, '3 calls run');
    expect(poolThreads('Terminating')).toHaveLength(3);
    for (let i = 0; i < 3; i++) sem.release();
    await e.shutdown();
    expect(poolThreads('Terminating')).toEqual([]);
  });
});

describe('targets and what crosses', () => {
  it('module functions from a .ts file and an .mjs file', async () => {
    const e = executor({ maxWorkers: 2, threadNamePrefix: 'Mod' });
    expect(await e.submit(mul, 6, 7).result()).toBe(42);
    expect(await e.submit(greet, 'Ada').result()).toMatch(
      /^hello from tasks\.mjs, Ada \(Mod_[01]\)$/,
    );
    expect(await e.submit(add, 40, 2).result()).toBe(42);
  });

  it('an instance of an exported class: run(...args) on a copy of its fields', async () => {
    expect(
      await executor()
        .submit(new Scaler(3) as any, 14)
        .result(),
    ).toBe(42);
  });

  it('a core Lock passed to tasks arrives working (mutual exclusion across threads)', async () => {
    const e = executor({ maxWorkers: 4 });
    const lock = new Lock();
    const counter = new Int32Array(new SharedArrayBuffer(8));
    const work = (l: InstanceType<typeof Lock>, c: Int32Array, times: number) => {
      for (let i = 0; i < times; i++) {
        l.acquire();
        const v = c[0];
        c[1] = Math.max(c[1], 1); // touch the shared words under the lock
        c[0] = v + 1;
        l.release();
      }
    };
    const fs = range(4).map(() => e.submit(work, lock, counter, 5000));
    for (const f of fs) await f.result();
    expect(counter[0]).toBe(20_000);
    expect(lock.locked()).toBe(false);
  });

  it('a core Queue passed to tasks: producers in the pool, consumer here', async () => {
    const e = executor({ maxWorkers: 3 });
    const q = new Queue();
    const produce = (queue: InstanceType<typeof Queue>, base: number) => {
      for (let i = 0; i < 10; i++) queue.put(base + i);
    };
    const fs = [0, 100, 200].map((b) => e.submit(produce, q, b));
    const got: number[] = [];
    for (let i = 0; i < 30; i++) got.push((await q.getAsync(true, 30)) as number);
    for (const f of fs) await f.result();
    expect(got.sort((a, b) => a - b)).toEqual([
      ...range(10),
      ...range(10).map((i) => 100 + i),
      ...range(10).map((i) => 200 + i),
    ]);
  });

  it('a shared object in a result arrives working', async () => {
    const lock = new Lock();
    const back = (await executor()
      .submit((l: InstanceType<typeof Lock>) => ({ l }), lock)
      .result()) as {
      l: InstanceType<typeof Lock>;
    };
    expect(back.l.acquire(false)).toBe(true);
    expect(lock.locked()).toBe(true);
    lock.release();
  });

  it('values cross by structured clone', async () => {
    const value = { m: new Map([[1, new Set([2])]]), d: new Date(0), a: new Uint8Array([1, 2]) };
    expect(
      await executor()
        .submit((v: unknown) => v, value)
        .result(),
    ).toEqual(value);
  });

  it('a function argument is rejected at submit with its path', () => {
    const e = executor();
    expect(() => e.submit((_a: number, _b: unknown) => 0, 1, { handler: () => {} })).toThrow(
      DataCloneError,
    );
    expect(() => e.submit((_a: number, _b: unknown) => 0, 1, { handler: () => {} })).toThrow(
      /args\[1\]\.handler/,
    );
  });

  it('a result that cannot cross fails its future, not the pool', async () => {
    const e = executor();
    await expect(e.submit(() => ({ f() {} })).result()).rejects.toThrow(/result\.f/);
    expect(await e.submit(() => 1).result()).toBe(1);
  });

  it("errors keep their class (JS and threadkit's) and message", async () => {
    const e = executor();
    await expect(e.submit(() => (null as any).x).result()).rejects.toBeInstanceOf(TypeError);
    const err = await e.submit(raiseValueError, 'bad value').exception();
    expect(err).toBeInstanceOf(ValueError);
    expect((err as Error).message).toBe('bad value');
    const custom = await e
      .submit(() => {
        const x = new Error('custom');
        x.name = 'MyError';
        (x as any).code = 7;
        throw x;
      })
      .exception();
    expect(custom).toMatchObject({ name: 'MyError', message: 'custom', code: 7 });
    expect(await e.submit(() => Promise.reject(42)).exception()).toBe(42);
  });

  it('a captured variable gets the inline-target hint', async () => {
    const captured = 5;
    const err = await executor()
      .submit(() => captured)
      .exception();
    expect(err).toBeInstanceOf(ReferenceError);
    expect((err as Error).message).toMatch(/captured/);
  });

  it('async tasks are awaited', async () => {
    const f = executor().submit(async (x: number) => {
      await new Promise((r) => setTimeout(r, 1));
      return x + 1;
    }, 41);
    expect(await f.result()).toBe(42);
  });
});

describe('cancellation and running state', () => {
  it('a queued future can be cancelled, a running one cannot; cancel is seen by wait()', async () => {
    const e = executor({ maxWorkers: 1 });
    const gate = new Event();
    const first = e.submit((g: InstanceType<typeof Event>) => g.wait(), gate);
    const second = e.submit(() => 'never');
    await until(() => first.running(), 'the first call runs');
    expect(first.cancel()).toBe(false);
    expect(second.running()).toBe(false);
    expect(second.cancel()).toBe(true);
    expect(second.cancelled()).toBe(true);
    gate.set();
    expect(await first.result()).toBe(true);
    await expect(second.result()).rejects.toBeInstanceOf(CancelledError);
    await e.shutdown();
    // once the worker reached it, the cancellation was notified
    expect(String(second)).toMatch(/state=cancelled/);
  });
});

describe('shutdown (test_shutdown.py, threads)', () => {
  it('submit after shutdown: RuntimeError at once', async () => {
    const e = new ThreadPoolExecutor(2);
    await e.shutdown();
    expect(() => e.submit(() => 2 ** 5)).toThrow(
      new RuntimeError('cannot schedule new futures after shutdown'),
    );
  });

  it('shutdown waits for queued calls (issue 12364)', async () => {
    const e = new ThreadPoolExecutor(5);
    const nap = () => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5);
    const fs = range(50).map(() => e.submit(nap));
    await e.shutdown();
    for (const f of fs) expect(f.done()).toBe(true);
    for (const f of fs) expect(await f.result()).toBe('timed-out');
  });

  it('cancelFutures cancels the calls not started', async () => {
    const e = new ThreadPoolExecutor(5);
    const gate = new Event();
    const fs = range(50).map(() => e.submit((g: InstanceType<typeof Event>) => g.wait(), gate));
    await until(() => fs[0].running(), 'a call runs');
    const done = e.shutdown({ cancelFutures: true });
    gate.set();
    await done;
    const cancelled = fs.filter((f) => f.cancelled());
    expect(cancelled.length).toBeGreaterThan(20);
    const others = fs.filter((f) => !f.cancelled());
    expect(others.length).toBeGreaterThan(0);
    for (const f of others) {
      expect(f.done()).toBe(true);
      expect(await f.exception()).toBe(null);
    }
  });

  it('a future cancelled right before shutdown does not hang it (gh-94440)', async () => {
    const e = new ThreadPoolExecutor(1);
    expect(await e.submit(() => 0).result()).toBe(0);
    e.submit(() => 0).cancel();
    await e.shutdown({ wait: true });
  });

  it('await using shuts down and waits (test_context_manager_shutdown)', async () => {
    let prefix = '';
    {
      await using e = new ThreadPoolExecutor({ maxWorkers: 5 });
      prefix = e.threadNamePrefix;
      expect(
        await collect(
          e.map(
            (x: number) => Math.abs(x),
            range(10).map((i) => i - 5),
          ),
        ),
      ).toEqual([5, 4, 3, 2, 1, 0, 1, 2, 3, 4]);
    }
    expect(poolThreads(prefix)).toEqual([]);
  });

  it('shutdown(false) still computes every result (test_shutdown_no_wait)', async () => {
    const e = new ThreadPoolExecutor(5);
    const res = e.map(
      (v: number) => Math.abs(v),
      range(10).map((i) => i - 5),
    );
    await e.shutdown(false);
    expect(await collect(res)).toEqual(range(10).map((i) => Math.abs(i - 5)));
  });

  it('shutdown is idempotent', async () => {
    const e = new ThreadPoolExecutor(1);
    e.submit(() => 1);
    await Promise.all([e.shutdown(), e.shutdown(), e.shutdown({ wait: false })]);
    await e.shutdown();
  });

  it('pending work completes at exit without shutdown (test_interpreter_shutdown)', () => {
    const r = runScript(`
      import { ThreadPoolExecutor } from '@threadkit/pool';
      const t = new ThreadPoolExecutor(5);
      t.submit(() => { Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200); console.log('apple'); });
    `);
    expect(r.stderr).toBe('');
    expect(r.stdout.trim()).toBe('apple');
    expect(r.status).toBe(0);
  });

  it('shutdown(false) with a running call still lets it finish at exit (gh-83386)', () => {
    const r = runScript(`
      import { ThreadPoolExecutor } from '@threadkit/pool';
      const t = new ThreadPoolExecutor({ maxWorkers: 3 });
      t.submit(() => { Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200); console.log('apple'); });
      t.shutdown({ wait: false });
    `);
    expect(r.stderr).toBe('');
    expect(r.stdout.trim()).toBe('apple');
    expect(r.status).toBe(0);
  });

  it('shutdown(false, cancelFutures) exits cleanly (test_cancel_futures_wait_false)', () => {
    const r = runScript(`
      import { ThreadPoolExecutor } from '@threadkit/pool';
      const t = new ThreadPoolExecutor();
      t.submit(() => { Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 100); console.log('apple'); });
      t.shutdown({ wait: false, cancelFutures: true });
    `);
    expect(r.stderr).toBe('');
    expect(['apple', '']).toContain(r.stdout.trim());
    expect(r.status).toBe(0);
  });
});

describe('initializer (test_init.py)', () => {
  it('runs in every thread before its first call', async () => {
    const e = executor({ maxWorkers: 2, initializer: init, initargs: ['initialized'] });
    const fs = range(2).map(() => e.submit(getInitStatus));
    for (const f of fs) expect(await f.result()).toBe('initialized');
  });

  it('a failing initializer breaks the pool: BrokenThreadPool, then submit throws', async () => {
    const e = executor({ maxWorkers: 2, initializer: initFail });
    const f = e.submit(getInitStatus);
    const err = await f.exception();
    expect(err).toBeInstanceOf(BrokenThreadPool);
    expect(err).toBeInstanceOf(BrokenExecutor);
    expect((err as Error).message).toBe(
      'A thread initializer failed, the thread pool is not usable anymore',
    );
    expect(((err as Error).cause as Error).message).toBe('error in initializer');
    expect(() => e.submit(getInitStatus)).toThrow(BrokenThreadPool);
  });

  it('queued calls fail with BrokenThreadPool too', async () => {
    const e = executor({ maxWorkers: 1, initializer: initFail });
    const fs = range(5).map(() => e.submit(getInitStatus));
    for (const f of fs) expect(await f.exception()).toBeInstanceOf(BrokenThreadPool);
  });

  it('the failure is logged as "Exception in initializer:" on stderr', () => {
    const r = runScript(`
      import { ThreadPoolExecutor } from '@threadkit/pool';
      const e = new ThreadPoolExecutor({ maxWorkers: 1, initializer: () => { throw new Error('error in initializer'); } });
      const err = await e.submit(() => 1).exception();
      console.log(err.name);
      await e.shutdown();
    `);
    expect(r.stdout.trim()).toBe('BrokenThreadPool');
    expect(r.stderr).toContain('Exception in initializer:');
    expect(r.stderr).toContain('Error: error in initializer');
    expect(r.status).toBe(0);
  });
});

describe('pool thread idents', () => {
  it('tasks run in threads other than this one', async () => {
    const { getIdent } = await import('@threadkit/core');
    const theirs = await executor({ maxWorkers: 1 }).submit(ident).result();
    expect(theirs).not.toBe(getIdent());
  });
});
