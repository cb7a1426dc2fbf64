/**
 * Original: Chapter 02/taskSheduler.py
 * Shows: two threads change a shared counter with no lock: the scheduler interleaves them.
 *
 * Worker A counts up, worker B counts down, each sleeping a random 0 or 1 s between steps.
 * The book's loop runs until the counter reaches 1,000 or -1,000, which can take very long;
 * the port stops each worker after a number of steps. The counter is a shared Value (the
 * book's global variable: threads in Node share no JavaScript variables). Node runs the two
 * threads truly in parallel (no GIL), and `counter.value += 1` is a read then a write, so an
 * update can be lost; the last lines say whether any was.
 * Options: --iterations <n> steps per worker (default 20); --seconds <s> time limit.
 */
import { isMainThread } from 'node:worker_threads';
import { print, Thread, threadable, Value } from '@threadkit/core';
import { elapsed, nap, options, randint } from '../lib/cli.js';

const steps = options.iterations ?? 20;
const seconds = options.seconds ?? Number.POSITIVE_INFINITY;

export const workerA = threadable(
  import.meta.url,
  function workerA(counter: Value, made: Value): void {
    const deadline = Date.now() + seconds * 1000;
    let step = 0;
    for (; step < steps && counter.value < 1000 && Date.now() < deadline; step++) {
      counter.value += 1;
      print(`Worker A is incrementing counter to ${counter.value}`);
      nap(randint(0, 1));
    }
    made.value = step;
  },
);

export const workerB = threadable(
  import.meta.url,
  function workerB(counter: Value, made: Value): void {
    const deadline = Date.now() + seconds * 1000;
    let step = 0;
    for (; step < steps && counter.value > -1000 && Date.now() < deadline; step++) {
      counter.value -= 1;
      print(`Worker B is decrementing counter to ${counter.value}`);
      nap(randint(0, 1));
    }
    made.value = step;
  },
);

function main(): void {
  const counter = Value('i', 1);
  const ups = Value('i', 0);
  const downs = Value('i', 0);
  const t0 = performance.now();
  const thread1 = new Thread({ target: workerA, args: [counter, ups] });
  const thread2 = new Thread({ target: workerB, args: [counter, downs] });

  thread1.start();
  thread2.start();

  thread1.join();
  thread2.join();

  print(`Execution Time ${elapsed(t0)}`);
  const expected = 1 + ups.value - downs.value;
  const verdict = counter.value === expected ? 'no update was lost' : 'an update was lost!';
  print(
    `Final counter: ${counter.value}; 1 + ${ups.value} increments - ${downs.value} decrements = ${expected}: ${verdict}`,
  );
}

if (isMainThread) main();
