/**
 * Original: Chapter 08/spawnProcess.py
 * Shows: spawning a child Process; the program waits for it at exit even without join().
 *
 * Fixed: the original's child reads `current_process().pid.pid` (`.pid` of an int) and dies
 * with an AttributeError; the port prints the PID. As in the book, the main code runs at the
 * module's top level and returns without join(): the process still waits for its non-daemon
 * child before it exits (Python does the same). The child sleeps 20 s (scaled by --fast).
 * The port's messages say what really happens (the original says "has terminated" too early).
 */
import { print } from '@threadkit/core';
import { currentProcess, Process, threadable } from '@threadkit/multiprocessing';
import { isMain, nap } from '../lib/cli.js';

export const myProcess = threadable(import.meta.url, function myProcess(): void {
  const pid = currentProcess().pid;
  print(`Child Process PID: ${pid}`);
  nap(20);
  print('Child Process ending');
});

if (isMain(import.meta.url)) {
  const current = currentProcess();
  print(`Main process PID: ${current.pid}`);
  const child = new Process({ target: myProcess });
  child.start();
  print('My Process has started, the main code is done; the program waits for the child');
}
