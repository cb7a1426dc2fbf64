/**
 * Original: Chapter 03/startingThread.py
 * Shows: starting ten threads; enumerate() after each start() lists one more thread.
 *
 * Each thread sleeps a random 1–10 s.
 */
import { isMainThread } from 'node:worker_threads';
import { enumerate, print, Thread, threadable } from '@threadkit/core';
import { nap, randint, reprList } from '../lib/cli.js';

export const executeThread = threadable(import.meta.url, function executeThread(i: number): void {
  print(`Thread ${i} started`);
  const sleepTime = randint(1, 10);
  nap(sleepTime);
  print(`Thread ${i} finished executing`);
});

if (isMainThread) {
  for (let i = 0; i < 10; i++) {
    const thread = new Thread({ target: executeThread, args: [i] });
    thread.start();
    print('Active Threads:', reprList(enumerate()));
  }
}
