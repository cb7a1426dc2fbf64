/**
 * Original: Chapter 06/timeitTest.py
 * Shows: a threaded program to time from the command line: three threads, five random sleeps each.
 *
 * The book times it with `time python timeitTest.py`; here: `time pnpm example ch06/timeitTest`
 * (or `time npx tsx examples/ch06/timeitTest.ts`). Each sleep is 1–5 s (scaled by --fast), so
 * the threads wait at the same time and the program takes about as long as its slowest thread,
 * not the sum. The port prints that comparison at the end, since it knows both.
 */
import { print, Thread, threadable, Value } from '@threadkit/core';
import { elapsed, isMain, nap, randint, scaled } from '../lib/cli.js';

export const myWorker = threadable(import.meta.url, function myWorker(slept: Value): void {
  for (let i = 0; i < 5; i++) {
    print('Starting wait time');
    const s = randint(1, 5);
    nap(s);
    slept.getLock().withLock(() => {
      slept.value += s;
    });
    print('Completed Wait');
  }
});

if (isMain(import.meta.url)) {
  const t0 = performance.now();
  const slept = new Value('d', 0);
  const threads = [1, 2, 3].map(() => new Thread({ target: myWorker, args: [slept] }));
  for (const t of threads) t.start();
  for (const t of threads) t.join();
  print(
    `Wall time ${elapsed(t0).toFixed(3)} s for ${scaled(slept.value).toFixed(3)} s of sleeps ` +
      'in all: the threads slept at the same time.',
  );
}
