/**
 * Original: Chapter 07/poolImprovement.py
 * Shows: isPrime over 15 large numbers on a process pool, a thread pool and one thread, timed.
 *
 * In CPython only the ProcessPoolExecutor speeds this up: the GIL keeps the thread pool no
 * faster than one thread. On Node the thread pool speeds CPU-bound work up too (each worker
 * has its own engine, no GIL), and the script prints both speed-ups to show it. V8 checks the
 * book's 15 numbers in about 0.2 s, less than starting the workers, so the port checks the
 * list --iterations times (default 4; once with --fast) and warms each pool up (one call per
 * worker) before it starts the clock. The verdicts are the book's: all prime but the last.
 */
import { availableParallelism } from 'node:os';
import { print, threadable } from '@threadkit/core';
import { type Executor, ProcessPoolExecutor, ThreadPoolExecutor } from '@threadkit/pool';
import { elapsed, isMain, options } from '../lib/cli.js';
import { isPrimeBook, PRIMES, pyBool } from '../lib/primes.js';

const rounds = options.iterations ?? (options.fast ? 1 : 4);

export const isPrime = threadable(import.meta.url, function isPrime(n: number): boolean {
  return isPrimeBook(n);
});

/** The inputs: the book's list, `rounds` times; the verdicts are printed for the first round. */
const inputs = Array.from({ length: rounds }, () => PRIMES).flat();

async function timePool(executor: Executor): Promise<number> {
  // start every worker first (a worker boots an engine and loads this module through tsx)
  await Promise.all(Array.from({ length: 4 }, () => executor.submit(isPrime, 3).result()));
  const t0 = performance.now();
  let i = 0;
  for await (const prime of executor.map(isPrime, inputs)) {
    if (i < PRIMES.length) print(`${inputs[i]} is prime: ${pyBool(prime)}`);
    i++;
  }
  return elapsed(t0);
}

async function main(): Promise<void> {
  print(`Checking ${PRIMES.length} numbers x ${rounds} rounds; verdicts of the first round:`);
  let processTime: number;
  {
    await using executor = new ProcessPoolExecutor({ maxWorkers: 4 });
    processTime = await timePool(executor);
  }
  print(`${processTime} Seconds Needed for ProcessPoolExecutor`);

  let threadTime: number;
  {
    await using executor = new ThreadPoolExecutor({ maxWorkers: 4 });
    threadTime = await timePool(executor);
  }
  print(`${threadTime} Seconds Needed for ThreadPoolExecutor`);

  const t3 = performance.now();
  inputs.forEach((number, i) => {
    const prime = isPrimeBook(number);
    if (i < PRIMES.length) print(`${number} is prime: ${pyBool(prime)}`);
  });
  const singleTime = elapsed(t3);
  print(`${singleTime} Seconds needed for single threaded execution`);

  const x = (t: number) => `x${(singleTime / t).toFixed(2)}`;
  print(
    `Speed-up over one thread on ${availableParallelism()} CPUs: process pool ${x(processTime)}, ` +
      `thread pool ${x(threadTime)}.`,
  );
  print(
    'Node differs from CPython here: no GIL, so the thread pool speeds CPU-bound work up as ' +
      'the process pool does, given free cores (CPython would show no speed-up for threads).',
  );
}

if (isMain(import.meta.url)) await main();
