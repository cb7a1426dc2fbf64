// ProcessPoolExecutor: ports of CPython's executor.py (ExecutorTest), test_deadlock.py (a
// worker that dies breaks the pool: BrokenProcessPool, nothing hangs), test_init.py and the
// process half of test_shutdown.py; plus real PIDs, maxTasksPerChild, and what may cross.

import { availableParallelism } from 'node:os';
import { DataCloneError, Lock } from '@threadkit/core';
import {
  BrokenExecutor,
  BrokenProcessPool,
  ProcessPoolExecutor,
  RuntimeError,
  TimeoutError,
  ValueError,
} from '@threadkit/pool';
import { afterEach, describe, expect, it } from 'vitest';
import {
  getInitStatus,
  init,
  initFail,
  mul,
  pid,
  raiseValueError,
  Scaler,
  waitForFile,
} from './fixtures/tasks.js';
import { add, greet } from './fixtures/tasks.mjs';
import { collect, fileGate, runScript, until } from './helpers.js';

const executors: ProcessPoolExecutor[] = [];

function executor(
  options: ConstructorParameters<typeof ProcessPoolExecutor>[0] = { maxWorkers: 2 },
) {
  const e = new ProcessPoolExecutor(options);
  executors.push(e);
  return e;
}

afterEach(async () => {
  for (const e of executors.splice(0)) await e.shutdown({ wait: true });
});

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}

function alive(p: number): boolean {
  try {
    process.kill(p, 0);
    return true;
  } catch {
    return false;
  }
}

describe('ExecutorTest (executor.py) on processes', () => {
  it('submit', async () => {
    expect(
      await executor()
        .submit((a: number, b: number) => a ** b, 2, 8)
        .result(),
    ).toBe(256);
  });

  it('map, with chunksize too', async () => {
    const e = executor();
    const expected = range(10).map((i) => i ** i);
    const pow = (a: number, b: number) => a ** b;
    expect(await collect(e.map(pow, range(10), range(10)))).toEqual(expected);
    expect(await collect(e.map(pow, range(10), range(10), { chunksize: 3 }))).toEqual(expected);
  });

  it('map raises the exception of the item when reached', async () => {
    const divmod = (a: number, b: number) => {
      if (b === 0) throw new RangeError('integer division or modulo by zero');
      return [Math.floor(a / b), a % b];
    };
    const it = executor().map(divmod, [1, 1, 1, 1], [2, 3, 0, 5]);
    expect((await it.next()).value).toEqual([0, 1]);
    expect((await it.next()).value).toEqual([0, 1]);
    await expect(it.next()).rejects.toThrow(RangeError);
  });

  it('map timeout', async () => {
    const gate = fileGate();
    const results: unknown[] = [];
    try {
      await expect(async () => {
        for await (const r of executor().map(waitForFile, ['', '', gate.path], [0, 0, 60], {
          timeout: 1,
        })) {
          results.push(r);
        }
      }).rejects.toBeInstanceOf(TimeoutError);
    } finally {
      gate.set();
    }
    // an empty path exists nowhere: waitForFile('', 0) gives up at once
    expect(results).toEqual([false, false]);
  });

  it('chunksize < 1: ValueError', () => {
    expect(() => executor().map((x: number) => x, [1], { chunksize: 0 })).toThrow(
      new ValueError('chunksize must be >= 1.'),
    );
  });

  it('shutdown right after map (issue 12456)', async () => {
    const e = new ProcessPoolExecutor(2);
    e.map((x: number) => String(x), [2, 2, 2]);
    await e.shutdown();
  });

  it('maxWorkers <= 0: ValueError; default is the CPU count', () => {
    for (const n of [0, -1]) {
      expect(() => new ProcessPoolExecutor({ maxWorkers: n })).toThrow(
        new ValueError('max_workers must be greater than 0'),
      );
    }
    expect(new ProcessPoolExecutor().maxWorkers).toBe(availableParallelism());
  });
});

