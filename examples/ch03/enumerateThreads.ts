/**
 * Original: Chapter 03/enumerateThreads.py
 * Shows: enumerate() lists every live thread: the main thread and the four started ones.
 */
import { isMainThread } from 'node:worker_threads';
import { enumerate, print, Thread, threadable } from '@threadkit/core';
import { nap, randint, reprList } from '../lib/cli.js';

export const myThread = threadable(import.meta.url, function myThread(i: number): void {
  print(`Thread ${i}: started`);
  nap(randint(1, 5));
  print(`Thread ${i}: finished`);
});

if (isMainThread) {
  for (let i = 0; i < 4; i++) {
    const thread = new Thread({ target: myThread, args: [i] });
    thread.start();
  }
  print(`Enumerating: ${reprList(enumerate())}`);
}
