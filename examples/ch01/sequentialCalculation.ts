/**
 * Original: Chapter 01/sequentialCalculation.py
 * Shows: the single-threaded baseline: prime-factorise 10,000 random numbers, timed.
 *
 * Options: --iterations <n> factorises n numbers instead of 10,000.
 */
import { print } from '@threadkit/core';
import { elapsed, options, randint } from '../lib/cli.js';
import { calculatePrimeFactors, reprNumbers } from '../lib/primes.js';

const count = options.iterations ?? 10_000;

print('Starting number crunching');
const t0 = performance.now();
for (let i = 0; i < count; i++) {
  const rand = randint(20_000, 100_000_000);
  print(reprNumbers(calculatePrimeFactors(rand)));
}
print(`Execution Time: ${elapsed(t0)}`);
