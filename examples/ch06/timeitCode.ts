/**
 * Original: Chapter 06/timeitCode.py
 * Shows: benchmarking two functions in code: each run twice, once per repeat, and every time printed.
 *
 * Python's `timeit.Timer(...).repeat(repeat=2, number=1)` becomes a tinybench Bench with two
 * iterations and no warm-up; each sample is one call. func1 sleeps 3 s and func2 2 s (scaled
 * by --fast), so the times come out near 3 s and 2 s.
 */
import { print } from '@threadkit/core';
import { Bench } from 'tinybench';
import { isMain, nap } from '../lib/cli.js';

function func1(): void {
  print('Function 1 Executing');
  nap(3);
  print('Function 1 complete');
}

function func2(): void {
  print('Function 2 executing');
  nap(2);
  print('Function 2 complete');
}

/** `timeit.Timer(fn).repeat(repeat, number=1)`: the seconds each call took. */
async function repeat(fn: () => void, times: number): Promise<number[]> {
  const bench = new Bench({
    iterations: times,
    time: 0,
    warmup: false,
    retainSamples: true,
    throws: true,
  });
  bench.add(fn.name, fn, { async: false }); // told, tinybench need not call fn to find out
  await bench.run();
  const samples = bench.getTask(fn.name)?.result;
  if (samples?.state !== 'completed' || !samples.latency.samples)
    throw new Error(`${fn.name}: the benchmark did not complete`);
  return [...samples.latency.samples].map((ms) => ms / 1000);
}

if (isMain(import.meta.url)) {
  for (const t of await repeat(func1, 2)) print(`${t} Seconds: `);
  for (const t of await repeat(func2, 2)) print(`${t} Seconds: `);
}
