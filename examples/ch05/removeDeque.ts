/**
 * Original: Chapter 05/removeDeque.py
 * Shows: deque.pop() takes from the right, popleft() from the left.
 *
 * The port does the popleft() from a second thread, on the same shared Deque.
 */
import { isMainThread } from 'node:worker_threads';
import { Deque, print, Thread, threadable } from '@threadkit/core';

export const popLeft = threadable(import.meta.url, function popLeft(d: Deque): void {
  const leftPop = d.popleft();
  print(leftPop);
});

if (isMainThread) {
  const doubleEndedQueue = new Deque('123456');
  print(`Deque: ${doubleEndedQueue}`);

  // Removing elements from our deque
  const rightPop = doubleEndedQueue.pop();
  print(rightPop);
  print(`Deque: ${doubleEndedQueue}`);

  const thread = new Thread({ target: popLeft, args: [doubleEndedQueue] });
  thread.start();
  thread.join();
  print(`Deque: ${doubleEndedQueue}`);
}
