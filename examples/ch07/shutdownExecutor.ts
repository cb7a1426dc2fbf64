/**
 * Original: Chapter 07/shutdownExecutor.py
 * Shows: after shutdown(wait=false), submit() fails: "cannot schedule new futures after shutdown".
 *
 * As in the book, tasks 1 and 2 still run to the end, and the program ends with the uncaught
 * RuntimeError (exit code 1). `print(executor.shutdown(wait=False))` prints None in Python;
 * shutdown() returns a Promise here, which is awaited, so the port prints what it resolves to.
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
  print(await executor.shutdown({ wait: false }));
  executor.submit(someTask, 3); // throws RuntimeError
  executor.submit(someTask, 4);
}

if (isMain(import.meta.url)) await main();
