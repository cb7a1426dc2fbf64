/**
 * Original: Chapter 07/asCompleted.py
 * Shows: asCompleted() hands back the futures of four URL checks in the order they finish.
 *
 * The book crawled the author's local Hugo site (localhost:1313); the port checks four pages of
 * the examples' own HTTP server (lib/server.ts, started by the script on 127.0.0.1, each
 * response delayed 0.5 s, scaled by --fast). A ThreadPoolExecutor(3) runs the checks, so the
 * fourth waits for a free thread. The task is async (fetch); its thread waits for the promise.
 */
import { print, threadable } from '@threadkit/core';
import { asCompleted, ThreadPoolExecutor } from '@threadkit/pool';
import { isMain, scaled } from '../lib/cli.js';
import { startServer } from '../lib/server.js';

export const checkStatus = threadable(
  import.meta.url,
  async function checkStatus(url: string): Promise<[number, string]> {
    print(`Attempting to crawl URL: ${url}`);
    const response = await fetch(url, { headers: { 'User-Agent': 'Mozilla/5.0' } });
    await response.arrayBuffer();
    return [response.status, url];
  },
);

function printStatus([code, url]: [number, string]): void {
  print(`URL Crawled with status code: (${code}, '${url}')`);
}

async function main(): Promise<void> {
  const base = startServer(scaled(0.5));
  const URLS = [
    `${base}/`,
    `${base}/site/index.html`,
    `${base}/site/page-1.html`,
    `${base}/site/page-2.html`,
  ];
  await using executor = new ThreadPoolExecutor({ maxWorkers: 3 });
  const tasks = URLS.map((url) => executor.submit(checkStatus, url));
  for await (const future of asCompleted(tasks)) printStatus(await future.result());
}

if (isMain(import.meta.url)) await main();
