/**
 * Original: Chapter 07/processPool.py
 * Shows: a ProcessPoolExecutor(3) runs two submitted tasks in child processes with their own PIDs.
 *
 * As in the book there is no `with` and no shutdown(): the pending calls still run before the
 * program ends (Python joins its pool at exit; so does @threadkit/pool). Each task prints the
 * PID of the process that ran it; the port also prints the main PID, so the difference shows.
 */
import { print, threadable } from '@threadkit/core';
import { ProcessPoolExecutor } from '@threadkit/pool';
import { isMain } from '../lib/cli.js';

export const task = threadable(import.meta.url, function task(): void {
  print(`Executing our Task on Process ${process.pid}`);
});

function main(): void {
  print(`Main process: ${process.pid}`);
  const executor = new ProcessPoolExecutor({ maxWorkers: 3 });
  executor.submit(task);
  executor.submit(task);
}

if (isMain(import.meta.url)) main();
