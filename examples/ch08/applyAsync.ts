/**
 * Original: Chapter 08/applyAsync.py
 * Shows: Pool(4).applyAsync() four times, then wait() and get() each result: 0, 2, 4, 6.
 *
 * Each task prints the PID of the worker process that ran it. wait() and get() return
 * Promises here; `await using` is the port of `with Pool(4) as p:` (it terminates the pool).
 * With --fast the pool has 2 processes instead of 4 (fewer Node boots; same results).
 */
import { print, threadable } from '@threadkit/core';
import { type AsyncResult, Pool } from '@threadkit/pool';
import { isMain, poolSize } from '../lib/cli.js';

export const myTask = threadable(import.meta.url, function myTask(n: number): number {
  print(`Task processed by Process ${process.pid}`);
  return n * 2;
});

async function main(): Promise<void> {
  print('apply_async');
  await using p = new Pool(poolSize(4));
  const tasks: AsyncResult<number>[] = [];
  for (let i = 0; i < 4; i++) tasks.push(p.applyAsync(myTask, [i]));
  for (const task of tasks) {
    await task.wait();
    print(`Result: ${await task.get()}`);
  }
}

if (isMain(import.meta.url)) await main();
