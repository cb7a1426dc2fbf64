/**
 * Original: Chapter 03/threadLifecycle.py
 * Shows: a thread's life: new → runnable → running → not-runnable (sleeping) → dead.
 *
 * The port also prints isAlive() at each step, which the book only describes.
 */
import { isMainThread } from 'node:worker_threads';
import { print, Thread, threadable } from '@threadkit/core';
import { nap } from '../lib/cli.js';

// A very simple function for our thread to execute
export const threadWorker = threadable(import.meta.url, function threadWorker(): void {
  // only when the thread starts executing does its state go from 'Runnable' to 'Running'
  print("My Thread has entered the 'Running' State");
  // sleeping puts the thread in a not-runnable state: it can do no further work meanwhile
  nap(10);
  // the thread then completes its task and terminates
  print('My Thread is terminating');
});

if (isMainThread) {
  // At this point the thread has no state: no system resources are allocated to it yet
  const myThread = new Thread({ target: threadWorker });
  print(`New: isAlive() = ${myThread.isAlive()}`);
  // start() hands the thread to a worker (a warm one if available), which calls its run()
  // method: it goes from 'Starting' to 'Runnable', not yet running
  myThread.start();
  print(`Started: isAlive() = ${myThread.isAlive()}`);
  // join() waits until the thread has finished the job it was meant to do: it is 'Dead'
  myThread.join();
  print(`Joined: isAlive() = ${myThread.isAlive()}`);
  print("My Thread has entered a 'Dead' state");
}
