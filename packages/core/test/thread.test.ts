import {
  activeCount,
  currentThread,
  DataCloneError,
  enumerate,
  getIdent,
  getNativeId,
  Lock,
  mainThread,
  RuntimeError,
  Thread,
} from '@threadkit/core';
import { describe, expect, it } from 'vitest';

function shared(n: number): Int32Array {
  return new Int32Array(new SharedArrayBuffer(4 * n));
}

describe('Thread basics', () => {
  it('runs an inline target with args and kwargs in another OS thread', () => {
    const out = shared(4);
    const t = new Thread({
      target: (arr: Int32Array, a: number, b: number, kw: { c: number }) => {
        arr[0] = a + b + kw.c;
      },
      args: [out, 1, 2],
      kwargs: { c: 39 },
    });
    expect(t.ident).toBeNull();
    expect(t.nativeId).toBeNull();
    t.start();
    expect(t.isAlive() || out[0] === 42).toBe(true);
    t.join();
    expect(out[0]).toBe(42);
    expect(t.isAlive()).toBe(false);
    expect(t.ident).toBeGreaterThan(0);
    expect(t.ident).not.toBe(getIdent());
    expect(t.nativeId).toBeGreaterThan(0);
    expect(t.nativeId).not.toBe(getNativeId());
  });

  it('names threads Thread-N and Thread-N (target) as Python does', () => {
    const a = new Thread();
    const b = new Thread({ target: function work() {} });
    const c = new Thread({ name: 'custom' });
    const na = Number(/^Thread-(\d+)$/.exec(a.name)?.[1]);
    expect(na).toBeGreaterThan(0);
    expect(b.name).toBe(`Thread-${na + 1} (work)`);
    expect(c.name).toBe('custom');
    c.name = 'renamed';
    expect(c.name).toBe('renamed');
    expect(mainThread().name).toBe('MainThread');
    expect(currentThread().name).toBe('MainThread');
  });

  it('inherits daemon from the creating thread and refuses to change it after start', () => {
    expect(new Thread().daemon).toBe(false);
    expect(new Thread({ daemon: true }).daemon).toBe(true);
    const flags = shared(2);
    const t = new Thread({
      daemon: true,
      target: async (f: Int32Array) => {
        const tk = await import('@threadkit/core');
        f[0] = new tk.Thread().daemon ? 1 : 2;
        f[1] = tk.currentThread().daemon ? 1 : 2;
      },
      args: [flags],
    });
    t.start();
    expect(() => {
      t.daemon = false;
    }).toThrow(new RuntimeError('cannot set daemon status of active thread'));
    t.join();
    expect(Array.from(flags)).toEqual([1, 1]);
  });

  it("raises Python's RuntimeErrors for start twice, join before start, join self", () => {
    const t = new Thread();
    expect(() => t.join()).toThrow(new RuntimeError('cannot join thread before it is started'));
    t.start();
    expect(() => t.start()).toThrow(new RuntimeError('threads can only be started once'));
    t.join();
    expect(() => t.start()).toThrow(RuntimeError);
    expect(() => currentThread().join()).toThrow(new RuntimeError('cannot join current thread'));
    const seen = shared(1);
    const self = new Thread({
      target: async (s: Int32Array) => {
        const tk = await import('@threadkit/core');
        try {
          tk.currentThread().join();
        } catch (err) {
          if (
            err instanceof tk.RuntimeError &&
            (err as Error).message === 'cannot join current thread'
          )
            s[0] = 1;
        }
      },
      args: [seen],
    });
    self.start();
    self.join();
    expect(seen[0]).toBe(1);
  });

  it('join(timeout) returns after the timeout with the thread still alive; negative means 0', () => {
    const lock = new Lock();
    lock.acquire();
    const t = new Thread({ target: (l: Lock) => l.acquire(), args: [lock] });
    t.start();
    const t0 = performance.now();
    t.join(0.1);
    const waited = performance.now() - t0;
    expect(waited).toBeGreaterThanOrEqual(60);
    expect(waited).toBeLessThan(5000);
    expect(t.isAlive()).toBe(true);
    const t1 = performance.now();
    t.join(-5);
    expect(performance.now() - t1).toBeLessThan(1000);
    expect(t.isAlive()).toBe(true);
    lock.release();
    t.join();
    expect(t.isAlive()).toBe(false);
  });

  it('several threads can join one thread at once, and joinAsync works', async () => {
    const gate = new Lock();
    gate.acquire();
    const target = new Thread({ target: (g: Lock) => g.acquire(), args: [gate] });
    target.start();
    const done = shared(3);
    const joiners = [0, 1, 2].map(
      (i) =>
        new Thread({
          target: (t: Thread, d: Int32Array, k: number) => {
            t.join();
            d[k] = t.isAlive() ? 2 : 1;
          },
          args: [target, done, i],
        }),
    );
    for (const j of joiners) j.start();
    const asyncJoin = target.joinAsync();
    expect(Array.from(done)).toEqual([0, 0, 0]);
    gate.release();
    await asyncJoin;
    for (const j of joiners) j.join();
    expect(Array.from(done)).toEqual([1, 1, 1]);
  });

  it('async targets keep the thread alive until their promise settles', () => {
    const out = shared(1);
    const t = new Thread({
      target: async (o: Int32Array) => {
        await new Promise((r) => setTimeout(r, 50));
        o[0] = 7;
      },
      args: [out],
    });
    t.start();
    t.join();
    expect(out[0]).toBe(7);
  });

  it('run() called directly runs the target in the calling thread', () => {
    let ran = -1;
    const t = new Thread({ target: (x: number) => (ran = x + getIdent()), args: [1] });
    t.run();
    expect(ran).toBe(1 + getIdent());
  });

  it('a Thread passed to another thread arrives as a handle to the same thread', () => {
    const gate = new Lock();
    gate.acquire();
    const sleeper = new Thread({ name: 'sleeper', target: (g: Lock) => g.acquire(), args: [gate] });
    sleeper.start();
    const out = shared(3);
    const probe = new Thread({
      target: (t: Thread, o: Int32Array) => {
        o[0] = t.name === 'sleeper' ? 1 : 0;
        o[1] = t.isAlive() ? 1 : 0;
        o[2] = t.ident ?? -1;
      },
      args: [sleeper, out],
    });
    probe.start();
    probe.join();
    expect(Array.from(out)).toEqual([1, 1, sleeper.ident]);
    gate.release();
    sleeper.join();
  });
});

