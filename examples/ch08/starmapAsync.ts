/**
 * Original: Chapter 08/starmapAsync.py
 * Shows: Pool.starmapAsync() returns an AsyncResult at once; its get() gives [6, 2].
 *
 * Task (x, y) sleeps x s (scaled by --fast).
 * With --fast the pool has 2 processes instead of 4 (fewer Node boots; same results).
 */
import { print, threadable } from '@threadkit/core';
import { Pool } from '@threadkit/pool';
import { isMain, nap, poolSize } from '../lib/cli.js';

export const myTask = threadable(import.meta.url, function myTask(x: number, y: number): number {
  nap(x);
  return y * 2;
});

async function main(): Promise<void> {
  await using p = new Pool(poolSize(4));
  const result = p.starmapAsync(myTask, [
    [4, 3],
    [2, 1],
  ]);
  print(`[${(await result.get()).join(', ')}]`);
}

if (isMain(import.meta.url)) await main();
