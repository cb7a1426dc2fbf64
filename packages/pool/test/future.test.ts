// Future: a port of CPython's Lib/test/test_concurrent_futures/test_future.py (state machine,
// callbacks, repr, result/exception with timeouts, InvalidStateError), plus threadkit's rules:
// waiting is asynchronous and a Future is not a thenable.

import {
  CancelledError,
  Future,
  InvalidStateError,
  RuntimeError,
  TimeoutError,
  ValueError,
} from '@threadkit/pool';
import { describe, expect, it } from 'vitest';
import { captureStderr, createFuture, isPending, stateFutures } from './helpers.js';

const ADDR = '0x[0-9a-f]+';

describe('done callbacks', () => {
  it('gets the result, the exception, or the cancellation', async () => {
    let result: unknown = null;
    const f1 = new Future<number>();
    f1.addDoneCallback((f) => {
      f.result().then((r) => {
        result = r;
      });
    });
    f1.setResult(5);
    await f1.result();
    expect(result).toBe(5);

    let exception: unknown = null;
    const f2 = new Future();
    f2.addDoneCallback((f) => f.exception().then((e) => (exception = e)));
    const err = new Error('test');
    f2.setException(err);
    await f2.exception();
    expect(exception).toBe(err);

    let wasCancelled: boolean | null = null;
    const f3 = new Future();
    f3.addDoneCallback((f) => {
      wasCancelled = f.cancelled();
    });
    expect(f3.cancel()).toBe(true);
    expect(wasCancelled).toBe(true);
  });

  it('runs at once (synchronously) when the future is already done', () => {
    const seen: string[] = [];
    const ok = createFuture('FINISHED', { result: 5 });
    ok.addDoneCallback((f) => seen.push(`ok ${f.done()}`));
    const failed = createFuture('FINISHED', { exception: new Error('test') });
    failed.addDoneCallback((f) => seen.push(`failed ${f.done()}`));
    const cancelled = new Future();
    expect(cancelled.cancel()).toBe(true);
    cancelled.addDoneCallback((f) => seen.push(`cancelled ${f.cancelled()}`));
    expect(seen).toEqual(['ok true', 'failed true', 'cancelled true']);
  });

  it('runs in registration order, synchronously within setResult', () => {
    const order: number[] = [];
    const f = new Future();
    for (let i = 0; i < 5; i++) f.addDoneCallback(() => order.push(i));
    expect(order).toEqual([]);
    f.setResult(null);
    expect(order).toEqual([0, 1, 2, 3, 4]);
  });

  it('reports a raising callback on stderr and still runs the later ones', async () => {
    let raisingWasCalled = false;
    let fnWasCalled = false;
    const f = new Future<number>();
    f.addDoneCallback(() => {
      raisingWasCalled = true;
      throw new Error('doh!');
    });
    f.addDoneCallback(() => {
      fnWasCalled = true;
    });
    const stderr = await captureStderr(() => f.setResult(5));
    expect(raisingWasCalled).toBe(true);
    expect(fnWasCalled).toBe(true);
    expect(stderr).toContain('Error: doh!');
    expect(stderr).toMatch(
      new RegExp(
        `exception calling callback for <Future at ${ADDR} state=finished returned number>`,
      ),
    );
  });

  it('reports a raising callback added to a finished future', async () => {
    const f = createFuture('FINISHED', { result: 5 });
    const stderr = await captureStderr(() =>
      f.addDoneCallback(() => {
        throw new Error('doh!');
      }),
    );
    expect(stderr).toContain('exception calling callback for');
    expect(stderr).toContain('doh!');
  });

  it('reports a callback whose promise rejects', async () => {
    const f = new Future();
    const stderr = await captureStderr(async () => {
      f.addDoneCallback(async () => {
        throw new Error('async doh!');
      });
      f.setResult(1);
      await new Promise((r) => setImmediate(r));
    });
    expect(stderr).toContain('exception calling callback for');
    expect(stderr).toContain('async doh!');
  });

  it('rejects a callback that is not a function', () => {
    expect(() => new Future().addDoneCallback(42 as any)).toThrow(TypeError);
  });
});

