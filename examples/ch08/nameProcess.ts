/**
 * Original: Chapter 08/nameProcess.py
 * Shows: a Process started with name: 'My-Awesome-Process' sees that name in currentProcess().
 */
import { print } from '@threadkit/core';
import { currentProcess, Process, threadable } from '@threadkit/multiprocessing';
import { isMain } from '../lib/cli.js';

export const myProcess = threadable(import.meta.url, function myProcess(): void {
  print(`${currentProcess().name} Just performed X`);
});

function main(): void {
  const childProcess = new Process({ target: myProcess, name: 'My-Awesome-Process' });
  childProcess.start();
  childProcess.join();
}

if (isMain(import.meta.url)) main();
