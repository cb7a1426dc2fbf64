/**
 * Original: Chapter 03/gettingCurrentThread.py
 * Shows: ten threads each print currentThread(): default names Thread-1 … Thread-10.
 *
 * Names are Python 3.10+'s: `Thread-N (target)`. Idents are threadkit's thread identifiers.
 */
import { isMainThread } from 'node:worker_threads';
import { currentThread, print, Thread, threadable } from '@threadkit/core';

export const threadTarget = threadable(import.meta.url, function threadTarget(): void {
  print(`Current Thread: ${currentThread()}`);
});

if (isMainThread) {
  const threads: Thread[] = [];
  for (let i = 0; i < 10; i++) {
    const thread = new Thread({ target: threadTarget });
    thread.start();
    threads.push(thread);
  }
  for (const thread of threads) thread.join();
}
