/**
 * Original: Chapter 05/queueJoin.py
 * Shows: Queue.join() blocks until every item put has been marked done with taskDone().
 */
import { isMainThread } from 'node:worker_threads';
import { currentThread, print, Queue, Thread, threadable } from '@threadkit/core';
import { nap } from '../lib/cli.js';

export const mySubscriber = threadable(import.meta.url, function mySubscriber(queue: Queue): void {
  nap(1);
  // one subscriber only: nobody else can empty the queue between empty() and get()
  while (!queue.empty()) {
    const item = queue.get();
    if (item === null) break;
    print(`${currentThread()} removed ${item} from the queue`);
    queue.taskDone();
  }
});

if (isMainThread) {
  const myQueue = new Queue();
  for (let i = 0; i < 5; i++) myQueue.put(i);

  print('Queue Populated');

  const thread = new Thread({ target: mySubscriber, args: [myQueue] });
  thread.start();

  print('Not Progressing Till Queue is Empty');
  myQueue.join();
  print('Queue is now empty');
}
