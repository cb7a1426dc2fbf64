/**
 * Original: Chapter 08/mpExample.py
 * Shows: Pool(4).map(isPrime, PRIMES): the verdicts in input order (all prime but the last), timed.
 *
 * The time includes starting the four worker processes, as in the book.
 * With --fast the pool has 2 processes instead of 4 (fewer Node boots; same results).
 */
import { print, threadable } from '@threadkit/core';
import { Pool } from '@threadkit/pool';
import { elapsed, isMain, poolSize } from '../lib/cli.js';
import { isPrimeBook, PRIMES, pyBool } from '../lib/primes.js';

export const isPrime = threadable(import.meta.url, function isPrime(n: number): boolean {
  return isPrimeBook(n);
});

async function main(): Promise<void> {
  const t1 = performance.now();
  {
    await using p = new Pool(poolSize(4));
    print(`[${(await p.map(isPrime, PRIMES)).map(pyBool).join(', ')}]`);
  }
  print(`${elapsed(t1)} Seconds needed for multiprocessing pool`);
}

if (isMain(import.meta.url)) await main();
