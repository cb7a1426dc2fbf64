/**
 * Original: Chapter 01/sequentialImage.py
 * Shows: the sequential baseline for I/O-bound work: ten image downloads, one after another.
 *
 * The book downloaded from lorempixel.com (long gone). This port starts a local HTTP server
 * (lib/server.ts, in a daemon thread) whose every response takes 0.5 s, like a slow network,
 * and saves the images in a temporary directory that it removes at the end.
 */
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { print } from '@threadkit/core';
import { elapsed, scaled } from '../lib/cli.js';
import { startServer } from '../lib/server.js';

async function downloadImage(imagePath: string, fileName: string): Promise<void> {
  print('Downloading Image from ', imagePath);
  const response = await fetch(imagePath);
  writeFileSync(fileName, Buffer.from(await response.arrayBuffer()));
  print(`Saved ${fileName.split('/').pop()} (${statSync(fileName).size} bytes)`);
}

const base = startServer(scaled(0.5));
const temp = mkdtempSync(join(tmpdir(), 'threadkit-images-'));
try {
  const t0 = performance.now();
  for (let i = 0; i < 10; i++) {
    await downloadImage(`${base}/image/${i}.jpg`, join(temp, `image-${i}.jpg`));
  }
  print(`Total Execution Time ${elapsed(t0)}`);
} finally {
  rmSync(temp, { recursive: true, force: true });
}
