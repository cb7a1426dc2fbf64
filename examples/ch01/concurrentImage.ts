/**
 * Original: Chapter 01/concurrentImage.py
 * Shows: threads speed up I/O-bound work: ten image downloads on ten threads, joined, timed.
 *
 * Compare with sequentialImage.ts: the same ten 0.5 s downloads from a local HTTP server
 * (lib/server.ts; the book's lorempixel.com is gone) take about 0.5 s in all instead of 5 s.
 * Each thread's target is an async function: a threadkit thread runs it on its own event
 * loop and stays alive until it settles, so the main thread can join() it like Python.
 */
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isMainThread } from 'node:worker_threads';
import { print, Thread, threadable } from '@threadkit/core';
import { elapsed, scaled } from '../lib/cli.js';
import { startServer } from '../lib/server.js';

export const downloadImage = threadable(
  import.meta.url,
  async function downloadImage(imagePath: string, fileName: string): Promise<void> {
    print('Downloading Image from ', imagePath);
    const response = await fetch(imagePath);
    writeFileSync(fileName, Buffer.from(await response.arrayBuffer()));
    print(`Completed Download of ${fileName.split('/').pop()} (${statSync(fileName).size} bytes)`);
  },
);

function main(): void {
  const base = startServer(scaled(0.5));
  const temp = mkdtempSync(join(tmpdir(), 'threadkit-images-'));
  try {
    const t0 = performance.now();
    // create ten threads, keep them in a list and start them off
    const threads: Thread[] = [];
    for (let i = 0; i < 10; i++) {
      const imageName = join(temp, `image-${i}.jpg`);
      const thread = new Thread({
        target: downloadImage,
        args: [`${base}/image/${i}.jpg`, imageName],
      });
      threads.push(thread);
      thread.start();
    }
    // wait until every thread has finished before timing the whole
    for (const thread of threads) thread.join();
    print(`Total Execution Time ${elapsed(t0)}`);
  } finally {
    rmSync(temp, { recursive: true, force: true });
  }
}

if (isMainThread) main();
