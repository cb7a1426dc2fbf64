/**
 * Original: Chapter 08/mapPool.py
 * Shows: imapUnordered() yields results as they finish: 3, 3, 4, 5 (task n sleeps n + 2 s).
 *
 * Four inputs on a Pool(4): each runs in its own worker, so the shortest sleeps come back
 * first. The sleeps scale with --fast. Worker processes boot one by one (a Node and tsx each),
 * so the script first waits until the four are up (four 0.3 s calls at once); on a heavily
 * loaded machine a late worker can still change the order: the results are always 3, 3, 4, 5
 * in some order, the order in which they finished.
 */
import { print, sleep, threadable } from '@threadkit/core';
import { Pool } from '@threadkit/pool';
import { isMain, nap } from '../lib/cli.js';

export const myTask = threadable(import.meta.url, function myTask(n: number): number {
  nap(n + 2);
  return n + 2;
});

export const warmUp = threadable(import.meta.url, function warmUp(): void {
  sleep(0.3);
});

async function main(): Promise<void> {
  await using p = new Pool(4);
  await p.map(warmUp, [0, 1, 2, 3], 1);
  for await (const iter of p.imapUnordered(myTask, [1, 3, 2, 1])) print(iter);
}

if (isMain(import.meta.url)) await main();
