/**
 * Original: Chapter 08/daemonProcess.py
 * Shows: a daemon Process runs alongside the main process, which carries on meanwhile.
 *
 * The child sleeps 3 s and the main process 11 s (both scaled by --fast), so the daemon ends
 * first; had the main process ended first, the daemon child would have been stopped with it.
 * currentProcess() prints Python's reprs (`<_MainProcess name='MainProcess' …>`).
 */
import { print } from '@threadkit/core';
import { currentProcess, Process, threadable } from '@threadkit/multiprocessing';
import { isMain, nap } from '../lib/cli.js';

export const daemonProcess = threadable(import.meta.url, function daemonProcess(): void {
  print('Starting my Daemon Process');
  print(`Daemon process started: ${currentProcess()}`);
  nap(3);
  print('Daemon process terminating');
});

function main(): void {
  print(`Main process: ${currentProcess()}`);
  const myProcess = new Process({ target: daemonProcess });
  myProcess.daemon = true;
  myProcess.start();
  print('We can carry on as per usual and our daemon will continue to execute');
  nap(11);
}

if (isMain(import.meta.url)) main();
