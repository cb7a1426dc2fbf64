/**
 * Original: Chapter 03/forkVsCreate.py
 * Shows: how long it takes to start 10 threads, and to start 10 processes.
 *
 * Threads are worker threads (threadkit), processes are child processes
 * (@threadkit/multiprocessing). start() returns once the thread or process is on its way;
 * a Node worker then takes tens of milliseconds to boot its own JavaScript engine (a CPython
 * thread: microseconds), a child process longer still (a whole new Node program).
 * Child processes load this module, so the main code is guarded by isMain(), the port of
 * `if __name__ == '__main__':`.
 */
import { print, sleep, Thread, threadable } from '@threadkit/core';
import { Process } from '@threadkit/multiprocessing';
import { isMain, scaled } from '../lib/cli.js';

export const MyThread = threadable(import.meta.url, function MyThread(seconds: number): void {
  sleep(seconds);
});

function main(): void {
  const t0 = performance.now();
  const threads: Thread[] = [];
  for (let i = 0; i < 10; i++) {
    const thread = new Thread({ target: MyThread, args: [scaled(2)] });
    thread.start();
    threads.push(thread);
  }
  const t1 = performance.now();
  print(`Total Time for Creating 10 Threads: ${(t1 - t0) / 1000} seconds`);

  for (const thread of threads) thread.join();
  const t1b = performance.now();
  print(`(10 threads started, slept ${scaled(2)} s and ended in ${(t1b - t0) / 1000} seconds)`);

  const t2 = performance.now();
  const procs: Process[] = [];
  for (let i = 0; i < 10; i++) {
    const proc = new Process({ target: MyThread, args: [scaled(2)] });
    proc.start();
    procs.push(proc);
  }
  const t3 = performance.now();
  print(`Total Time for Creating 10 Processes: ${(t3 - t2) / 1000} seconds`);
  for (const proc of procs) proc.join();
  const t3b = performance.now();
  print(`(10 processes started, slept ${scaled(2)} s and ended in ${(t3b - t2) / 1000} seconds)`);
  print(
    'On Node a thread is a worker with its own JavaScript engine: it takes milliseconds to boot ' +
      '(a CPython thread: microseconds), a process longer still (a whole new Node program).',
  );
}

if (isMain(import.meta.url)) main();
