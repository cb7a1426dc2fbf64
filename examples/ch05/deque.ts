/**
 * Original: Chapter 05/deque.py
 * Shows: a deque: iterating over it, its two ends (d[0], d[-1]) and remove().
 *
 * threadkit's Deque lives in shared memory, so d[0] and d[-1] work like Python's (negative
 * indices count from the right). The port also lets a second thread iterate over the same
 * deque.
 */
import { isMainThread } from 'node:worker_threads';
import { Deque, print, Thread, threadable } from '@threadkit/core';

export const listItems = threadable(import.meta.url, function listItems(d: Deque): void {
  print(`Another thread sees the same deque: ${[...d].join(' ')}`);
});

if (isMainThread) {
  const doubleEndedQueue = new Deque('123456');
  print(`Dequeue: ${doubleEndedQueue}`);

  for (const item of doubleEndedQueue) print(`Item ${item}`);

  print(`Left Most Element: ${doubleEndedQueue[0]}`);
  print(`Right Most Element: ${doubleEndedQueue[-1]}`);

  doubleEndedQueue.remove('1');
  print(`Removing Element: ${doubleEndedQueue}`);

  const thread = new Thread({ target: listItems, args: [doubleEndedQueue] });
  thread.start();
  thread.join();
}
