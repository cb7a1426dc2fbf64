/**
 * Original: Chapter 06/threadException.py
 * Shows: a child thread catches its own exception and hands it to the main thread through a Queue.
 *
 * Fixed: the original's child loops forever (and is not a daemon, so the program never ends)
 * and its main loop catches the undefined name `Queue.Empty`. The port's child raises once
 * (after 2 s, scaled) and ends; the main thread polls with get(timeout=…) and catches `Empty`.
 * Python puts `sys.exc_info()` on the queue; the port puts the Error itself (errors cross
 * between threads by structured clone, with their name, message and stack).
 */
import { currentThread, Empty, print, Queue, Thread, threadable } from '@threadkit/core';
import { isMain, nap, scaled } from '../lib/cli.js';

export const myThread = threadable(import.meta.url, function myThread(queue: Queue): void {
  try {
    nap(2);
    throw new Error(`Exception Thrown In Child Thread ${currentThread()}`);
  } catch (e) {
    queue.put(e);
  }
});

function main(): void {
  const queue = new Queue();
  const thread = new Thread({ target: myThread, args: [queue] });
  thread.start();
  let polls = 0;
  for (;;) {
    let exception: Error;
    try {
      exception = queue.get(true, scaled(0.5));
    } catch (e) {
      if (!(e instanceof Empty)) throw e;
      polls++;
      continue; // nothing yet: poll again
    }
    print(`${exception.name}: ${exception.message}`);
    print(`raised at: ${exception.stack?.split('\n')[1]?.trim()}`);
    print(`(the main thread polled the queue ${polls} times in vain before it arrived)`);
    break;
  }
  thread.join();
}

if (isMain(import.meta.url)) main();
