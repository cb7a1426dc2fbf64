/**
 * Original: Chapter 04/lockExample.py
 * Shows: a Lock held over a whole loop: one worker counts to 1000, then the other to -1000.
 *
 * Whichever worker takes the lock first runs its whole loop before the other may start. The
 * counter is a shared Value (threads share no JavaScript variables); the Lock is passed to
 * both threads and is the same lock in each.
 */
import { isMainThread } from 'node:worker_threads';
import { Lock, print, Thread, threadable, Value } from '@threadkit/core';
import { elapsed } from '../lib/cli.js';

export const workerA = threadable(
  import.meta.url,
  function workerA(counter: Value, lock: Lock): void {
    lock.acquire();
    try {
      while (counter.value < 1000) {
        counter.value += 1;
        print(`Worker A is incrementing counter to ${counter.value}`);
      }
    } finally {
      lock.release();
    }
  },
);

export const workerB = threadable(
  import.meta.url,
  function workerB(counter: Value, lock: Lock): void {
    lock.acquire();
    try {
      while (counter.value > -1000) {
        counter.value -= 1;
        print(`Worker B is decrementing counter to ${counter.value}`);
      }
    } finally {
      lock.release();
    }
  },
);

function main(): void {
  const counter = Value('i', 1, { lock: false });
  const lock = new Lock();
  const t0 = performance.now();
  const thread1 = new Thread({ target: workerA, args: [counter, lock] });
  const thread2 = new Thread({ target: workerB, args: [counter, lock] });

  thread1.start();
  thread2.start();

  thread1.join();
  thread2.join();

  print(`Execution Time ${elapsed(t0)}`);
}

if (isMainThread) main();
