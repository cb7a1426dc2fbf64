/**
 * Original: Chapter 03/killThread.py
 * Shows: a thread cannot be killed from outside, but a process can: terminate() a Process.
 *
 * Uses @threadkit/multiprocessing's Process (a child process). After terminate() and join(),
 * its exitcode is -SIGTERM, as in Python. terminate() right after start() usually ends the
 * child before it prints anything. The child loads this module, so the main code is guarded
 * by isMain(), the port of `if __name__ == '__main__':`.
 */
import { print } from '@threadkit/core';
import { Process, threadable } from '@threadkit/multiprocessing';
import { isMain, nap } from '../lib/cli.js';

export const myWorker = threadable(import.meta.url, function myWorker(): void {
  const t1 = Date.now() / 1000;
  print(`Process started at: ${t1}`);
  nap(20);
});

if (isMain(import.meta.url)) {
  const myProcess = new Process({ target: myWorker });
  print(`Process ${myProcess}`);
  myProcess.start();
  print('Terminating Process...');
  myProcess.terminate();
  myProcess.join();
  print(`Process Terminated: ${myProcess}`);
  print(`exitcode: ${myProcess.exitcode}`);
}
