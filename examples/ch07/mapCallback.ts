/**
 * Original: Chapter 07/mapCallback.py
 * Shows: executor.map(multiplyByTwo, values) on a ThreadPoolExecutor(3) prints 4 … 16 in order.
 *
 * The original defines a `done()` callback it never uses; the port leaves it out.
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

if (isMain(import.meta.url)) await main();
