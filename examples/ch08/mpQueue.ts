/**
 * Original: Chapter 08/mpQueue.py
 * Shows: a Manager().Queue() shared by three processes: each pops one of 2, 3, 4 exactly once.
 *
 * Each child get()s one item, prints its PID and the item, and calls taskDone(); the order
 * varies. Manager proxies are asynchronous here (`await q.get()`), and the main process joins
 * with joinAsync() so that its event loop keeps serving them. The original imports Pool and
 * queue without using them; the port does not.
 */
import { print } from '@threadkit/core';
import {
  currentProcess,
  Manager,
  Process,
  type QueueProxy,
  threadable,
} from '@threadkit/multiprocessing';
import { isMain } from '../lib/cli.js';

export const myTask = threadable(
  import.meta.url,
  async function myTask(queue: QueueProxy<number>): Promise<void> {
    const value = await queue.get();
    print(`Process ${currentProcess().pid} Popped ${value} from the shared Queue`);
    await queue.taskDone();
  },
);

async function main(): Promise<void> {
  using m = Manager();
  const sharedQueue = await m.Queue<number>();
  await sharedQueue.put(2);
  await sharedQueue.put(3);
  await sharedQueue.put(4);

  const processes = [1, 2, 3].map(() => new Process({ target: myTask, args: [sharedQueue] }));
  for (const p of processes) p.start();
  await processes[1].joinAsync();
  await processes[0].joinAsync();
  await processes[2].joinAsync();
}

if (isMain(import.meta.url)) await main();
