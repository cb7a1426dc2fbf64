/**
 * Original: Chapter 07/results.py
 * Shows: executor.map with random sleeps still yields the results in input order.
 *
 * Each call sleeps 1–2 s (scaled by --fast) on a ThreadPoolExecutor(3), so they finish out of
 * order, yet `map` hands them back in the order of the inputs: Done: 4 … Done: 16. `map` is an
 * async iterable here (`for await`), and `await using` is the port of `with`.
 */
import { print, threadable } from '@threadkit/core';
import { ThreadPoolExecutor } from '@threadkit/pool';
import { isMain, nap, randint } from '../lib/cli.js';

const values = [2, 3, 4, 5, 6, 7, 8];

export const multiplyByTwo = threadable(import.meta.url, function multiplyByTwo(n: number) {
  nap(randint(1, 2));
  return 2 * n;
});

function done(n: number): void {
  print(`Done: ${n}`);
}

async function main(): Promise<void> {
  await using executor = new ThreadPoolExecutor({ maxWorkers: 3 });
  const results = executor.map(multiplyByTwo, values);
  for await (const result of results) done(result);
}

if (isMain(import.meta.url)) await main();
