import { Event, Thread, Timer } from '@threadkit/core';
import { describe, expect, it } from 'vitest';

describe('Timer', () => {
  it('calls the function with args and kwargs after the interval, in another thread', () => {
    const out = new Int32Array(new SharedArrayBuffer(8));
    const done = new Event();
    const t0 = performance.now();
    const t = new Timer(
      0.1,
      (o: Int32Array, a: number, ev: Event, kw: { b: number }) => {
        o[0] = a + kw.b;
        ev.set();
      },
      [out, 40, done],
      { b: 2 },
    );
    expect(t).toBeInstanceOf(Thread);
    expect(t.name).toMatch(/^Thread-\d+$/);
    t.start();
    expect(done.wait(30)).toBe(true);
    const waited = performance.now() - t0;
    expect(out[0]).toBe(42);
    expect(waited).toBeGreaterThanOrEqual(60);
    t.join();
    expect(t.finished.isSet()).toBe(true);
  });

  it('cancel() before it fires stops the call; finished is set', () => {
    const out = new Int32Array(new SharedArrayBuffer(4));
    const t = new Timer(
      5,
      (o: Int32Array) => {
        o[0] = 1;
      },
      [out],
    );
    t.start();
    t.cancel();
    t.join(30);
    expect(t.isAlive()).toBe(false);
    expect(out[0]).toBe(0);
    expect(t.finished.isSet()).toBe(true);
  });

  it('cancel() after it fired is harmless', () => {
    const t = new Timer(0, () => {});
    t.start();
    t.join();
    t.cancel();
    expect(t.finished.isSet()).toBe(true);
  });

  it('rejects a non-function and a non-number interval', () => {
    expect(() => new Timer(1, 5 as any)).toThrow(TypeError);
    expect(() => new Timer('1' as any, () => {})).toThrow(TypeError);
  });
});
