/**
 * Original: Chapter 04/events.py
 * Shows: an Event: one thread polls isSet() every second until the main thread set()s it.
 *
 * The port adds a second thread that does not poll but blocks in wait() (the usual way to
 * wait for an Event, not shown in the book) and wakes as soon as the event is set.
 */
import { isMainThread } from 'node:worker_threads';
import { Event, print, Thread, threadable } from '@threadkit/core';
import { nap } from '../lib/cli.js';

export const myThread = threadable(import.meta.url, function myThread(myEvent: Event): void {
  while (!myEvent.isSet()) {
    print('Waiting for Event to be set');
    nap(1);
  }
  print('myEvent has been set');
});

export const waiter = threadable(import.meta.url, function waiter(myEvent: Event): void {
  const flag = myEvent.wait();
  print(`The thread blocked in wait() woke up: wait() returned ${flag}`);
});

function main(): void {
  const myEvent = new Event();
  const thread1 = new Thread({ target: myThread, args: [myEvent] });
  const thread2 = new Thread({ target: waiter, args: [myEvent] });
  thread1.start();
  thread2.start();

  nap(10);
  print('Main thread: setting the event');
  myEvent.set();
}

if (isMainThread) main();
