/**
 * Original: Chapter 05/appendDeque.py
 * Shows: deque.append() adds on the right, appendleft() on the left.
 *
 * threadkit's Deque is Python's collections.deque in shared memory: every method is atomic,
 * and a Deque passed to another thread is the same deque. To show that, the port does the
 * appendleft() from a second thread.
 */
import { isMainThread } from 'node:worker_threads';
import { Deque, print, Thread, threadable } from '@threadkit/core';

export const appendLeft = threadable(
  import.meta.url,
  function appendLeft(d: Deque, x: string): void {
    d.appendleft(x);
  },
);

if (isMainThread) {
  const doubleEndedQueue = new Deque('123456');
  print(`Deque: ${doubleEndedQueue}`);

  // Adding elements to our deque
  doubleEndedQueue.append('1');
  print(`Deque: ${doubleEndedQueue}`);

  const thread = new Thread({ target: appendLeft, args: [doubleEndedQueue, '6'] });
  thread.start();
  thread.join();
  print(`Deque: ${doubleEndedQueue}  (appendleft('6') done by ${thread.name})`);
}
