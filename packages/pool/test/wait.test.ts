// wait() and asCompleted(): ports of CPython's test_wait.py and test_as_completed.py, run
// against a ThreadPoolExecutor and a ProcessPoolExecutor, plus the argument rules.

import {
  ALL_COMPLETED,
  asCompleted,
  FIRST_COMPLETED,
  FIRST_EXCEPTION,
  Future,
  ProcessPoolExecutor,
  ThreadPoolExecutor,
  TimeoutError,
  ValueError,
  wait,
} from '@threadkit/pool';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mul, waitForFile, waitThenRaise } from './fixtures/tasks.js';
import { collect, createFuture, fileGate, stateFutures } from './helpers.js';

const divZero = (a: number, b: number) => {
  if (b === 0) throw new RangeError('integer division or modulo by zero');
  return [Math.floor(a / b), a % b];
};

for (const kind of ['thread', 'process'] as const) {
  describe(`with a ${kind} pool`, () => {
    let executor: ThreadPoolExecutor | ProcessPoolExecutor;
    beforeAll(() => {
      executor = kind === 'thread' ? new ThreadPoolExecutor(5) : new ProcessPoolExecutor(3);
    });
    afterAll(async () => {
      await executor.shutdown({ wait: true });
    });

    describe('wait (test_wait.py)', () => {
      it('collapses duplicates (issue 20369)', async () => {
        const future = executor.submit(mul, 1, 2);
        const { done, notDone } = await wait([future, future], { returnWhen: ALL_COMPLETED });
        expect(done).toEqual(new Set([future]));
        expect(notDone).toEqual(new Set());
      });

      it('FIRST_COMPLETED', async () => {
        const { CANCELLED_FUTURE } = stateFutures();
        const gate = fileGate();
        const future1 = executor.submit(mul, 21, 2);
        const future2 = executor.submit(waitForFile, gate.path);
        try {
          const { done, notDone } = await wait([CANCELLED_FUTURE, future1, future2], {
            returnWhen: FIRST_COMPLETED,
          });
          expect(done).toEqual(new Set([future1]));
          expect(notDone).toEqual(new Set([CANCELLED_FUTURE, future2]));
        } finally {
          gate.set();
        }
        expect(await future2.result()).toBe(true);
      });

      it('FIRST_COMPLETED with some already completed', async () => {
        const { CANCELLED_AND_NOTIFIED_FUTURE, SUCCESSFUL_FUTURE } = stateFutures();
        const gate = fileGate();
        const future1 = executor.submit(waitForFile, gate.path);
        try {
          const { done, notDone } = await wait(
            [CANCELLED_AND_NOTIFIED_FUTURE, SUCCESSFUL_FUTURE, future1],
            {
              returnWhen: FIRST_COMPLETED,
            },
          );
          expect(done).toEqual(new Set([CANCELLED_AND_NOTIFIED_FUTURE, SUCCESSFUL_FUTURE]));
          expect(notDone).toEqual(new Set([future1]));
        } finally {
          gate.set();
        }
        await future1.result();
      });

      it('FIRST_EXCEPTION', async () => {
        const gate1 = fileGate();
        const gate2 = fileGate();
        try {
          const future1 = executor.submit(mul, 2, 21);
          const future2 = executor.submit(waitThenRaise, gate1.path);
          const future3 = executor.submit(waitForFile, gate2.path);
          // future1 completes before future2 raises
          void future1.result().then(() => gate1.set());
          const { done, notDone } = await wait([future1, future2, future3], {
            returnWhen: FIRST_EXCEPTION,
          });
          expect(done).toEqual(new Set([future1, future2]));
          expect(notDone).toEqual(new Set([future3]));
          gate2.set();
          await future3.result();
        } finally {
          gate1.set();
          gate2.set();
        }
      });

      it('FIRST_EXCEPTION with some already complete', async () => {
        const { SUCCESSFUL_FUTURE, CANCELLED_FUTURE, CANCELLED_AND_NOTIFIED_FUTURE } =
          stateFutures();
        const gate = fileGate();
        const future1 = executor.submit(divZero, 21, 0);
        const future2 = executor.submit(waitForFile, gate.path);
        try {
          const { done, notDone } = await wait(
            [SUCCESSFUL_FUTURE, CANCELLED_FUTURE, CANCELLED_AND_NOTIFIED_FUTURE, future1, future2],
            { returnWhen: FIRST_EXCEPTION },
          );
          expect(done).toEqual(
            new Set([SUCCESSFUL_FUTURE, CANCELLED_AND_NOTIFIED_FUTURE, future1]),
          );
          expect(notDone).toEqual(new Set([CANCELLED_FUTURE, future2]));
        } finally {
          gate.set();
        }
        await future2.result();
      });

      it('FIRST_EXCEPTION with one already failed', async () => {
        const { EXCEPTION_FUTURE } = stateFutures();
        const gate = fileGate();
        const future1 = executor.submit(waitForFile, gate.path);
        try {
          const { done, notDone } = await wait([EXCEPTION_FUTURE, future1], {
            returnWhen: FIRST_EXCEPTION,
          });
          expect(done).toEqual(new Set([EXCEPTION_FUTURE]));
          expect(notDone).toEqual(new Set([future1]));
        } finally {
          gate.set();
        }
        await future1.result();
      });

      it('ALL_COMPLETED', async () => {
        const { SUCCESSFUL_FUTURE, CANCELLED_AND_NOTIFIED_FUTURE, EXCEPTION_FUTURE } =
          stateFutures();
        const future1 = executor.submit(divZero, 2, 0);
        const future2 = executor.submit(mul, 2, 21);
        const all = [
          SUCCESSFUL_FUTURE,
          CANCELLED_AND_NOTIFIED_FUTURE,
          EXCEPTION_FUTURE,
          future1,
          future2,
        ];
        const { done, notDone } = await wait(all, { returnWhen: ALL_COMPLETED });
        expect(done).toEqual(new Set(all));
        expect(notDone).toEqual(new Set());
      });

      it('timeout', async () => {
        const { CANCELLED_AND_NOTIFIED_FUTURE, EXCEPTION_FUTURE, SUCCESSFUL_FUTURE } =
          stateFutures();
        const gate = fileGate();
        const future = executor.submit(waitForFile, gate.path);
        try {
          const { done, notDone } = await wait(
            [CANCELLED_AND_NOTIFIED_FUTURE, EXCEPTION_FUTURE, SUCCESSFUL_FUTURE, future],
            { timeout: 0.05, returnWhen: ALL_COMPLETED },
          );
          expect(done).toEqual(
            new Set([CANCELLED_AND_NOTIFIED_FUTURE, EXCEPTION_FUTURE, SUCCESSFUL_FUTURE]),
          );
          expect(notDone).toEqual(new Set([future]));
        } finally {
          gate.set();
        }
        await future.result();
      });
    });

    describe('asCompleted (test_as_completed.py)', () => {
      it('yields every future once, without timeout', async () => {
        const { CANCELLED_AND_NOTIFIED_FUTURE, EXCEPTION_FUTURE, SUCCESSFUL_FUTURE } =
          stateFutures();
        const future1 = executor.submit(mul, 2, 21);
        const future2 = executor.submit(mul, 7, 6);
        const all = [
          CANCELLED_AND_NOTIFIED_FUTURE,
          EXCEPTION_FUTURE,
          SUCCESSFUL_FUTURE,
          future1,
          future2,
        ];
        expect(new Set(await collect(asCompleted(all)))).toEqual(new Set(all));
      });

      for (const timeout of [0, 0.1]) {
        it(`times out before the last future (timeout ${timeout})`, async () => {
          const { CANCELLED_AND_NOTIFIED_FUTURE, EXCEPTION_FUTURE, SUCCESSFUL_FUTURE } =
            stateFutures();
          const already = new Set([
            CANCELLED_AND_NOTIFIED_FUTURE,
            EXCEPTION_FUTURE,
            SUCCESSFUL_FUTURE,
          ]);
          const gate = fileGate();
          const future = executor.submit(waitForFile, gate.path);
          const completed = new Set<Future<any>>();
          try {
            await expect(async () => {
              for await (const f of asCompleted([...already, future], timeout)) completed.add(f);
            }).rejects.toThrow(new TimeoutError('1 (of 4) futures unfinished'));
          } finally {
            gate.set();
          }
          expect(completed).toEqual(already);
          await future.result();
        });
      }

      it('collapses duplicates, from any iterable (issues 20367, 31641)', async () => {
        const future1 = executor.submit(mul, 1, 1);
        function* thrice() {
          yield future1;
          yield future1;
          yield future1;
        }
        expect(await collect(asCompleted(thrice()))).toEqual([future1]);
      });
    });
  });
}

