// AsyncExecutor: the executor interface for async functions on this event loop (p-queue):
// bounded concurrency, cancellation of queued calls, map, shutdown.

import {
  AsyncExecutor,
  CancelledError,
  RuntimeError,
  TimeoutError,
  ValueError,
  wait,
} from '@threadkit/pool';
import { describe, expect, it } from 'vitest';
import { collect } from './helpers.js';

/** A promise with its resolve function. */
function deferred<T = void>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

describe('AsyncExecutor', () => {
  it('runs sync and async functions (closures are fine: nothing crosses a thread)', async () => {
    await using ex = new AsyncExecutor({ maxWorkers: 2 });
    const captured = 40;
    expect(await ex.submit((x: number) => x + captured, 2).result()).toBe(42);
    expect(await ex.submit(async (x: number) => x * 2, 21).result()).toBe(42);
    const err = new Error('boom');
    expect(
      await ex
        .submit(async () => {
          throw err;
        })
        .exception(),
    ).toBe(err);
    expect(
      await ex
        .submit(() => {
          throw err;
        })
        .exception(),
    ).toBe(err);
  });

  it('never runs more than maxWorkers calls at once', async () => {
    await using ex = new AsyncExecutor(3);
    let now = 0;
    let peak = 0;
    const task = async () => {
      now += 1;
      peak = Math.max(peak, now);
      await new Promise((r) => setImmediate(r));
      now -= 1;
    };
    const fs = Array.from({ length: 20 }, () => ex.submit(task));
    await wait(fs);
    expect(peak).toBe(3);
  });

  it('a queued call can be cancelled; a running one cannot', async () => {
    await using ex = new AsyncExecutor(1);
    const gate = deferred();
    let secondRan = false;
    const first = ex.submit(() => gate.promise);
    const second = ex.submit(() => {
      secondRan = true;
    });
    await new Promise((r) => setImmediate(r));
    expect(first.running()).toBe(true);
    expect(first.cancel()).toBe(false);
    expect(second.cancel()).toBe(true);
    gate.resolve();
    await first.result();
    await expect(second.result()).rejects.toBeInstanceOf(CancelledError);
    const { done } = await wait([second], { timeout: 5 });
    expect(done.has(second)).toBe(true); // notified once the queue reached it
    expect(secondRan).toBe(false);
  });

  it('map keeps input order; timeout counts from the call', async () => {
    await using ex = new AsyncExecutor(4);
    const delays = [30, 10, 20, 0];
    const sleepThen = (ms: number) => new Promise<number>((r) => setTimeout(() => r(ms), ms));
    expect(await collect(ex.map(sleepThen, delays))).toEqual(delays);
    const late = deferred<number>();
    const slow = ex.map((x: number) => (x ? late.promise : 1), [0, 1], { timeout: 0.05 });
    await expect(collect(slow)).rejects.toBeInstanceOf(TimeoutError);
    late.resolve(2); // a running call cannot be cancelled; let it end before the scope does
  });

  it('submit after shutdown: RuntimeError; cancelFutures cancels the queued calls', async () => {
    const ex = new AsyncExecutor(1);
    const gate = deferred();
    const first = ex.submit(() => gate.promise);
    const queued = [ex.submit(() => 1), ex.submit(() => 2)];
    const closing = ex.shutdown({ cancelFutures: true });
    expect(() => ex.submit(() => 3)).toThrow(
      new RuntimeError('cannot schedule new futures after shutdown'),
    );
    gate.resolve();
    await closing;
    expect(first.done() && !first.cancelled()).toBe(true);
    expect(queued.every((f) => f.cancelled())).toBe(true);
  });

  it('validates maxWorkers and fn', () => {
    expect(() => new AsyncExecutor({ maxWorkers: 0 })).toThrow(
      new ValueError('max_workers must be greater than 0'),
    );
    expect(() => new AsyncExecutor().submit(42 as any)).toThrow(TypeError);
  });
});
