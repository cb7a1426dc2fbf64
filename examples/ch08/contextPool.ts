/**
 * Original: Chapter 08/contextPool.py
 * Shows: a Pool as a context manager (`await using`); map() of a print-only task gives [None, None, None].
 *
 * The workers print 2, 3, 4 in any order. A JavaScript function without a return value returns
 * undefined; the port prints the list as Python would, `[None, None, None]`.
 * With --fast the pool has 2 processes instead of 4 (fewer Node boots; same results).
 */
import { print, threadable } from '@threadkit/core';
import { Pool } from '@threadkit/pool';
import { isMain, poolSize } from '../lib/cli.js';

export const task = threadable(import.meta.url, function task(n: number): void {
  print(n);
});

const pyRepr = (x: unknown) => (x === undefined || x === null ? 'None' : String(x));

async function main(): Promise<void> {
  await using p = new Pool(poolSize(4));
  const results = await p.map(task, [2, 3, 4]);
  print(`[${results.map(pyRepr).join(', ')}]`);
}

if (isMain(import.meta.url)) await main();