describe('wait and asCompleted without executors', () => {
  it('the TimeoutError message counts unfinished futures (test_correct_timeout_exception_msg)', async () => {
    const { CANCELLED_AND_NOTIFIED_FUTURE, PENDING_FUTURE, RUNNING_FUTURE, SUCCESSFUL_FUTURE } =
      stateFutures();
    await expect(
      collect(
        asCompleted(
          [CANCELLED_AND_NOTIFIED_FUTURE, PENDING_FUTURE, RUNNING_FUTURE, SUCCESSFUL_FUTURE],
          0,
        ),
      ),
    ).rejects.toThrow(new TimeoutError('2 (of 4) futures unfinished'));
  });

  it('yields in completion order after the done ones', async () => {
    const fs = [new Future(), new Future(), new Future()];
    const done = createFuture('FINISHED', { result: 0 });
    const seen: Future<any>[] = [];
    const consumer = (async () => {
      for await (const f of asCompleted([...fs, done])) seen.push(f);
    })();
    await new Promise((r) => setImmediate(r));
    fs[2].setResult(2);
    fs[0].setResult(0);
    await new Promise((r) => setImmediate(r));
    fs[1].setException(new Error('x'));
    await consumer;
    expect(seen).toEqual([done, fs[2], fs[0], fs[1]]);
  });

  it('a cancelled future counts only once notified', async () => {
    const f = new Future();
    f.cancel();
    const { done, notDone } = await wait([f], { timeout: 0 });
    expect(done.size).toBe(0);
    expect(notDone).toEqual(new Set([f]));
    const waiting = wait([f]);
    f.setRunningOrNotifyCancel();
    expect((await waiting).done).toEqual(new Set([f]));
  });

  it('invalid returnWhen: ValueError, only when it has to wait', async () => {
    const pending = new Future();
    await expect(wait([pending], { returnWhen: 'BOGUS' as any })).rejects.toThrow(
      new ValueError("Invalid return condition: 'BOGUS'"),
    );
    const finished = createFuture('FINISHED', { result: 1 });
    expect((await wait([finished], { returnWhen: 'BOGUS' as any })).done).toEqual(
      new Set([finished]),
    );
  });

  it('accepts the positional form wait(fs, timeout, returnWhen)', async () => {
    const a = new Future();
    const b = createFuture('FINISHED', { result: 1 });
    const { done, notDone } = await wait([a, b], 5, FIRST_COMPLETED);
    expect(done).toEqual(new Set([b]));
    expect(notDone).toEqual(new Set([a]));
  });

  it('returns at once when the condition already holds', async () => {
    const { EXCEPTION_FUTURE, PENDING_FUTURE, SUCCESSFUL_FUTURE } = stateFutures();
    expect(
      (await wait([EXCEPTION_FUTURE, PENDING_FUTURE], { returnWhen: FIRST_EXCEPTION })).done,
    ).toEqual(new Set([EXCEPTION_FUTURE]));
    expect(
      (await wait([SUCCESSFUL_FUTURE, PENDING_FUTURE], { returnWhen: FIRST_COMPLETED })).done,
    ).toEqual(new Set([SUCCESSFUL_FUTURE]));
  });

  it('FIRST_EXCEPTION without any exception waits for all', async () => {
    const a = new Future();
    const b = new Future();
    const p = wait([a, b], { returnWhen: FIRST_EXCEPTION });
    a.setResult(1);
    await new Promise((r) => setImmediate(r));
    b.setResult(2);
    expect((await p).done).toEqual(new Set([a, b]));
  });

  it('leaving asCompleted early unregisters it', async () => {
    const a = createFuture('FINISHED', { result: 1 });
    const b = new Future();
    for await (const f of asCompleted([a, b])) {
      expect(f).toBe(a);
      break;
    }
    b.setResult(2); // nothing is listening any more; must not throw
    expect(await b.result()).toBe(2);
  });

  it('rejects a non-iterable', async () => {
    await expect(wait(42 as any)).rejects.toBeInstanceOf(TypeError);
    await expect(collect(asCompleted(null as any))).rejects.toBeInstanceOf(TypeError);
  });

  it('pending calls race: 100 futures released at once (issue 14406)', async () => {
    const ex = new ThreadPoolExecutor(5);
    const gate = fileGate();
    const fs = new Set(Array.from({ length: 100 }, () => ex.submit(waitForFile, gate.path)));
    gate.set();
    const { notDone } = await wait(fs, { returnWhen: ALL_COMPLETED });
    expect(notDone.size).toBe(0);
    await ex.shutdown();
  });
});
