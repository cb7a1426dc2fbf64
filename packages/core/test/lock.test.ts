import { Lock, OverflowError, RuntimeError, TIMEOUT_MAX, ValueError } from '@threadkit/core';
import { describe, expect, it } from 'vitest';

describe('Lock (single thread)', () => {
  it('acquires, reports locked, and releases', () => {
    const lock = new Lock();
    expect(lock.locked()).toBe(false);
    expect(lock.acquire()).toBe(true);
    expect(lock.locked()).toBe(true);
    expect(lock.acquire(false)).toBe(false);
    lock.release();
    expect(lock.locked()).toBe(false);
  });

  it('cannot be subclassed, as in CPython 3.13', () => {
    class MyLock extends Lock {}
    expect(() => new MyLock()).toThrow(new TypeError("type 'Lock' is not an acceptable base type"));
  });

  it('release of an unlocked lock is a RuntimeError', () => {
    expect(() => new Lock().release()).toThrow(new RuntimeError('release unlocked lock'));
  });

  it('follows CPython timeout rules', () => {
    const lock = new Lock();
    expect(() => lock.acquire(false, 1)).toThrow(ValueError);
    expect(() => lock.acquire(true, -2)).toThrow(ValueError);
    expect(() => lock.acquire(true, TIMEOUT_MAX * 2)).toThrow(OverflowError);
    lock.acquire();
    const t0 = performance.now();
    expect(lock.acquire(true, 0.05)).toBe(false);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(45);
    expect(lock.acquire({ timeout: 0 })).toBe(false);
  });

  it('hold() releases on dispose and withLock releases on throw', () => {
    const lock = new Lock();
    {
      using _ = lock.hold();
      expect(lock.locked()).toBe(true);
    }
    expect(lock.locked()).toBe(false);
    expect(() =>
      lock.withLock(() => {
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(lock.locked()).toBe(false);
    expect(lock.withLock(() => 42)).toBe(42);
  });

  it('acquireAsync waits for a release and honours AbortSignal', async () => {
    const lock = new Lock();
    lock.acquire();
    const pending = lock.acquireAsync();
    setTimeout(() => lock.release(), 20);
    expect(await pending).toBe(true);
    const ac = new AbortController();
    const aborted = lock.acquireAsync({ signal: ac.signal });
    ac.abort(new Error('stop'));
    await expect(aborted).rejects.toThrow('stop');
    lock.release();
  });
});
