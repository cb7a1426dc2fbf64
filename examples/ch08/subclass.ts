/**
 * Original: Chapter 08/subclass.py
 * Shows: a Process subclass overriding run(): one instance, then one per CPU, each its own PID.
 *
 * The subclass carries `static module = import.meta.url` so the child can rebuild it.
 */
import { print } from '@threadkit/core';
import { cpuCount, currentProcess, Process } from '@threadkit/multiprocessing';
import { isMain } from '../lib/cli.js';

export class MyProcess extends Process {
  static module = import.meta.url;

  override run(): void {
    print(`Child Process PID: ${currentProcess().pid}`);
  }
}

function main(): void {
  print(`Main Process PID: ${currentProcess().pid}`);
  const myProcess = new MyProcess();
  myProcess.start();
  myProcess.join();

  const processes: MyProcess[] = [];
  for (let i = 0; i < cpuCount(); i++) {
    const p = new MyProcess();
    processes.push(p);
    p.start();
  }
  for (const p of processes) p.join();
}

if (isMain(import.meta.url)) main();
