// The port of Chapter 06/unittest.py as a real test file of the project's runner (vitest):
// setUp/tearDown are beforeEach/afterEach, each `test_…` method an `it`. The book's two tests,
// plus the chapter's subject: a test of threaded code (simpleFunction applied by four real
// threads to a shared counter under a Lock; the count must be exact). ch06/unittest.ts runs
// this file and shows its output.
import { Lock, Thread, Value } from '@threadkit/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

/** The function under test. Python's ints are unbounded; in JavaScript that is a bigint. */
function simpleFunction(x: number): number;
function simpleFunction(x: bigint): bigint;
function simpleFunction(x: number | bigint): number | bigint {
  return typeof x === 'bigint' ? x + 1n : x + 1;
}

describe('SimpleFunctionTest', () => {
  beforeEach(() => {
    console.log('This is run before all of our tests have a chance to execute');
  });

  afterEach(() => {
    console.log('This is executed after all of our tests have completed');
  });

  it('test_simple_function', () => {
    console.log('Testing that our function works with positive tests');
    expect(simpleFunction(2)).toBe(3);
    expect(simpleFunction(234135145145432143214321432n)).toBe(234135145145432143214321433n);
    expect(simpleFunction(0)).toBe(1);
  });

  it('test_negative_simple_function', () => {
    expect(simpleFunction(2)).not.toBe(4);
  });

  it('test_threaded_simple_function: 4 threads x 2000 increments under a Lock, none lost', () => {
    const counter = new Value('i', 0);
    const lock = new Lock();
    const threads = Array.from(
      { length: 4 },
      () =>
        new Thread({
          // inline target: self-contained; simpleFunction's body is repeated for that reason
          target: (counter: Value, lock: Lock, n: number) => {
            for (let i = 0; i < n; i++) {
              lock.acquire();
              try {
                counter.value = counter.value + 1;
              } finally {
                lock.release();
              }
            }
          },
          args: [counter, lock, 2000],
        }),
    );
    for (const t of threads) t.start();
    for (const t of threads) t.join();
    expect(counter.value).toBe(8000);
    expect(simpleFunction(counter.value)).toBe(8001);
  });
});
