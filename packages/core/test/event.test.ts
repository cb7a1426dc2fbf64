// Event: ports of CPython's lock_tests.EventTests, plus the async twin.

import { Event } from '@threadkit/core';
import { describe, expect, it } from 'vitest';
import { bunch, expectTimeout, joinAll, pause, shared, until } from './helpers/threads.js';

describe('Event (single thread)', () => {
  it('isSet follows set and clear', () => {
    const evt = new Event();
    expect(evt.isSet()).toBe(false);
    evt.set();
    expect(evt.isSet()).toBe(true);
    evt.set();
    expect(evt.isSet()).toBe(true);
    evt.clear();
    expect(evt.isSet()).toBe(false);
    evt.clear();
    expect(evt.isSet()).toBe(false);
  });

  it('takes no constructor arguments', () => {
    expect(() => new (Event as any)(1)).toThrow(TypeError);
  });

  it('wait returns the flag: at once when set, false after the timeout', () => {
    const evt = new Event();
    expect(evt.wait(0)).toBe(false);
    expect(evt.wait(-1)).toBe(false);
    const t0 = performance.now();
    expect(evt.wait(0.2)).toBe(false);
    expectTimeout((performance.now() - t0) / 1000, 0.2);
    evt.set();
    expect(evt.wait()).toBe(true);
    expect(evt.wait(0)).toBe(true);
    expect(evt._nWaiters).toBe(0);
  });

  it('toString shows the flag', () => {
    const evt = new Event();
    expect(String(evt)).toMatch(/^<\w+\.Event at .*: unset>$/);
    evt.set();
    expect(String(evt)).toMatch(/^<\w+\.Event at .*: set>$/);
  });

  it('waitAsync resolves on set and honours timeout and AbortSignal', async () => {
    const evt = new Event();
    const pending = evt.waitAsync();
    expect(evt._nWaiters).toBe(1);
    setTimeout(() => evt.set(), 10);
    expect(await pending).toBe(true);
    evt.clear();
    const t0 = performance.now();
    expect(await evt.waitAsync({ timeout: 0.1 })).toBe(false);
    expectTimeout((performance.now() - t0) / 1000, 0.1);
    const ac = new AbortController();
    const aborted = evt.waitAsync(null, { signal: ac.signal });
    ac.abort(new Error('stop'));
    await expect(aborted).rejects.toThrow('stop');
    expect(evt._nWaiters).toBe(0);
  });

  it('waitAsync returns true when set() is followed at once by clear()', async () => {
    const evt = new Event();
    const pending = evt.waitAsync(5);
    evt.set();
    evt.clear();
    expect(await pending).toBe(true);
  });
});

describe('Event (across threads)', () => {
  async function checkNotify(evt: Event) {
    const N = 5;
    const s = shared(3); // [true results of 1st wait, of 2nd wait, done]
    const threads = bunch(
      N,
      (_i: number, evt: Event, s: Int32Array) => {
        if (evt.wait()) Atomics.add(s, 0, 1);
        if (evt.wait()) Atomics.add(s, 1, 1);
        Atomics.add(s, 2, 1);
      },
      [evt, s],
    );
    await until(() => evt._nWaiters === N, 'all threads wait');
    await pause();
    expect(Atomics.load(s, 2)).toBe(0);
    evt.set();
    await joinAll(threads);
    expect(Array.from(s)).toEqual([N, N, N]);
  }

  it('set() wakes every waiting thread', async () => {
    const evt = new Event();
    await checkNotify(evt);
    evt.set();
    evt.clear(); // again, after an explicit clear()
    await checkNotify(evt);
  });

  it('timeouts in threads: false while unset, true once set', async () => {
    const evt = new Event();
    const N = 5;
    const body = (i: number, evt: Event, out: Float64Array) => {
      out[3 * i] = evt.wait(0) ? 1 : 0;
      const t0 = performance.now();
      out[3 * i + 1] = evt.wait(0.5) ? 1 : 0;
      out[3 * i + 2] = (performance.now() - t0) / 1000;
    };
    let out = new Float64Array(new SharedArrayBuffer(8 * 3 * N));
    await joinAll(bunch(N, body, [evt, out]));
    for (let i = 0; i < N; i++) {
      expect([out[3 * i], out[3 * i + 1]]).toEqual([0, 0]);
      expectTimeout(out[3 * i + 2], 0.5);
    }
    evt.set();
    out = new Float64Array(new SharedArrayBuffer(8 * 3 * N));
    await joinAll(bunch(N, body, [evt, out]));
    for (let i = 0; i < N; i++) expect([out[3 * i], out[3 * i + 1]]).toEqual([1, 1]);
  });

  it('a waiter woken by set() returns true even if clear() follows at once', async () => {
    const evt = new Event();
    const N = 5;
    const s = shared(2); // [true, false]
    const threads = bunch(
      N,
      (_i: number, evt: Event, s: Int32Array) => {
        Atomics.add(s, evt.wait(30) ? 0 : 1, 1);
      },
      [evt, s],
    );
    await until(() => evt._nWaiters === N, 'all threads wait');
    evt.set();
    evt.clear();
    await joinAll(threads);
    expect(Array.from(s)).toEqual([N, 0]);
    expect(evt.isSet()).toBe(false);
  });

  it('waitAsync in the main thread is woken by set() in another thread', async () => {
    const evt = new Event();
    const pending = evt.waitAsync(20);
    const threads = bunch(1, (_i: number, evt: Event) => evt.set(), [evt]);
    expect(await pending).toBe(true);
    await joinAll(threads);
  });
});
