/**
 * Original: Chapter 05/queues.py
 * Shows: a FIFO Queue of 0–9 shared by four threads: each item is taken by exactly one.
 *
 * The book's loop, `while not queue.empty(): queue.get()`, can block forever: another thread
 * may take the last item between empty() and get(). The port takes items with getNowait()
 * and stops on Empty, which has no such gap.
 */
import { isMainThread } from 'node:worker_threads';
import { currentThread, Empty, print, Queue, Thread, threadable } from '@threadkit/core';
import { nap } from '../lib/cli.js';

export const mySubscriber = threadable(import.meta.url, function mySubscriber(queue: Queue): void {
  for (;;) {
    let item: number | null;
    try {
      item = queue.getNowait();
    } catch (err) {
      if (err instanceof Empty) break;
      throw err;
    }
    if (item === null) break;
    print(`${currentThread()} removed ${item} from the queue`);
    queue.taskDone();
    nap(1);
  }
});

if (isMainThread) {
  const myQueue = new Queue();
  for (let i = 0; i < 10; i++) myQueue.put(i);

  print('Queue Populated');

  const threads: Thread[] = [];
  for (let i = 0; i < 4; i++) {
    const thread = new Thread({ target: mySubscriber, args: [myQueue] });
    thread.start();
    threads.push(thread);
  }
  for (const thread of threads) thread.join();
  print('Queue is empty');
}
