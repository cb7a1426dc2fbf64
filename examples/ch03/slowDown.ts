/**
 * Original: Chapter 03/slowDown.py
 * Shows: CPU-bound work on ten threads: slowed by CPython's GIL, sped up on Node (no GIL).
 *
 * In CPython the GIL lets one thread run at a time, so ten threads are no faster than one; in
 * Node each thread is a worker with its own JavaScript engine, so they run in parallel on every
 * core: here threads DO speed CPU-bound work up.
 *
 * The port runs the same work twice: first on ten threads, as the book does, then on the main
 * thread alone, and prints both times. The book's numbers (1,000 per thread, below 10^8) take
 * V8 a few milliseconds, less than starting the workers, so the port factorises larger
 * numbers (below 10^11). The threaded time includes starting ten workers.
 * Options: --iterations <n> numbers per thread (default 1,000; 100 with --fast).
 */
import { availableParallelism } from 'node:os';
import { isMainThread } from 'node:worker_threads';
import { print, Thread, threadable } from '@threadkit/core';
import { elapsed, options, randint, secs } from '../lib/cli.js';
import { calculatePrimeFactors, reprNumbers } from '../lib/primes.js';

const perThread = options.iterations ?? (options.fast ? 100 : 1000);

export const executeProc = threadable(import.meta.url, function executeProc(): void {
  for (let i = 0; i < perThread; i++) {
    const rand = randint(20_000, 100_000_000_000);
    print(reprNumbers(calculatePrimeFactors(rand)));
  }
});

function main(): void {
  print('Starting number crunching');
  const t0 = performance.now();
  const threads: Thread[] = [];
  for (let i = 0; i < 10; i++) {
    const thread = new Thread({ target: executeProc });
    threads.push(thread);
    thread.start();
  }
  for (const thread of threads) thread.join();
  const threaded = elapsed(t0);
  print(`Execution Time: ${threaded}`);

  print('Now the same work on the main thread alone');
  const t1 = performance.now();
  for (let i = 0; i < 10; i++) executeProc();
  const sequential = elapsed(t1);
  print(`Execution Time: ${sequential}`);

  print(
    `10 threads: ${secs(threaded)}; one thread: ${secs(sequential)}; ` +
      `speed-up x${(sequential / threaded).toFixed(2)} on ${availableParallelism()} CPUs.`,
  );
  print(
    'Node differs from CPython here: no GIL, threads run JavaScript in parallel, so CPU-bound ' +
      'work speeds up with the number of cores (CPython would show no speed-up).',
  );
}

if (isMainThread) main();
