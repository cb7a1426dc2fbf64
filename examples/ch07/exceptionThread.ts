/**
 * Original: Chapter 07/exceptionThread.py
 * Shows: a task's exception is raised again by future.result() in the main thread.
 *
 * isEven(2) and isEven(3) return; isEven('t') throws "Value entered is not an integer". As in
 * the book, the results are read through asCompleted after the pool has shut down, and the
 * program ends with that uncaught Error (exit code 1): the error crossed from the worker
 * thread to the main thread. Which result comes first depends on which task finished first.
 */
import { print, threadable } from '@threadkit/core';
import { asCompleted, type Future, ThreadPoolExecutor } from '@threadkit/pool';
import { isMain } from '../lib/cli.js';

export const isEven = threadable(import.meta.url, function isEven(n: unknown): boolean {
  print(`Checking if ${n} is even`);
  if (!Number.isInteger(n)) throw new Error('Value entered is not an integer');
  if ((n as number) % 2 === 0) {
    print(`${n} is even`);
    return true;
  }
  print(`${n} is odd`);
  return false;
});

async function main(): Promise<void> {
  let tasks: Future<boolean>[];
  {
    await using executor = new ThreadPoolExecutor({ maxWorkers: 4 });
    tasks = [executor.submit(isEven, 2), executor.submit(isEven, 3), executor.submit(isEven, 't')];
  }
  for await (const future of asCompleted(tasks)) {
    print(`Result of Task: ${await future.result()}`);
  }
}

if (isMain(import.meta.url)) await main();
