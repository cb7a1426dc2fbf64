/**
 * Original: Chapter 02/ioBottleneck3.py
 * Shows: fetch a page (I/O-bound: waiting), then list its links (CPU work), timing each part.
 *
 * Fixes the book's last line, which printed the bound `format` method instead of the time.
 * The book parsed the page with BeautifulSoup; the port reads the `<a href>`s with a regular
 * expression (enough for this page). The page comes from a local HTTP server
 * (lib/server.ts) that takes 0.5 s to answer, instead of http://www.example.com.
 */
import { print } from '@threadkit/core';
import { elapsed, scaled } from '../lib/cli.js';
import { findLinks, startServer } from '../lib/server.js';

const base = startServer(scaled(0.5));
const t0 = performance.now();
const req = await fetch(`${base}/`);
const html = await req.text();
print(`Total Time To Fetch Page: ${elapsed(t0)} Seconds`);

for (const link of findLinks(html)) print(link);

print(`Total Execution Time: ${elapsed(t0)} Seconds`);
