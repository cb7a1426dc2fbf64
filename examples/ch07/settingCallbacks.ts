/**
 * Original: Chapter 07/settingCallbacks.py
 * Shows: two addDoneCallback()s on one future: both run when it is done; cancelled()/done().
 *
 * Fixed: the original's cancelled branch reads `fn.arg`, which a Future does not have; the port
 * prints the future itself. Differs: the callbacks run on the thread that owns the future (the
 * main thread), when the result arrives, where CPython runs them on the worker thread.
 */
import { print, threadable } from '@threadkit/core';
import { type Future, ThreadPoolExecutor } from '@threadkit/pool';
import { isMain } from '../lib/cli.js';

export const task = threadable(import.meta.url, function task(n: number): void {
  print(`Processing ${n}`);
});

function taskDone(fn: Future<unknown>): void {
  if (fn.cancelled()) print(`Our ${fn} Future has been cancelled`);
  else if (fn.done()) print('Our Task has completed');
}

function secondTaskDone(_fn: Future<unknown>): void {
  print("I didn't think this would work");
}

async function main(): Promise<void> {
  print('Starting ThreadPoolExecutor');
  {
    await using executor = new ThreadPoolExecutor({ maxWorkers: 3 });
    const future = executor.submit(task, 2);
    future.addDoneCallback(taskDone);
    future.addDoneCallback(secondTaskDone);
  }
  print('All tasks complete');
}

if (isMain(import.meta.url)) await main();
