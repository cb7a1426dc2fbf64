/**
 * Original: Chapter 04/threadJoin.py
 * Shows: join() waits for the thread it is called on, and only that one.
 *
 * Thread 1 sleeps 2 s and is never joined; thread 2 sleeps 4 s and is joined. The program
 * still waits for thread 1 at exit (it is not a daemon), as Python does.
 */
import { isMainThread } from 'node:worker_threads';
import { print, Thread, threadable } from '@threadkit/core';
import { nap } from '../lib/cli.js';

export const ourThread = threadable(import.meta.url, function ourThread(i: number): void {
  print(`Thread ${i} Started`);
  nap(i * 2);
  print(`Thread ${i} Finished`);
});

function main(): void {
  const thread = new Thread({ target: ourThread, args: [1] });
  thread.start();

  print('Is thread 1 Finished?');

  const thread2 = new Thread({ target: ourThread, args: [2] });
  thread2.start();
  thread2.join();

  print('Thread 2 definitely finished');
}

if (isMainThread) main();
