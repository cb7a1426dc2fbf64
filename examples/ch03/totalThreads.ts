/**
 * Original: Chapter 03/totalThreads.py
 * Shows: activeCount(): how many of a random 2–50 threads are still alive after 4 s.
 *
 * Each thread sleeps a random 1–5 s; the count includes the main thread.
 *
 * The target is an inline function (self-contained: everything it needs comes in through its
 * arguments and `await import()`), the other form of thread target; it spares fifty workers
 * from loading this TypeScript module. Options: --threads <n> starts n threads.
 */
import { activeCount, print, Thread } from '@threadkit/core';
import { nap, options, randint, scaled } from '../lib/cli.js';

const count = options.threads ?? randint(2, 50);
print(`Starting ${count} threads`);
for (let i = 0; i < count; i++) {
  const thread = new Thread({
    target: async (i: number, seconds: number) => {
      const { print, sleep } = await import('@threadkit/core');
      print(`Thread ${i}: started`);
      sleep(seconds);
      print(`Thread ${i}: finished`);
    },
    args: [i, scaled(randint(1, 5))],
  });
  thread.start();
}
nap(4);
print(`Total Number of Active Threads: ${activeCount()}`);
