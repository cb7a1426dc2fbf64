import { describe, expect, it } from 'vitest';
import { runNode } from './helpers.js';

// Each entry script starts an inline target, a threadable module function and an exported
// Thread subclass, and prints what they wrote into shared memory.
const EXPECTED = '[14,15,41]';

describe('target forms in every kind of entry script', () => {
  it('works in an ESM entry script', () => {
    const r = runNode(['entry-esm.mjs']);
    expect(r.stderr).toBe('');
    expect(r.stdout.trim()).toBe(EXPECTED);
    expect(r.status).toBe(0);
  });

  it('works in a CommonJS entry script', () => {
    const r = runNode(['entry-cjs.cjs']);
    expect(r.stderr).toBe('');
    expect(r.stdout.trim()).toBe(EXPECTED);
    expect(r.status).toBe(0);
  });

  it("boots a CommonJS program's workers on the CommonJS build (the library loads once)", () => {
    const r = runNode(['entry-cjs-once.cjs']);
    expect(r.stderr).toBe('');
    expect(r.stdout.trim()).toBe('commonjs');
    expect(r.status).toBe(0);
  });

  it('works in a TypeScript entry script run by tsx (module targets written in .ts)', () => {
    const r = runNode(['--import', 'tsx', 'entry-ts.ts']);
    expect(r.stderr).toBe('');
    expect(r.stdout.trim()).toBe(EXPECTED);
    expect(r.status).toBe(0);
  });
});

describe('node flags', () => {
  it('keeps working when the process has flags a Worker refuses in execArgv (tsx + --expose-gc)', () => {
    const r = runNode([
      '--import',
      'tsx',
      '--expose-gc',
      '--max-old-space-size=256',
      'entry-ts.ts',
    ]);
    expect(r.stderr).toBe('');
    expect(r.stdout.trim()).toBe(EXPECTED);
  });
});

describe('inline targets compiled by toolchains', () => {
  it('run `using` declarations lowered by esbuild (helpers are provided in the worker)', async () => {
    const { Lock, Thread } = await import('@threadkit/core');
    const lock = new Lock();
    const counter = new Int32Array(new SharedArrayBuffer(4));
    function work(l: InstanceType<typeof Lock>, c: Int32Array, times: number) {
      for (let i = 0; i < times; i++) {
        using _ = l.hold();
        c[0]++;
      }
    }
    expect(work.toString()).toMatch(/__using|using _/);
    const threads = [0, 1, 2].map(
      () => new Thread({ target: work, args: [lock, counter, 20_000] }),
    );
    for (const t of threads) t.start();
    for (const t of threads) t.join();
    expect(counter[0]).toBe(60_000);
    expect(lock.locked()).toBe(false);
  });
});

describe('module targets imported by code compiled another way', () => {
  it('are found by registration order, not by a name the compiler may have changed', async () => {
    const { Thread } = await import('@threadkit/core');
    // vitest compiles this fixture itself; the worker loads it through tsx.
    const { store, Storer } = await import('./fixtures/targets-ts.ts');
    const arr = new Int32Array(new SharedArrayBuffer(12));
    const t = new Thread({ target: store, args: [arr, 1, 5] });
    const s = new Storer(arr, 2, 4);
    t.start();
    s.start();
    t.join();
    s.join();
    expect(Array.from(arr)).toEqual([0, 15, 41]);
  });
});
