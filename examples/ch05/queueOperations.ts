/**
 * Original: Chapter 05/queueOperations.py
 * Shows: four threads block in get() and print qsize(); the main thread join()s the queue.
 *
 * The book's subscribers wait for a None that never comes, so the program never ends. The
 * port puts one None per subscriber once the queue is done, and joins the threads.
 */
import { isMainThread } from 'node:worker_threads';
import { currentThread, print, Queue, Thread, threadable } from '@threadkit/core';

export const mySubscriber = threadable(import.meta.url, function mySubscriber(queue: Queue): void {
  for (;;) {
    const item = queue.get();
    if (item === null) break;
    print(`${currentThread()} removed ${item} from the queue`);
    print(`Queue Size is now: ${queue.qsize()}`);
    queue.taskDone();
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

  myQueue.join();
  print('Every item is done; telling the subscribers to stop');
  for (let i = 0; i < threads.length; i++) myQueue.put(null);
  for (const thread of threads) thread.join();
  print('All subscribers have stopped');
}
