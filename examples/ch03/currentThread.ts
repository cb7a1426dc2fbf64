/**
 * Original: Chapter 03/currentThread.py
 * Shows: currentThread() and mainThread() seen from a child thread.
 *
 * In the book this file is byte-for-byte the same as mainThread.py; so is this port
 * (ch03/mainThread.ts). Idents are threadkit's thread identifiers (small integers that are
 * never reused), where CPython prints the pthread id.
 */
import { isMainThread } from 'node:worker_threads';
import { currentThread, mainThread, print, Thread, threadable } from '@threadkit/core';
import { nap } from '../lib/cli.js';

export const myChildThread = threadable(import.meta.url, function myChildThread(): void {
  print('Child Thread Starting');
  nap(5);
  print('Current Thread ----------');
  print(String(currentThread()));
  print('-------------------------');
  print('Main Thread -------------');
  print(String(mainThread()));
  print('-------------------------');
  print('Child Thread Ending');
});

if (isMainThread) {
  const child = new Thread({ target: myChildThread });
  child.start();
  child.join();
}
