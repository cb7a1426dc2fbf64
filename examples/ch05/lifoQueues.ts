/**
 * Original: Chapter 05/lifoQueues.py
 * Shows: a LifoQueue: the last item put is the first taken (9 first, 0 last), by two threads.
 *
 * As in queues.ts, the port takes items with getNowait() and stops on Empty instead of the
 * book's empty()-then-get(), which can block forever when the other thread takes the last
 * item in between. Each thread's items come out in descending order.
 */
import { isMainThread } from 'node:worker_threads';
import { currentThread, Empty, LifoQueue, print, Thread, threadable } from '@threadkit/core';

export const mySubscriber = threadable(
  import.meta.url,
  function mySubscriber(queue: LifoQueue): void {
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
    }
  },
);

if (isMainThread) {
  const myQueue = new LifoQueue();
  for (let i = 0; i < 10; i++) myQueue.put(i);

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