describe('repr', () => {
  it("follows CPython's format", () => {
    const fs = stateFutures();
    expect(String(fs.PENDING_FUTURE)).toMatch(new RegExp(`^<Future at ${ADDR} state=pending>$`));
    expect(String(fs.RUNNING_FUTURE)).toMatch(new RegExp(`^<Future at ${ADDR} state=running>$`));
    expect(String(fs.CANCELLED_FUTURE)).toMatch(
      new RegExp(`^<Future at ${ADDR} state=cancelled>$`),
    );
    expect(String(fs.CANCELLED_AND_NOTIFIED_FUTURE)).toMatch(
      new RegExp(`^<Future at ${ADDR} state=cancelled>$`),
    );
    expect(String(createFuture('FINISHED', { exception: new TypeError('x') }))).toMatch(
      new RegExp(`^<Future at ${ADDR} state=finished raised TypeError>$`),
    );
    expect(String(fs.SUCCESSFUL_FUTURE)).toMatch(
      new RegExp(`^<Future at ${ADDR} state=finished returned number>$`),
    );
    expect(String(createFuture('FINISHED', { result: [1] }))).toMatch(/returned Array>$/);
    expect(String(createFuture('FINISHED', { result: null }))).toMatch(/returned null>$/);
    expect(String(createFuture('FINISHED', { exception: new ValueError('v') }))).toMatch(
      /raised ValueError>$/,
    );
  });

  it('gives distinct addresses to distinct futures', () => {
    expect(String(new Future())).not.toBe(String(new Future()));
  });
});

describe('state machine', () => {
  it('cancel(): pending → true, running/finished → false, cancelled stays cancelled', () => {
    const f1 = createFuture('PENDING');
    const f2 = createFuture('RUNNING');
    const f3 = createFuture('CANCELLED');
    const f4 = createFuture('CANCELLED_AND_NOTIFIED');
    const f5 = createFuture('FINISHED', { exception: new Error('OSError') });
    const f6 = createFuture('FINISHED', { result: 5 });
    expect(f1.cancel()).toBe(true);
    expect(String(f1)).toMatch(/state=cancelled/);
    expect(f2.cancel()).toBe(false);
    expect(f2.running()).toBe(true);
    expect(f3.cancel()).toBe(true);
    expect(f4.cancel()).toBe(true);
    expect(f5.cancel()).toBe(false);
    expect(f6.cancel()).toBe(false);
    expect(f6.done()).toBe(true);
  });

  it('cancelled(), done() and running() in every state', () => {
    const fs = stateFutures();
    const table: Array<[Future<any>, boolean, boolean, boolean]> = [
      // future, cancelled, done, running
      [fs.PENDING_FUTURE, false, false, false],
      [fs.RUNNING_FUTURE, false, false, true],
      [fs.CANCELLED_FUTURE, true, true, false],
      [fs.CANCELLED_AND_NOTIFIED_FUTURE, true, true, false],
      [fs.EXCEPTION_FUTURE, false, true, false],
      [fs.SUCCESSFUL_FUTURE, false, true, false],
    ];
    for (const [f, cancelled, done, running] of table) {
      expect([f.cancelled(), f.done(), f.running()]).toEqual([cancelled, done, running]);
    }
  });

  it('setRunningOrNotifyCancel: pending → running (true); cancelled → notified (false); else RuntimeError', () => {
    const f = new Future();
    expect(f.setRunningOrNotifyCancel()).toBe(true);
    expect(f.running()).toBe(true);
    expect(() => f.setRunningOrNotifyCancel()).toThrow(
      new RuntimeError('Future in unexpected state'),
    );
    const c = new Future();
    c.cancel();
    expect(c.setRunningOrNotifyCancel()).toBe(false);
    expect(() => c.setRunningOrNotifyCancel()).toThrow(RuntimeError);
    expect(() => createFuture('FINISHED', { result: 1 }).setRunningOrNotifyCancel()).toThrow(
      'Future in unexpected state',
    );
  });

  it('setResult/setException on a done future: InvalidStateError "<STATE>: <repr>"', async () => {
    const f = createFuture('PENDING');
    f.setResult(1);
    expect(() => f.setResult(2)).toThrow(InvalidStateError);
    expect(() => f.setResult(2)).toThrow(
      new RegExp(`^FINISHED: <Future at ${ADDR} state=finished returned number>$`),
    );
    expect(f.done()).toBe(true);
    expect(await f.result()).toBe(1);

    const g = createFuture('PENDING');
    const e = new ValueError();
    g.setException(e);
    expect(() => g.setException(new Error())).toThrow(
      new RegExp(`^FINISHED: <Future at ${ADDR} state=finished raised ValueError>$`),
    );
    expect(await g.exception()).toBe(e);

    for (const state of ['CANCELLED', 'CANCELLED_AND_NOTIFIED'] as const) {
      const c = createFuture(state);
      expect(() => c.setResult(1)).toThrow(
        new RegExp(`^${state}: <Future at ${ADDR} state=cancelled>$`),
      );
      expect(() => c.setException(new Error())).toThrow(InvalidStateError);
    }
  });
});

