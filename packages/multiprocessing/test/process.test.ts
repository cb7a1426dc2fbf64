import { Lock } from '@threadkit/core';
import {
  AssertionError,
  activeChildren,
  cpuCount,
  currentProcess,
  DataCloneError,
  Pipe,
  Process,
  parentProcess,
  ValueError,
} from '@threadkit/multiprocessing';
import { describe, expect, it } from 'vitest';
import { pidAlive } from './helpers.js';

const sleeper = () => new Promise((resolve) => setTimeout(resolve, 60_000));

describe('Process: life cycle and exit codes', () => {
  it('reports exitcode 0, the code given to process.exit, 1 for an uncaught error', () => {
    const ok = new Process({ target: () => {} });
    const three = new Process({ target: () => process.exit(3) });
    const thrower = new Process({
      target: () => {
        throw new Error('expected failure (exit code test)');
      },
    });
    for (const p of [ok, three, thrower]) expect(p.exitcode).toBeNull();
    for (const p of [ok, three, thrower]) p.start();
    for (const p of [ok, three, thrower]) p.join();
    expect([ok.exitcode, three.exitcode, thrower.exitcode]).toEqual([0, 3, 1]);
    expect(ok.isAlive()).toBe(false);
  });

  it('gives minus the signal number to a killed or terminated process', () => {
    const killed = new Process({ target: sleeper });
    const terminated = new Process({ target: sleeper });
    killed.start();
    terminated.start();
    expect(killed.isAlive()).toBe(true);
    expect(killed.exitcode).toBeNull();
    killed.kill();
    terminated.terminate();
    killed.join();
    terminated.join();
    expect(killed.exitcode).toBe(-9);
    expect(terminated.exitcode).toBe(-15);
    expect(String(terminated)).toMatch(
      /^<Process name='Process-\d+' pid=\d+ parent=\d+ stopped exitcode=-SIGTERM>$/,
    );
    terminated.terminate(); // already ended: nothing happens, as in Python
  });

  it('join(timeout) returns after the timeout with the child still running', () => {
    const p = new Process({ target: sleeper });
    p.start();
    const t0 = performance.now();
    p.join(0.3);
    const waited = performance.now() - t0;
    expect(waited).toBeGreaterThanOrEqual(290);
    expect(waited).toBeLessThan(10_000);
    expect(p.isAlive()).toBe(true);
    expect(p.exitcode).toBeNull();
    p.kill();
    p.join();
    expect(p.isAlive()).toBe(false);
  });

  it('join() blocks the main thread and still learns the exit status (no event loop)', () => {
    let loopRan = false;
    setTimeout(() => {
      loopRan = true;
    }, 0);
    const p = new Process({
      target: () => new Promise((r) => setTimeout(r, 300)).then(() => process.exit(7)),
    });
    const t0 = performance.now();
    p.start();
    p.join();
    expect(performance.now() - t0).toBeGreaterThanOrEqual(290);
    expect(loopRan).toBe(false); // the main thread never returned to its event loop
    expect(p.exitcode).toBe(7);
  });

  it('joinAsync waits on the event loop', async () => {
    const p = new Process({ target: () => new Promise((r) => setTimeout(r, 100)) });
    p.start();
    let ticks = 0;
    const timer = setInterval(() => ticks++, 5);
    await p.joinAsync();
    clearInterval(timer);
    expect(p.exitcode).toBe(0);
    expect(ticks).toBeGreaterThan(0);
  });

  it('close() refuses a running process, then makes the object unusable', () => {
    const p = new Process({ target: sleeper });
    p.start();
    expect(() => p.close()).toThrow(ValueError);
    p.kill();
    p.join();
    p.close();
    p.close();
    expect(() => p.pid).toThrow(new ValueError('process object is closed'));
    expect(() => p.join()).toThrow('process object is closed');
    expect(() => p.start()).toThrow('process object is closed');
    expect(String(p)).toContain(' closed');
  });
});

describe("Process: Python's errors", () => {
  it('join before start, start twice, join self, daemon after start', async () => {
    const p = new Process({ target: () => {} });
    expect(() => p.join()).toThrow(new AssertionError('can only join a started process'));
    await expect(p.joinAsync()).rejects.toThrow('can only join a started process');
    p.start();
    expect(() => p.start()).toThrow(new AssertionError('cannot start a process twice'));
    expect(() => {
      p.daemon = true;
    }).toThrow('process has already started');
    p.join();
    expect(() => currentProcess().join()).toThrow(
      new AssertionError('can only join a child process'),
    );
    expect(() => currentProcess().start()).toThrow('cannot start a process twice');
  });

  it('rejects a target or arguments that cannot reach another process, naming the path', () => {
    const handler = () => 1;
    expect(() =>
      new Process({ target: (_a: unknown, _b: unknown) => {}, args: [1, { handler }] }).start(),
    ).toThrow(DataCloneError);
    expect(() => new Process({ target: () => {}, args: [1, { handler }] }).start()).toThrow(
      /args\[1\]\.handler/,
    );
    expect(() => new Process({ target: () => {}, args: [[new Lock()]] }).start()).toThrow(
      /args\[0\]\[0\] cannot be sent to another process: it is a Lock, which is shared between the threads of one process only/,
    );
    expect(() =>
      new Process({ target: () => {}, kwargs: { when: new Map([['k', Symbol('s')]]) } }).start(),
    ).toThrow(/kwargs\.when\.get\("k"\)/);
    expect(() => new Process({ target: class Nope {} as never }).start()).toThrow(TypeError);
    expect(() => new Process({ target: 42 as never })).toThrow(TypeError);
    expect(() => new Process({ args: 'x' as never })).toThrow('args must be an array');
  });

  it('a child that cannot load its target ends with exitcode 1 instead of hanging', () => {
    const [r, w] = Pipe(false);
    const p = new Process({
      target: async (conn: any) => {
        conn.close();
        await import('./no-such-module-anywhere.mjs' as string);
      },
      args: [w],
    });
    p.start();
    w.close();
    p.join(30);
    expect(p.exitcode).toBe(1);
    r.close();
  });
});

