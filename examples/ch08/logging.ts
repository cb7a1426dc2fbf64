/**
 * Original: Chapter 08/logging.py
 * Shows: Pool workers log to one file, each line tagged with the name of the process that wrote it.
 *
 * Fixed: the original's format string `%(asctime)%s` is broken (every record fails with
 * "--- Logging error ---"); the port uses the intended `%(processName)-10s %(asctime)s
 * %(levelname)s %(message)s`. Node has no `logging` module: `basicConfig`/`info` below are a
 * few lines that append formatted records to the file (one write per record, so lines from
 * different processes never mix). The file is `myapp.log` in the current directory, or
 * `--log-file <path>`; the main process passes the path to its workers through the
 * environment, as they inherit it. After the pool is done the script prints the file.
 * Differs: @threadkit/pool's workers do not get Python's `SpawnPoolWorker-N` names
 * (currentProcess().name is 'MainProcess' there), so a pool initializer names each worker
 * `PoolWorker-<pid>`. With --fast the pool has 2 processes instead of 4.
 */
import { appendFileSync, readFileSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { print, threadable } from '@threadkit/core';
import { currentProcess } from '@threadkit/multiprocessing';
import { Pool } from '@threadkit/pool';
import { isMain, poolSize } from '../lib/cli.js';

const LOG_ENV = 'THREADKIT_EXAMPLE_LOG_FILE';

/** Python's `logging.basicConfig(filename, level=INFO, format=…)`, reduced to what the book uses. */
function basicConfig(filename: string) {
  const two = (n: number, w = 2) => String(n).padStart(w, '0');
  // Python's default asctime: 2017-05-18 21:08:42,123
  const asctime = (d: Date) =>
    `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())} ` +
    `${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())},${two(d.getMilliseconds(), 3)}`;
  return {
    info(message: string): void {
      const processName = currentProcess().name.padEnd(10);
      appendFileSync(filename, `${processName} ${asctime(new Date())} INFO ${message}\n`);
    },
  };
}

const logging = basicConfig(process.env[LOG_ENV] ?? 'myapp.log');

/** Pool initializer: give the worker a name for %(processName)s (see the header). */
export const nameWorker = threadable(import.meta.url, function nameWorker(): void {
  currentProcess().name = `PoolWorker-${process.pid}`;
});

export const myTask = threadable(import.meta.url, function myTask(n: number): number {
  logging.info(`${n} being processed`);
  logging.info(`Final Result: ${n * 2}`);
  return n * 2;
});

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { 'log-file': { type: 'string' } },
    strict: false,
    allowPositionals: true,
  });
  const file = resolve(typeof values['log-file'] === 'string' ? values['log-file'] : 'myapp.log');
  process.env[LOG_ENV] = file; // set before the workers start: they inherit it
  rmSync(file, { force: true });
  {
    await using p = new Pool({ processes: poolSize(4), initializer: nameWorker });
    await p.map(myTask, [2, 3, 4, 5, 6]);
  }
  print(`${file}:`);
  process.stdout.write(readFileSync(file, 'utf8'));
}

if (isMain(import.meta.url)) await main();
