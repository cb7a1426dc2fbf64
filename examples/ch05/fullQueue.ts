/**
 * Original: Chapter 05/fullQueue.py
 * Shows: a bounded Queue(maxsize): filled until full(); put() then waits, and raises Full.
 *
 * Publishers fill the queue until full(); a put() on the full queue waits and raises Full
 * after its timeout; a subscriber drains it, and join() returns.
 *
 * The book's file does not run: it starts threads with an undefined `mySubscriber`, its
 * queue has no maxsize (so full() is never true), and it never calls `myQueue.join()`. The
 * port gives the queue a maxsize of 10; four publishers fill it (with putNowait(), stopping
 * on Full: a put() after a full() check could block when another thread fills the queue in
 * between); one subscriber then drains it.
 */
import { isMainThread } from 'node:worker_threads';
import { currentThread, Full, print, Queue, Thread, threadable } from '@threadkit/core';
import { nap, scaled } from '../lib/cli.js';

export const myPublisher = threadable(import.meta.url, function myPublisher(queue: Queue): void {
  while (!queue.full()) {
    try {
      queue.putNowait(1);
    } catch (err) {
      if (err instanceof Full) break;
      throw err;
    }
    print(`${currentThread()} Appended 1 to queue: ${queue.qsize()}`);
    nap(1);
  }
});

export const mySubscriber = threadable(import.meta.url, function mySubscriber(queue: Queue): void {
  let taken = 0;
  while (!queue.empty()) {
    queue.get();
    taken += 1;
    queue.taskDone();
  }
  print(`${currentThread()} took ${taken} items`);
});

if (isMainThread) {
  const myQueue = new Queue(10);

  const threads: Thread[] = [];
  for (let i = 0; i < 4; i++) {
    const thread = new Thread({ target: myPublisher, args: [myQueue] });
    thread.start();
    threads.push(thread);
  }
  for (const thread of threads) thread.join();
  print(`Queue full: ${myQueue.full()} (${myQueue.qsize()} of ${myQueue.maxsize})`);

  const t0 = performance.now();
  try {
    myQueue.put(1, true, scaled(1));
  } catch (err) {
    const waited = (performance.now() - t0) / 1000 >= scaled(1) * 0.9;
    print(
      `put() on the full queue waited its timeout (${waited}), then raised ${(err as Error).name}`,
    );
  }

  const subscriber = new Thread({ target: mySubscriber, args: [myQueue] });
  subscriber.start();
  myQueue.join();
  print(`Queue joined: every item done, ${myQueue.qsize()} left`);
  subscriber.join();
}
