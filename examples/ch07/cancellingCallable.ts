/**
 * Original: Chapter 07/cancellingCallable.py
 * Shows: Future.cancel() succeeds (true) on a task still queued: task 3 never runs.
 *
 * Four tasks on a ThreadPoolExecutor(2): tasks 1 and 2 take the two threads, so task 3 is still
 * pending when cancel() is called and it returns true; tasks 1, 2 and 4 run. The sleeps (n
 * seconds) scale with --fast.
 */
import { print, threadable } from '@threadkit/core';
import { ThreadPoolExecutor } from '@threadkit/pool';
import { isMain, nap } from '../lib/cli.js';

export const someTask = threadable(import.meta.url, function someTask(n: number): void {
  print(`Executing Task ${n}`);
  nap(n);
  print(`Task ${n} Finished Executing`);
});

async function main(): Promise<void> {
  await using executor = new ThreadPoolExecutor({ maxWorkers: 2 });
  executor.submit(someTask, 1);
  executor.submit(someTask, 2);
  const task3 = executor.submit(someTask, 3);
  executor.submit(someTask, 4);
  print(task3.cancel());
}

if (isMain(import.meta.url)) await main();
