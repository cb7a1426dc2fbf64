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
 * Options: --iterations <n> steps per worker (default 20).
 */
import { isMainThread } from 'node:worker_threads';
import { print, Thread, threadable, Value } from '@threadkit/core';
import { elapsed, nap, options, randint } from '../lib/cli.js';

const steps = options.iterations ?? 20;

export const workerA = threadable(import.meta.url, function workerA(counter: Value): void {
  for (let step = 0; step < steps && counter.value < 1000; step++) {
    counter.value += 1;
    print(`Worker A is incrementing counter to ${counter.value}`);
    nap(randint(0, 1));
  }
});

export const workerB = threadable(import.meta.url, function workerB(counter: Value): void {
  for (let step = 0; step < steps && counter.value > -1000; step++) {
    counter.value -= 1;
    print(`Worker B is decrementing counter to ${counter.value}`);
    nap(randint(0, 1));
  }
});

function main(): void {
  const counter = Value('i', 1);
  const t0 = performance.now();
  const thread1 = new Thread({ target: workerA, args: [counter] });
  const thread2 = new Thread({ target: workerB, args: [counter] });

  thread1.start();
  thread2.start();

  thread1.join();
  thread2.join();

  print(`Execution Time ${elapsed(t0)}`);
  print(
    `Final counter: ${counter.value} (1 + ${steps} increments - ${steps} decrements = 1 if no update was lost)`,
  );
}

if (isMainThread) main();
