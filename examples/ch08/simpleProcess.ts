/**
 * Original: Chapter 08/subprocess.py
 * Shows: the simplest child Process: start() it, join() it; it has its own engine (its own GIL).
 *
 * Fixed: the original is named subprocess.py, which shadows Python's subprocess module and
 * breaks every multiprocessing example of its folder; the port is named simpleProcess.ts. Its
 * main code is guarded by isMain() (the original runs at the top level, which only works
 * with fork). In Node a child process has its own V8 engine, the counterpart of its own GIL.
 */
import { print } from '@threadkit/core';
import { Process, threadable } from '@threadkit/multiprocessing';
import { isMain } from '../lib/cli.js';

export const myProcess = threadable(import.meta.url, function myProcess(): void {
  print('Currently Executing Child Process');
  print("This process has it's own instance of the GIL");
});

if (isMain(import.meta.url)) {
  print('Executing Main Process');
  print('Creating Child Process');
  const child = new Process({ target: myProcess });
  child.start();
  child.join();
  print('Child Process has terminated, terminating main process');
}
