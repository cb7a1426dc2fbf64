import { local, Thread } from '@threadkit/core';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain JS fixture
import { bump, counter } from './fixtures/locals.mjs';

describe('local', () => {
  it('keeps attributes per thread', () => {
    const data = new local();
    data.x = 1;
    expect(data.x).toBe(1);
    expect('x' in data).toBe(true);
    delete data.x;
    expect(data.x).toBeUndefined();
  });

  it('rejects initialisation arguments for local itself', () => {
    expect(() => new (local as any)(1)).toThrow(
      new TypeError('Initialization arguments are not supported'),
    );
  });

  it('runs a subclass constructor once per thread with the original arguments', () => {
    expect(counter.count).toBe(10);
    const out = new Int32Array(new SharedArrayBuffer(12));
    const ts = [0, 1, 2].map((slot) => new Thread({ target: bump, args: [out, slot, slot + 1] }));
    for (const t of ts) t.start();
    for (const t of ts) t.join();
    // Each thread started from 10 and ran the constructor once: count*100 + inits.
    expect(Array.from(out)).toEqual([1101, 1201, 1301]);
    expect(counter.count).toBe(10);
  });

  it('a local passed to a thread arrives empty', () => {
    const data = new local();
    data.secret = 42;
    const out = new Int32Array(new SharedArrayBuffer(8));
    const t = new Thread({
      target: (d: any, o: Int32Array) => {
        o[0] = d.secret === undefined ? 1 : 0;
        d.secret = 7;
        o[1] = d.secret;
      },
      args: [data, out],
    });
    t.start();
    t.join();
    expect(Array.from(out)).toEqual([1, 7]);
    expect(data.secret).toBe(42);
  });

  it('reused workers never leak one thread’s locals, name or ident into the next', () => {
    const out = new Int32Array(new SharedArrayBuffer(4 * 8));
    const first = new Thread({
      name: 'first',
      target: bump,
      args: [out, 0, 5],
    });
    first.start();
    first.join();
    // The next thread very likely reuses the same warm worker; it must see fresh state.
    const second = new Thread({
      name: 'second',
      target: async (o: Int32Array) => {
        const tk = await import('@threadkit/core');
        o[1] = tk.currentThread().name === 'second' ? 1 : 0;
        o[2] = tk.getIdent();
      },
      args: [out],
    });
    second.start();
    second.join();
    const third = new Thread({ target: bump, args: [out, 3, 1] });
    third.start();
    third.join();
    expect(out[0]).toBe(1501);
    expect(out[1]).toBe(1);
    expect(out[2]).toBe(second.ident);
    expect(out[2]).not.toBe(first.ident);
    expect(out[3]).toBe(1101);
  });
});