describe('processes', () => {
  it('tasks run in other processes, with real PIDs', async () => {
    const e = executor();
    const theirs = await e.submit(pid).result();
    expect(theirs).not.toBe(process.pid);
    expect(alive(theirs)).toBe(true);
    expect(await e.submit(() => process.pid).result()).not.toBe(process.pid);
  });

  it("a worker process inherits the parent's environment at its start, as in Python", async () => {
    process.env.THREADKIT_POOL_ENV_TEST = 'inherited';
    try {
      const e = executor({ maxWorkers: 1 });
      const env = await e
        .submit(() => [process.env.THREADKIT_POOL_ENV_TEST, process.env.PATH])
        .result();
      expect(env).toEqual(['inherited', process.env.PATH]);
    } finally {
      delete process.env.THREADKIT_POOL_ENV_TEST;
    }
  });

  it('module functions from .ts and .mjs files, and class instances', async () => {
    const e = executor();
    expect(await e.submit(mul, 6, 7).result()).toBe(42);
    expect(await e.submit(greet, 'Ada').result()).toBe('hello from tasks.mjs, Ada (MainThread)');
    expect(await e.submit(add, 40, 2).result()).toBe(42);
    expect(await e.submit(new Scaler(3) as any, 14).result()).toBe(42);
  });

  it('values cross by v8 serialization', async () => {
    const value = {
      m: new Map([[1, new Set([2])]]),
      d: new Date(0),
      a: new Uint8Array([1, 2]),
      big: 2n ** 70n,
    };
    expect(
      await executor()
        .submit((v: unknown) => v, value)
        .result(),
    ).toEqual(value);
  });

  it('a threadkit shared object or a function is refused at submit, with its path', () => {
    const e = executor();
    expect(() => e.submit((_x: unknown) => 0, { lock: new Lock() })).toThrow(DataCloneError);
    expect(() => e.submit((_x: unknown) => 0, { lock: new Lock() })).toThrow(
      /args\[0\]\.lock cannot be sent to another process/,
    );
    expect(() => e.submit((_x: unknown) => 0, [() => 1])).toThrow(/args\[0\]\[0\]/);
  });

  it('a result that cannot cross fails its future, not the pool', async () => {
    const e = executor();
    const err = await e.submit(() => ({ f() {} })).exception();
    expect((err as Error).message).toMatch(/result cannot be sent to the parent process/);
    expect(await e.submit(() => 1).result()).toBe(1);
  });

  it('errors keep their class and fields', async () => {
    const e = executor();
    expect(await e.submit(raiseValueError, 'bad').exception()).toBeInstanceOf(ValueError);
    const custom = (await e
      .submit(() => {
        const x = new Error('custom');
        x.name = 'MyError';
        (x as any).code = 7;
        throw x;
      })
      .exception()) as Error;
    expect(custom).toMatchObject({ name: 'MyError', message: 'custom', code: 7 });
    expect(custom.stack).toContain('custom');
  });

  it('maxTasksPerChild replaces a process after that many calls', async () => {
    const e = executor({ maxWorkers: 1, maxTasksPerChild: 2 });
    const pids: number[] = [];
    for (let i = 0; i < 4; i++) pids.push(await e.submit(pid).result());
    expect(pids[0]).toBe(pids[1]);
    expect(pids[2]).toBe(pids[3]);
    expect(pids[2]).not.toBe(pids[0]);
    expect(() => new ProcessPoolExecutor({ maxTasksPerChild: 0 })).toThrow(ValueError);
  });
});

describe('a dying worker breaks the pool (test_deadlock.py)', () => {
  for (const [how, fn] of [
    ['process.exit(1)', () => process.exit(1)],
    ["process.kill(process.pid, 'SIGKILL')", () => process.kill(process.pid, 'SIGKILL')],
  ] as const) {
    it(`${how}: that future and the pending ones fail with BrokenProcessPool`, async () => {
      const e = executor({ maxWorkers: 2 });
      const gate = fileGate();
      const running = e.submit(waitForFile, gate.path);
      const crash = e.submit(fn);
      const pending = range(3).map(() => e.submit(mul, 2, 3));
      try {
        const err = await crash.exception(60);
        expect(err).toBeInstanceOf(BrokenProcessPool);
        expect(err).toBeInstanceOf(BrokenExecutor);
        expect((err as Error).message).toBe(
          'A process in the process pool was terminated abruptly while the future was running or pending.',
        );
        // every unfinished future fails, the running one on another process too
        for (const f of [running, ...pending]) {
          if (!f.cancelled()) expect(await f.exception(60)).toBeInstanceOf(BrokenProcessPool);
        }
        expect(() => e.submit(mul, 1, 1)).toThrow(
          new BrokenProcessPool(
            'A child process terminated abruptly, the process pool is not usable anymore',
          ),
        );
      } finally {
        gate.set();
      }
    });
  }

  it('a crash after shutdown() was called does not deadlock (test_shutdown_deadlock)', async () => {
    const e = new ProcessPoolExecutor(2);
    const f = e.submit(() => {
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 100);
      process.kill(process.pid, 'SIGKILL');
    });
    await e.shutdown({ wait: true });
    await expect(f.result()).rejects.toBeInstanceOf(BrokenProcessPool);
  });

  it('a task that raises does not break the pool (test_error_during_func_exec_on_worker)', async () => {
    const e = executor();
    await expect(
      e
        .submit(() => {
          throw new Error('RuntimeError');
        })
        .result(),
    ).rejects.toThrow('RuntimeError');
    expect(await e.submit(mul, 2, 2).result()).toBe(4);
  });
});

