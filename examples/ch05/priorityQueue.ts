/**
 * Original: Chapter 05/priorityQueue.py
 * Shows: a PriorityQueue hands out the lowest priority first, whatever the order of put().
 *
 * Fixes the book's bug: `put(i, i)` passed i as the `block` argument, not as a priority. As
 * in Python, the port puts (priority, item) tuples, here arrays, compared element-wise. Items
 * go in shuffled; two threads take them and each thread sees its priorities rise.
 * The port takes items with getNowait() (see queues.ts for why not empty()-then-get()).
 */
import { isMainThread } from 'node:worker_threads';
import { currentThread, Empty, PriorityQueue, print, Thread, threadable } from '@threadkit/core';
import { nap } from '../lib/cli.js';

export const mySubscriber = threadable(
  import.meta.url,
  function mySubscriber(queue: PriorityQueue): void {
    for (;;) {
      let item: [number, string] | null;
      try {
        item = queue.getNowait();
      } catch (err) {
        if (err instanceof Empty) break;
        throw err;
      }
      if (item === null) break;
      const [priority, task] = item;
      print(`${currentThread()} removed ${task} (priority ${priority}) from the queue`);
      queue.taskDone();
      nap(1);
    }
  },
);

if (isMainThread) {
  const myQueue = new PriorityQueue();
  const items: [number, string][] = [];
  for (const round of ['a', 'b']) for (let i = 0; i < 5; i++) items.push([i, `task-${i}${round}`]);
  items.sort(() => Math.random() - 0.5);
  for (const item of items) myQueue.put(item);

  print('Queue Populated');

  const threads: Thread[] = [];
  for (let i = 0; i < 2; i++) {
    const thread = new Thread({ target: mySubscriber, args: [myQueue] });
    thread.start();
    threads.push(thread);
  }
  for (const thread of threads) thread.join();
  print('Queue is empty');
}