describe('Process: identity', () => {
  it('names processes Process-N, MainProcess, and knows parents and children', () => {
    const a = new Process();
    const b = new Process({ name: 'custom', daemon: true });
    const n = Number(a.name.split('-')[1]);
    expect(a.name).toMatch(/^Process-\d+$/);
    expect(b.name).toBe('custom');
    expect(new Process().name).toBe(`Process-${n + 2}`);
    expect(b.daemon).toBe(true);
    expect(a.daemon).toBe(false);
    expect(a.pid).toBeNull();
    expect(String(a)).toBe(`<Process name='${a.name}' parent=${process.pid} initial>`);
    const me = currentProcess();
    expect(me.name).toBe('MainProcess');
    expect(me.pid).toBe(process.pid);
    expect(me.isAlive()).toBe(true);
    expect(parentProcess()).toBeNull();
    expect(cpuCount()).toBeGreaterThanOrEqual(1);
  });

  it('a child sees its own name, pid, daemon flag and parent; names its children Process-N:M', () => {
    const [r, w] = Pipe(false);
    const p = new Process({
      name: 'kid',
      daemon: true,
      target: async (conn: any) => {
        const mp = await import('@threadkit/multiprocessing');
        const me = mp.currentProcess();
        const parent = mp.parentProcess()!;
        conn.send({
          name: me.name,
          pid: me.pid,
          daemon: me.daemon,
          alive: me.isAlive(),
          parentName: parent.name,
          parentPid: parent.pid,
          parentAlive: parent.isAlive(),
          grandchild: new mp.Process().name,
          grandchild2: new mp.Process().name,
          canHaveChildren: (() => {
            try {
              new mp.Process({ target: () => {} }).start();
              return 'yes';
            } catch (e) {
              return (e as Error).message;
            }
          })(),
        });
      },
      args: [w],
    });
    p.start();
    w.close();
    const seen = r.recv() as Record<string, unknown>;
    p.join();
    r.close();
    expect(seen).toEqual({
      name: 'kid',
      pid: p.pid,
      daemon: true,
      alive: true,
      parentName: 'MainProcess',
      parentPid: process.pid,
      parentAlive: true,
      grandchild: expect.stringMatching(/^Process-\d+:1$/),
      grandchild2: expect.stringMatching(/^Process-\d+:2$/),
      canHaveChildren: 'daemonic processes are not allowed to have children',
    });
    expect(p.exitcode).toBe(0);
  });

  it('activeChildren() lists running children only', () => {
    const p = new Process({ target: sleeper });
    expect(activeChildren().some((c) => c.equals(p))).toBe(false);
    p.start();
    expect(activeChildren().some((c) => c === p)).toBe(true);
    expect(pidAlive(p.pid!)).toBe(true);
    p.terminate();
    p.join();
    expect(activeChildren().some((c) => c === p)).toBe(false);
  });
});

describe('Process: threadkit core inside a child', () => {
  it('runs threads with shared primitives and a queue in the child', () => {
    const [r, w] = Pipe(false);
    const p = new Process({
      target: async (conn: any) => {
        const { Thread, Lock, Queue, Value, currentThread } = await import('@threadkit/core');
        const lock = new Lock();
        const total = new Value('i', 0);
        const q = new Queue();
        const threads = [0, 1, 2, 3].map(
          (k) =>
            new Thread({
              target: (lock: any, total: any, q: any, k: number) => {
                for (let i = 0; i < 1000; i++) lock.withLock(() => total.value++);
                q.put(k);
              },
              args: [lock, total, q, k],
            }),
        );
        for (const t of threads) t.start();
        for (const t of threads) t.join();
        const got = [0, 1, 2, 3].map(() => q.get(true, 5)).sort();
        conn.send({ total: total.value, got, main: currentThread().name });
      },
      args: [w],
    });
    p.start();
    w.close();
    expect(r.recv()).toEqual({ total: 4000, got: [0, 1, 2, 3], main: 'MainThread' });
    p.join();
    r.close();
    expect(p.exitcode).toBe(0);
  });

  it('can be joined from another thread of the parent', async () => {
    const { Thread } = await import('@threadkit/core');
    const p = new Process({
      target: () => new Promise((r) => setTimeout(r, 200)).then(() => process.exit(5)),
    });
    p.start();
    const [r, w] = Pipe(false);
    // A module target: its module imports @threadkit/multiprocessing, so the thread can revive p.
    const { joinAndReport } = await import('./fixtures/targets.mjs');
    const t = new Thread({ target: joinAndReport, args: [p, w] });
    t.start();
    expect(r.recv()).toBe(5);
    t.join();
    p.join();
    r.close();
    w.close();
  });
});
