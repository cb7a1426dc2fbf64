/**
 * Original: Chapter 07/threadPool.py
 * Shows: a ThreadPoolExecutor(3) runs two submitted tasks on its worker threads.
 *
 * As in the book there is no `with` and no shutdown(): the pending calls still run before the
 * program ends, as Python joins its pool threads at exit. Each task sums 0…9 (I: 45) and prints
 * the thread that ran it: `ThreadPoolExecutor-0_0`, `_1`… as in CPython, with threadkit's idents.
 */
import { currentThread, print, threadable } from '@threadkit/core';
import { ThreadPoolExecutor } from '@threadkit/pool';
import { isMain } from '../lib/cli.js';

export const task = threadable(import.meta.url, function task(): void {
  print('Executing our Task');
  let result = 0;
  for (let i = 0; i < 10; i++) result = result + i;
  print(`I: ${result}`);
  print(`Task Executed ${currentThread()}`);
});

function main(): void {
  const executor = new ThreadPoolExecutor({ maxWorkers: 3 });
  executor.submit(task);
  executor.submit(task);
}

if (isMain(import.meta.url)) main();