describe('result() and exception()', () => {
  it('with timeout 0 (a poll) in every state', async () => {
    const fs = stateFutures();
    await expect(fs.PENDING_FUTURE.result(0)).rejects.toBeInstanceOf(TimeoutError);
    await expect(fs.RUNNING_FUTURE.result(0)).rejects.toBeInstanceOf(TimeoutError);
    await expect(fs.CANCELLED_FUTURE.result(0)).rejects.toBeInstanceOf(CancelledError);
    await expect(fs.CANCELLED_AND_NOTIFIED_FUTURE.result(0)).rejects.toBeInstanceOf(CancelledError);
    await expect(fs.EXCEPTION_FUTURE.result(0)).rejects.toThrow('OSError');
    expect(await fs.SUCCESSFUL_FUTURE.result(0)).toBe(42);

    await expect(fs.PENDING_FUTURE.exception(0)).rejects.toBeInstanceOf(TimeoutError);
    await expect(fs.RUNNING_FUTURE.exception(0)).rejects.toBeInstanceOf(TimeoutError);
    await expect(fs.CANCELLED_FUTURE.exception(0)).rejects.toBeInstanceOf(CancelledError);
    await expect(fs.CANCELLED_AND_NOTIFIED_FUTURE.exception(0)).rejects.toBeInstanceOf(
      CancelledError,
    );
    expect(await fs.EXCEPTION_FUTURE.exception(0)).toBeInstanceOf(Error);
    expect(await fs.SUCCESSFUL_FUTURE.exception(0)).toBe(null);
  });

  it('a negative timeout polls too', async () => {
    await expect(new Future().result(-1)).rejects.toBeInstanceOf(TimeoutError);
    await expect(new Future().exception(-5)).rejects.toBeInstanceOf(TimeoutError);
  });

  it('waits for a result set later', async () => {
    const f = createFuture('PENDING');
    const p = f.result(30);
    expect(await isPending(p)).toBe(true);
    setImmediate(() => f.setResult(42));
    expect(await p).toBe(42);
  });

  it('waits for a cancellation: CancelledError', async () => {
    const f = createFuture('PENDING');
    const p = f.result(30);
    expect(await isPending(p)).toBe(true);
    setImmediate(() => f.cancel());
    await expect(p).rejects.toBeInstanceOf(CancelledError);
  });

  it('waits for an exception', async () => {
    const f = createFuture('PENDING');
    const p = f.exception(30);
    const err = new Error('OSError');
    setImmediate(() => f.setException(err));
    expect(await p).toBe(err);
  });

  it('times out with TimeoutError after roughly the timeout', async () => {
    const f = new Future();
    const t0 = performance.now();
    await expect(f.result(0.1)).rejects.toBeInstanceOf(TimeoutError);
    const elapsed = (performance.now() - t0) / 1000;
    expect(elapsed).toBeGreaterThanOrEqual(0.06);
    expect(elapsed).toBeLessThan(10);
    // the future is untouched by the timeout
    expect(f.done()).toBe(false);
  });

  it('raises a falsy exception too', async () => {
    const f = new Future();
    f.setException(0);
    await expect(f.result()).rejects.toBe(0);
    expect(await f.exception()).toBe(0);
    expect(String(f)).toMatch(/raised number>$/);
  });

  it('rejects a timeout that is not a number', async () => {
    await expect(new Future().result('1' as any)).rejects.toBeInstanceOf(TypeError);
  });
});

describe('not a thenable', () => {
  it('has no then(), so `await future` gives the Future itself', async () => {
    const f = createFuture('FINISHED', { result: 1 });
    expect('then' in f).toBe(false);
    expect(await (f as unknown as Promise<unknown>)).toBe(f);
  });
});
