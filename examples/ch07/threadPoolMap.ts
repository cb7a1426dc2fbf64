/**
 * Original: Chapter 07/threadPoolMap.py
 * Shows: executor.map(fn, values) gives the same results, in the same order, as the built-in map.
 *
 * The pool's map is an async iterable (`for await`); the built-in one is Array.prototype.map.
 */
import { print, threadable } from '@threadkit/core';
import { ThreadPoolExecutor } from '@threadkit/pool';
import { isMain } from '../lib/cli.js';

const values = [2, 3, 4, 5, 6, 7, 8];

export const multiplyByTwo = threadable(import.meta.url, function multiplyByTwo(n: number) {
  return 2 * n;
});

async function main(): Promise<void> {
  await using executor = new ThreadPoolExecutor({ maxWorkers: 3 });
  const results = executor.map(multiplyByTwo, values);
  for await (const result of results) print(result);
}

if (isMain(import.meta.url)) {
  await main();
  const results = values.map(multiplyByTwo);
  print(`[${results.join(', ')}]`);
}
