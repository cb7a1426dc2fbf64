/**
 * Original: Chapter 08/maxTasks.py
 * Shows: Pool(processes=1, maxtasksperchild=2): the one worker is replaced every 2 tasks (new PID).
 *
 * Two starmapAsync() calls of four tasks each: [6, 2, 4, 2] and [6, 2, 4, 6]. Each task prints
 * the PID of its worker process; the PID changes after every second task.
 */
import { print, threadable } from '@threadkit/core';
import { Pool } from '@threadkit/pool';
import { isMain } from '../lib/cli.js';

export const myTask = threadable(import.meta.url, function myTask(_x: number, y: number): number {
  print(`${process.pid} Executed my task`);
  return y * 2;
});

async function main(): Promise<void> {
  await using p = new Pool({ processes: 1, maxtasksperchild: 2 });
  const list = (xs: number[]) => `[${xs.join(', ')}]`;
  print(
    list(
      await p
        .starmapAsync(myTask, [
          [4, 3],
          [2, 1],
          [3, 2],
          [5, 1],
        ])
        .get(),
    ),
  );
  print(
    list(
      await p
        .starmapAsync(myTask, [
          [4, 3],
          [2, 1],
          [3, 2],
          [2, 3],
        ])
        .get(),
    ),
  );
}

if (isMain(import.meta.url)) await main();