describe('initializer (test_init.py) on processes', () => {
  it('runs in each process before its first call', async () => {
    const e = executor({ maxWorkers: 2, initializer: init, initargs: ['initialized'] });
    const fs = range(2).map(() => e.submit(getInitStatus));
    for (const f of fs) expect(await f.result()).toBe('initialized');
  });

  it('a failing initializer breaks the pool', async () => {
    const e = executor({ maxWorkers: 2, initializer: initFail });
    let future: ReturnType<typeof e.submit> | null = null;
    try {
      future = e.submit(getInitStatus);
    } catch (err) {
      expect(err).toBeInstanceOf(BrokenExecutor);
    }
    if (future) expect(await future.exception(60)).toBeInstanceOf(BrokenExecutor);
    expect(() => e.submit(getInitStatus)).toThrow(BrokenProcessPool);
  });

  it('a non-callable initializer: TypeError', () => {
    expect(() => new ProcessPoolExecutor({ initializer: 'x' as any })).toThrow(
      'initializer must be a callable',
    );
  });
});

describe('shutdown (test_shutdown.py, processes)', () => {
  it('submit after shutdown: RuntimeError', async () => {
    const e = new ProcessPoolExecutor(1);
    await e.shutdown();
    expect(() => e.submit(mul, 2, 5)).toThrow(
      new RuntimeError('cannot schedule new futures after shutdown'),
    );
  });

  it('the processes end at shutdown (test_processes_terminate)', async () => {
    const e = new ProcessPoolExecutor(2);
    const gate = fileGate();
    const blocked = e.submit(waitForFile, gate.path);
    const worker = await e.submit(pid).result();
    gate.set();
    await e.shutdown();
    expect(await blocked.result()).toBe(true);
    expect(alive(worker)).toBe(false);
  });

  it('cancelFutures cancels the queued calls', async () => {
    const e = new ProcessPoolExecutor(1);
    const gate = fileGate();
    const first = e.submit(waitForFile, gate.path);
    const rest = range(10).map(() => e.submit(mul, 1, 1));
    await until(() => first.running(), 'the first call runs');
    const done = e.shutdown({ cancelFutures: true });
    gate.set();
    await done;
    expect(await first.result()).toBe(true);
    expect(rest.every((f) => f.cancelled())).toBe(true);
  });

  it('await using, and shutdown(false) still computes every result', async () => {
    {
      await using e = new ProcessPoolExecutor(2);
      expect(await collect(e.map((x: number) => Math.abs(x), [-2, -1, 0, 1]))).toEqual([
        2, 1, 0, 1,
      ]);
    }
    const e = new ProcessPoolExecutor(2);
    const res = e.map((x: number) => Math.abs(x), [-2, -1, 0, 1]);
    await e.shutdown(false);
    expect(await collect(res)).toEqual([2, 1, 0, 1]);
  });

  it('terminate() and shutdown() return when a worker process ignores SIGTERM (it is killed)', () => {
    // tinypool unrefs idle children: the wait for the SIGKILLed child must keep the loop alive.
    const r = runScript(`
      import { Pool, ProcessPoolExecutor } from '@threadkit/pool';
      const ignoreTerm = () => { process.on('SIGTERM', () => {}); return process.pid; };
      const p = new Pool(1);
      const pid = await p.apply(ignoreTerm);
      await p.terminate();
      let alive = true;
      try { process.kill(pid, 0); } catch { alive = false; }
      console.log('pool terminated, child alive: ' + alive);
      const e = new ProcessPoolExecutor(1);
      await e.submit(ignoreTerm).result();
      await e.shutdown();
      console.log('executor shut down');
    `);
    expect(r.stderr).toBe('');
    expect(r.stdout.trim().split('\n')).toEqual([
      'pool terminated, child alive: false',
      'executor shut down',
    ]);
    expect(r.status).toBe(0);
  });

  it('pending work completes at exit without shutdown (test_interpreter_shutdown)', () => {
    const r = runScript(`
      import { ProcessPoolExecutor } from '@threadkit/pool';
      const t = new ProcessPoolExecutor(2);
      t.submit(() => { Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200); console.log('apple'); });
    `);
    expect(r.stderr).toBe('');
    expect(r.stdout.trim()).toBe('apple');
    expect(r.status).toBe(0);
  });
});
