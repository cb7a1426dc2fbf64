/**
 * Original: Chapter 08/identifyProcess.py
 * Shows: currentProcess().pid in the main process and in a child: two real, different PIDs.
 */
import { print } from '@threadkit/core';
import { currentProcess, Process, threadable } from '@threadkit/multiprocessing';
import { isMain, nap } from '../lib/cli.js';

export const childTask = threadable(import.meta.url, function childTask(): void {
  print(`Child Process With PID: ${currentProcess().pid}`);
  nap(3);
  print('Child process terminating');
});

function main(): void {
  print(`Main process PID: ${currentProcess().pid}`);
  const myProcess = new Process({ target: childTask });
  myProcess.start();
  myProcess.join();
}

if (isMain(import.meta.url)) main();
