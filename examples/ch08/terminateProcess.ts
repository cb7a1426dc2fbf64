/**
 * Original: Chapter 08/terminateProcess.py
 * Shows: terminate() ends a running child process at once (SIGTERM), without waiting for it.
 *
 * The child would sleep 20 s. The port adds a join() after terminate() so that it can print the
 * child's exit code: -15, that is -SIGTERM, as in Python. terminate() right after start() often
 * ends the child before it prints its PID. The original's "My Process has terminated" line comes
 * before anything has terminated; the port says "started".
 */
import { print } from '@threadkit/core';
import { currentProcess, Process, threadable } from '@threadkit/multiprocessing';
import { isMain, nap } from '../lib/cli.js';

export const daemonProcess = threadable(import.meta.url, function daemonProcess(): void {
  print(`Child Process PID: ${currentProcess().pid}`);
  nap(20);
});

if (isMain(import.meta.url)) {
  print(`Main process PID: ${currentProcess().pid}`);
  const myProcess = new Process({ target: daemonProcess });
  myProcess.start();
  print('My Process has started');
  print('Terminating Child Process');
  myProcess.terminate();
  myProcess.join();
  print('Child Process Successfully terminated');
  print(`exitcode: ${myProcess.exitcode}`);
}
