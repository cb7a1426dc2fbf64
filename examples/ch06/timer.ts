/**
 * Original: Chapter 06/timer.py
 * Shows: a Timer to use with `using` (Python's `with Timer() as t:`): it measures the block it guards.
 *
 * Python's __enter__/__exit__ become the constructor and [Symbol.dispose]. The original only
 * defines the class (timeitContext imports it); run on its own, the port also times a 0.5 s
 * sleep (scaled by --fast) with `verbose` on, so it has something to show.
 */
import { print } from '@threadkit/core';
import { isMain, nap } from '../lib/cli.js';

/** Times the scope it is declared in: `using t = new Timer(); …` then `t.elapsed` (seconds). */
export class Timer implements Disposable {
  /** Seconds the scope took; set when the scope ends. */
  elapsed = 0;
  readonly #start = performance.now();

  constructor(readonly verbose = false) {}

  [Symbol.dispose](): void {
    this.elapsed = (performance.now() - this.#start) / 1000;
    if (this.verbose) print(`Time taken to execute function: ${this.elapsed}`);
  }
}

if (isMain(import.meta.url)) {
  using _t = new Timer(true);
  nap(0.5);
}
