/**
 * Original: Chapter 06/timeitDecorator.py
 * Shows: a timing decorator: timethis(fn) wraps a function and prints how long each call took.
 *
 * Python's `@timethis` on a function becomes a call, `const longRunner = timethis(function
 * long_runner() {…})`: JavaScript has decorators for classes and their members only. The
 * function sleeps three times 1 or 2 s (scaled by --fast); `random.choice(range(1, 3))`.
 */
import { print } from '@threadkit/core';
import { isMain, nap, randint } from '../lib/cli.js';

/** Wrap `func` so that every call prints its run time. */
export function timethis<A extends unknown[], R>(func: (...args: A) => R): (...args: A) => R {
  return function functionTimer(...args: A): R {
    const startTime = performance.now();
    const value = func(...args);
    const runtime = (performance.now() - startTime) / 1000;
    print(`Function ${func.name} took ${runtime} seconds to run`);
    return value;
  };
}

const longRunner = timethis(function long_runner(): void {
  for (let x = 0; x < 3; x++) {
    const sleepTime = randint(1, 2);
    nap(sleepTime);
  }
});

if (isMain(import.meta.url)) longRunner();
