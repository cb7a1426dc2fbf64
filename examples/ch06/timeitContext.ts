/**
 * Original: Chapter 06/timeitContext.py
 * Shows: timing one HTTP request with the Timer of timer.ts in a `using` block (Python's `with`).
 *
 * The book fetched https://tutorialedge.net; the port fetches the Example Domain page from the
 * examples' own HTTP server (lib/server.ts, 127.0.0.1, each response delayed 0.5 s, scaled by
 * --fast), so no certificate checks need turning off and nothing reaches the internet.
 */
import { print } from '@threadkit/core';
import { scaled } from '../lib/cli.js';
import { startServer } from '../lib/server.js';
import { Timer } from './timer.js';

const base = startServer(scaled(0.5));

async function myFunction(): Promise<void> {
  let t: Timer;
  {
    using timer = new Timer();
    t = timer;
    const response = await fetch(`${base}/`, { headers: { 'User-Agent': 'Mozilla/5.0' } });
    await response.text();
  }
  print(`Elapsed Time: ${t.elapsed} seconds`);
}

await myFunction();
