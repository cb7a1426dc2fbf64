/**
 * Original: Chapter 01/concurrentCalculation.py
 * Shows: CPU-bound work split over ten processes (1,000 prime factorisations each), timed.
 *
 * Uses @threadkit/multiprocessing's Process: real child processes, each with its own PID,
 * as in Python. (On Node, threads would speed this up too: there is no GIL; see
 * ch03/slowDown.ts.) Each child is a fresh Node program that loads this module, so the main
 * code is guarded by isMain(), the port of `if __name__ == '__main__':`.
 * Options: --iterations <n> numbers per process (default 1,000; 100 with --fast).
 */
import { print } from '@threadkit/core';
import { currentProcess, Process, threadable } from '@threadkit/multiprocessing';
import { elapsed, isMain, options, randint } from '../lib/cli.js';
import { calculatePrimeFactors, reprNumbers } from '../lib/primes.js';

const perProcess = options.iterations ?? (options.fast ? 100 : 1000);

// We split our workload from one batch of 10,000 calculations into 10 batches of 1,000
export const executeProc = threadable(import.meta.url, function executeProc(): void {
  for (let i = 0; i < perProcess; i++) {
    const rand = randint(20_000, 100_000_000);
    print(reprNumbers(calculatePrimeFactors(rand)));
  }
  print(`${currentProcess().name} (pid ${process.pid}) done`);
});

function main(): void {
  print('Starting number crunching');
  const t0 = performance.now();

  const procs: Process[] = [];
  // Here we create our processes and kick them off
  for (let i = 0; i < 10; i++) {
    const proc = new Process({ target: executeProc, args: [] });
    procs.push(proc);
    proc.start();
  }
  // join() waits for each process to finish
  for (const proc of procs) proc.join();

  const totalTime = elapsed(t0);
  print(`Execution Time: ${totalTime}`);
}

if (isMain(import.meta.url)) main();
