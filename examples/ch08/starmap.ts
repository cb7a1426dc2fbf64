/**
 * Original: Chapter 08/starmap.py
 * Shows: Pool.starmap() unpacks each (x, y) tuple into myTask(x, y): [6, 2].
 *
 * Task (x, y) sleeps x/2 s (scaled by --fast); the results come in input order.
 * With --fast the pool has 2 processes instead of 4 (fewer Node boots; same results).
 */
import { print, threadable } from '@threadkit/core';
import { Pool } from '@threadkit/pool';
import { isMain, nap, poolSize } from '../lib/cli.js';

export const myTask = threadable(import.meta.url, function myTask(x: number, y: number): number {
  nap(x / 2);
  return y * 2;
});

async function main(): Promise<void> {
  await using p = new Pool(poolSize(4));
  const results = await p.starmap(myTask, [
    [4, 3],
    [2, 1],
  ]);
  print(`[${results.join(', ')}]`);
}

if (isMain(import.meta.url)) await main();
