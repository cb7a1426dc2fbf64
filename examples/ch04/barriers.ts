/**
 * Original: Chapter 04/barriers.py
 * Shows: Barrier(4): four threads wait for each other; the barrier lifts when the 4th arrives.
 *
 * A Thread subclass holding the barrier, as in the book; the Barrier arrives in the worker as
 * the same barrier (shared memory). The port also prints the arrival index that wait()
 * returns (0 … 3, each once per cycle), and can run the barrier for several cycles.
 * Options: --iterations <n> makes the four threads meet n times (default 1, as the book).
 */
import { isMainThread } from 'node:worker_threads';
import { Barrier, currentThread, print, Thread } from '@threadkit/core';
import { nap, options, randint } from '../lib/cli.js';

const cycles = options.iterations ?? 1;

export class MyThread extends Thread {
  static module = import.meta.url;
  barrier: Barrier;

  constructor(barrier: Barrier) {
    super();
    this.barrier = barrier;
  }

  override run(): void {
    for (let cycle = 1; cycle <= cycles; cycle++) {
      const tag = cycles > 1 ? ` (cycle ${cycle})` : '';
      print(`Thread ${currentThread()} working on something${tag}`);
      nap(randint(1, 10));
      print(
        `Thread ${currentThread()} is joining ${this.barrier.nWaiting} waiting on Barrier${tag}`,
      );
      const index = this.barrier.wait();
      print(`Barrier has been lifted, continuing with work (arrival index ${index})${tag}`);
    }
  }
}

if (isMainThread) {
  const barrier = new Barrier(4);
  const threads: MyThread[] = [];
  for (let i = 0; i < 4; i++) {
    const thread = new MyThread(barrier);
    thread.start();
    threads.push(thread);
  }
  for (const t of threads) t.join();
}