describe('Thread bad input', () => {
  it('rejects a non-function target', () => {
    expect(() => new Thread({ target: 42 as any })).toThrow(TypeError);
  });

  it('rejects args that cannot cross, naming the path, and does not start the thread', () => {
    const before = activeCount();
    const t = new Thread({
      target: (_a: unknown, _b: unknown) => {},
      args: [1, { handler: () => 1 }],
    });
    expect(() => t.start()).toThrow(DataCloneError);
    expect(() => t.start()).toThrow(/args\[1\]\.handler/);
    expect(t.isAlive()).toBe(false);
    expect(activeCount()).toBe(before);
  });

  it('rejects a subclass that threadkit cannot locate, saying what line to add', () => {
    class Local extends Thread {
      override run() {}
    }
    expect(() => new Local().start()).toThrow(/static module = import\.meta\.url/);
  });

  it('rejects a native function target', () => {
    expect(() => new Thread({ target: Math.max }).start()).toThrow(/native or bound function/);
  });
});

describe('registry', () => {
  it('lists the main thread and live threads the same way from every thread, never finished ones', () => {
    const gate = new Lock();
    gate.acquire();
    const a = new Thread({ name: 'reg-a', target: (g: Lock) => g.acquire(), args: [gate] });
    a.start();
    expect(enumerate().map((t) => t.name)).toContain('reg-a');
    expect(enumerate()[0].name).toBe('MainThread');
    const names = shared(64);
    const viewer = new Thread({
      name: 'reg-viewer',
      target: async (out: Int32Array) => {
        const tk = await import('@threadkit/core');
        const text = tk
          .enumerate()
          .map((t) => t.name)
          .join(',');
        for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i);
        out[63] = tk.activeCount();
      },
      args: [names],
    });
    viewer.start();
    viewer.join();
    const seen = String.fromCharCode(
      ...Array.from(names.subarray(0, 63)).filter((c) => c > 0),
    ).split(',');
    expect(seen[0]).toBe('MainThread');
    expect(seen).toContain('reg-a');
    expect(seen).toContain('reg-viewer');
    expect(names[63]).toBe(seen.length);
    gate.release();
    a.join();
    expect(enumerate().map((t) => t.name)).not.toContain('reg-a');
    expect(enumerate().map((t) => t.name)).not.toContain('reg-viewer');
    expect(activeCount()).toBe(enumerate().length);
  });

  it('lists threads started by other threads, and such threads outlive their creator', () => {
    const gate = new Lock();
    gate.acquire();
    const creator = new Thread({
      name: 'creator',
      target: async (g: Lock) => {
        const tk = await import('@threadkit/core');
        new tk.Thread({ name: 'grandchild', target: (l: Lock) => l.acquire(), args: [g] }).start();
      },
      args: [gate],
    });
    creator.start();
    creator.join();
    const child = enumerate().find((t) => t.name === 'grandchild');
    expect(child).toBeDefined();
    expect(child!.isAlive()).toBe(true);
    gate.release();
    child!.join();
    expect(child!.isAlive()).toBe(false);
  });

  it('gives a dummy thread to a worker that threadkit did not start', async () => {
    const { Worker } = await import('node:worker_threads');
    const coreUrl = new URL('../dist/index.js', import.meta.url).href;
    const w = new Worker(
      `const { parentPort } = require('node:worker_threads');
       import(${JSON.stringify(coreUrl)}).then((tk) => {
         const t = tk.currentThread();
         let joinError = '';
         try { t.join(); } catch (e) { joinError = e.message; }
         parentPort.postMessage({ name: t.name, daemon: t.daemon, ident: t.ident, joinError, listed: tk.enumerate().some((x) => x.ident === t.ident) });
         parentPort.once('message', () => process.exit(0));
       });`,
      { eval: true },
    );
    const info = await new Promise<any>((resolve) => w.once('message', resolve));
    expect(info.name).toMatch(/^Dummy-\d+$/);
    expect(info.daemon).toBe(true);
    expect(info.joinError).toBe('cannot join a dummy thread');
    expect(info.listed).toBe(true);
    expect(enumerate().some((t) => t.ident === info.ident)).toBe(true);
    const exited = new Promise((r) => w.once('exit', r));
    w.postMessage('bye');
    await exited;
    expect(enumerate().some((t) => t.ident === info.ident)).toBe(false);
  });

  it('gives distinct idents and native ids to live threads', () => {
    const gate = new Lock();
    gate.acquire();
    const ts = [0, 1, 2].map(
      () =>
        new Thread({
          target: (g: Lock) => {
            g.acquire();
            g.release();
          },
          args: [gate],
        }),
    );
    for (const t of ts) t.start();
    const idents = new Set([getIdent(), ...ts.map((t) => t.ident)]);
    const natives = new Set([getNativeId(), ...ts.map((t) => t.nativeId)]);
    expect(idents.size).toBe(4);
    expect(natives.size).toBe(4);
    gate.release();
    for (const t of ts) t.join();
  });
});
