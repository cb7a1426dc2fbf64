/**
 * Original: Chapter 07/processPoolExe.py
 * Shows: a ProcessPoolExecutor as a context manager (`await using`): leaving it waits for every task.
 *
 * Fixed: the original prints "Starting ThreadPoolExecutor" (a copy-paste from threadPoolExe.py);
 * the port says ProcessPoolExecutor. The three tasks print in any order, always before
 * "All tasks complete".
 */
import { print, threadable } from '@threadkit/core';
import { ProcessPoolExecutor } from '@threadkit/pool';
import { isMain } from '../lib/cli.js';

export const task = threadable(import.meta.url, function task(n: number): void {
  print(`Processing ${n}`);
});

async function main(): Promise<void> {
  print('Starting ProcessPoolExecutor');
  {
    await using executor = new ProcessPoolExecutor({ maxWorkers: 3 });
    executor.submit(task, 2);
    executor.submit(task, 3);
    executor.submit(task, 4);
  }
  print('All tasks complete');
}

if (isMain(import.meta.url)) await main();
