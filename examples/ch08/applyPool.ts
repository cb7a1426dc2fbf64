/**
 * Original: Chapter 08/applyPool.py
 * Shows: get() on applyAsync results in submission order gives 8, 6, 4, 2, whatever the finish order.
 *
 * Fixed: the original has a stray `]` (a SyntaxError) and an unused callback; the port passes
 * the callback to applyAsync, so each result is also reported as it arrives (the shortest task
 * first). The sleeps (n/2 s) scale with --fast.
 * With --fast the pool has 2 processes instead of 4 (fewer Node boots; same results).
 */
import { print, threadable } from '@threadkit/core';
import { Pool } from '@threadkit/pool';
import { isMain, nap, poolSize } from '../lib/cli.js';

export const myTask = threadable(import.meta.url, function myTask(n: number): number {
  nap(n / 2);
  return n * 2;
});

function myCallback(result: number): void {
  print(`callback: ${result}`);
}

async function main(): Promise<void> {
  print('apply_async');
  await using p = new Pool(poolSize(4));
  const task1 = p.applyAsync(myTask, [4], undefined, myCallback);
  const task2 = p.applyAsync(myTask, [3], undefined, myCallback);
  const task3 = p.applyAsync(myTask, [2], undefined, myCallback);
  const task4 = p.applyAsync(myTask, [1], undefined, myCallback);
  print(await task1.get());
  print(await task2.get());
  print(await task3.get());
  print(await task4.get());
}

if (isMain(import.meta.url)) await main();
