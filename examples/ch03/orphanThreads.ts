/**
 * Original: Chapter 03/orphanThreads.py
 * Shows: threads started by another thread outlive it ("orphans"); the program waits for them.
 *
 * The parent thread ends as soon as it has started its ten children; they keep running.
 *
 * As in the book, Parent.kill() does nothing (there is no process to terminate: a thread
 * cannot be killed from outside; see killThread.ts for terminating a Process). The port also
 * prints what the book leaves implicit: the parent is dead while its children are alive.
 * On plain worker_threads a worker's children die with it; threadkit keeps them running.
 */
import { isMainThread } from 'node:worker_threads';
import { currentThread, enumerate, print, Thread, threadable } from '@threadkit/core';
import { nap } from '../lib/cli.js';

export const child = threadable(import.meta.url, function child(): void {
  print(`${currentThread().name} starting`);
  nap(10);
  print(`${currentThread().name} ending`);
});

export class Parent extends Thread {
  static module = import.meta.url;
  /** The book keeps a process handle here that is never set, so kill() is a no-op. */
  proc: { terminate(): void } | null = null;

  override run(): void {
    for (let i = 0; i < 10; i++) {
      const childThread = new Thread({ target: child });
      childThread.start();
    }
  }

  kill(): void {
    print('Trying to kill thread');
    if (this.proc !== null) {
      this.proc.terminate();
      this.proc = null;
    }
  }
}

if (isMainThread) {
  const parent = new Parent();
  parent.start();
  nap(2);
  parent.kill();
  parent.join(); // its run() ends as soon as it has started its children
  const orphans = enumerate().filter((t) => t.name.endsWith('(child)'));
  print(`Parent alive: ${parent.isAlive()}; its children still running: ${orphans.length}`);
}
