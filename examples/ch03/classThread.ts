/**
 * Original: Chapter 03/classThread.py
 * Shows: a thread made by subclassing Thread and overriding run().
 *
 * The class is exported and says where it lives (`static module = import.meta.url`): the
 * worker rebuilds the object from its fields and calls run() there, without running the
 * constructor again, so "Hello world" is printed once, as in Python.
 */
import { isMainThread } from 'node:worker_threads';
import { print, Thread } from '@threadkit/core';

export class MyWorkerThread extends Thread {
  static module = import.meta.url;

  constructor() {
    print('Hello world');
    super();
  }

  override run(): void {
    print('Thread is now running');
  }
}

if (isMainThread) {
  const myThread = new MyWorkerThread();
  print('Created my Thread Object');
  myThread.start();
  print('Started my thread');
  myThread.join();
  print('My Thread finished');
}
