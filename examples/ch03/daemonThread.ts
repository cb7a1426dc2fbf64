/**
 * Original: Chapter 03/daemonThread.py
 * Shows: daemon threads: a 2 s heartbeat thread is stopped when the program ends.
 *
 * The program waits for the normal thread (20 s) to finish, not for the daemon one.
 *
 * `setDaemon(True)` is deprecated in Python; here, as in modern Python, it is the `daemon`
 * option (or property, before start()). The main script ends at once; the process then waits
 * for the non-daemon thread only, as Python's does. Expect about ten heartbeats.
 */
import { isMainThread } from 'node:worker_threads';
import { print, Thread, threadable } from '@threadkit/core';
import { nap } from '../lib/cli.js';

export const standardThread = threadable(import.meta.url, function standardThread(): void {
  print('Starting my Standard Thread');
  nap(20);
  print('Ending my standard thread');
});

export const daemonThread = threadable(import.meta.url, function daemonThread(): void {
  for (;;) {
    print('Sending Out Heartbeat Signal');
    nap(2);
  }
});

if (isMainThread) {
  const standard = new Thread({ target: standardThread });
  const daemon = new Thread({ target: daemonThread, daemon: true });
  daemon.start();
  standard.start();
}
