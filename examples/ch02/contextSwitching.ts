/**
 * Original: Chapter 02/contextSwitching.py
 * Shows: a CPU-bound baseline: naive recursive Fibonacci F(0) … F(34), timed.
 *
 * The book imports threading without using it: this is the single-threaded yardstick for
 * chapter 2's talk of CPU-bound work. V8 runs it several times faster than CPython.
 * Options: --iterations <n> computes F(0) … F(n-1) (default 35; 30 with --fast).
 */
import { print } from '@threadkit/core';
import { elapsed, options } from '../lib/cli.js';

function F(n: number): number {
  if (n === 0) return 0;
  if (n === 1) return 1;
  return F(n - 1) + F(n - 2);
}

const upTo = options.iterations ?? (options.fast ? 30 : 35);
const t0 = performance.now();
for (let i = 0; i < upTo; i++) F(i);
print(`F(${upTo - 1}) = ${F(upTo - 1)}`);
print(`Total Execution Time ${elapsed(t0)}`);
