/**
 * Original: Chapter 03/identifyingThreads.py
 * Shows: naming threads (`name` option) and reading a thread's name from inside it.
 *
 * `currentThread().getName()` is deprecated in Python; the port reads `currentThread().name`.
 */
import { isMainThread } from 'node:worker_threads';
import { currentThread, enumerate, print, Thread, threadable } from '@threadkit/core';
import { nap, reprList } from '../lib/cli.js';

export const myThread = threadable(import.meta.url, function myThread(): void {
  print(`Thread ${currentThread().name} starting`);
  nap(10);
  print(`Thread ${currentThread().name} ending`);
});

if (isMainThread) {
  for (let i = 0; i < 4; i++) {
    const threadName = `Thread-${i}`;
    const thread = new Thread({ name: threadName, target: myThread });
    thread.start();
  }
  print(reprList(enumerate()));
}
