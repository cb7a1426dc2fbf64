/**
 * Original: Chapter 02/ioBottleneck.py
 * Shows: an I/O-bound baseline: the time to fetch one web page is time spent waiting.
 *
 * The book fetched http://www.example.com; this port fetches a copy of that page from a local
 * HTTP server (lib/server.ts, in a daemon thread) that takes 0.5 s to answer.
 */
import { print } from '@threadkit/core';
import { elapsed, scaled } from '../lib/cli.js';
import { startServer } from '../lib/server.js';

const base = startServer(scaled(0.5));
const t0 = performance.now();
const req = await fetch(`${base}/`);
const pageHtml = await req.text();
const t1 = elapsed(t0);
print(`Fetched ${pageHtml.length} characters`);
print(`Total Time To Fetch Page: ${t1} Seconds`);
