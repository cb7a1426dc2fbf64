/**
 * Helpers shared by the example scripts: command-line options (the same in every thread),
 * scaled sleeps, Python-style random integers and reprs, and a stopwatch.
 *
 * Options (every script accepts them; each script says which ones it uses):
 *   --fast              scale every sleep down (x0.05), also THREADKIT_FAST=1
 *   --scale <factor>    scale sleeps by an explicit factor (1 = the book's timings)
 *   --iterations <n>    cap for loops that are endless in the book
 *   --seconds <s>       time cap for loops that are endless in the book
 *   --threads <n>       number of threads, where the book asks for one
 *
 * The options are parsed in the main thread and handed to worker threads and child processes
 * through an environment variable (both copy the environment when they start), so module
 * targets see the same `options` as the main script, like a Python module's globals.
 */
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { isMainThread } from 'node:worker_threads';
import { sleep, type Thread } from '@threadkit/core';

const ENV_ARGS = 'THREADKIT_EXAMPLE_ARGS';

function rawArgs(): string[] {
  // The program's main thread parses its command line; its threads and child processes
  // (which inherit the environment) read the same arguments from the variable.
  if (isMainThread && process.env[ENV_ARGS] === undefined) {
    const args = process.argv.slice(2);
    process.env[ENV_ARGS] = JSON.stringify(args);
    return args;
  }
  try {
    return JSON.parse(process.env[ENV_ARGS] ?? '[]');
  } catch {
    return [];
  }
}

const { values } = parseArgs({
  args: rawArgs(),
  strict: false,
  allowPositionals: true,
  options: {
    fast: { type: 'boolean' },
    scale: { type: 'string' },
    iterations: { type: 'string' },
    seconds: { type: 'string' },
    threads: { type: 'string' },
  },
});

function num(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const n = Number(value);
  return Number.isFinite(n) ? n : undefined;
}

const envFast = process.env.THREADKIT_FAST === '1' || process.env.THREADKIT_FAST === 'true';
const fast = values.fast === true || envFast;

/** The options of this run, the same in every thread. */
export const options = {
  /** `--fast` or THREADKIT_FAST=1: sleeps are scaled down. */
  fast,
  /** Factor applied by {@link scaled} and {@link nap} to the book's sleep times. */
  scale: num(values.scale) ?? (fast ? 0.05 : 1),
  iterations: num(values.iterations),
  seconds: num(values.seconds),
  threads: num(values.threads),
};

/** The book's `seconds`, scaled for this run (`--fast`, `--scale`). */
export function scaled(seconds: number): number {
  return seconds * options.scale;
}

/** `time.sleep(seconds)` with the run's scale applied: blocks the calling thread. */
export function nap(seconds: number): void {
  sleep(scaled(seconds));
}

/** Python's `random.randint(a, b)`: an integer in [a, b], both ends included. */
export function randint(a: number, b: number): number {
  return a + Math.floor(Math.random() * (b - a + 1));
}

/** Python's `str()` of a list of threads: `[<Thread(...)>, <Thread(...)>]`. */
export function reprList(items: readonly (Thread | { toString(): string })[]): string {
  return `[${items.map(String).join(', ')}]`;
}

/** Seconds since `t0` (from `performance.now()`), for "Execution Time" lines. */
export function elapsed(t0: number): number {
  return (performance.now() - t0) / 1000;
}

/** A time for humans: `1.234 s`. */
export function secs(seconds: number): string {
  return `${seconds.toFixed(3)} s`;
}

/**
 * Python's `if __name__ == '__main__':` — true only in the program's entry module, on its main
 * thread. Examples that start child processes need it: a child process imports the module
 * that holds its target, and there `isMainThread` is true as well (it is a new program).
 */
export function isMain(moduleUrl: string): boolean {
  if (!isMainThread || !process.argv[1]) return false;
  try {
    return realpathSync(process.argv[1]) === realpathSync(fileURLToPath(moduleUrl));
  } catch {
    return false;
  }
}

/**
 * The book's pool size `n`, or at most 2 with --fast: each worker process boots its own Node
 * (and tsx), so the fast runs (the tests) start fewer where the output does not depend on it.
 */
export function poolSize(n: number): number {
  return options.fast ? Math.min(n, 2) : n;
}
