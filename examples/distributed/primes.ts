/**
 * Shows: the book's prime check (chapter 7's poolImprovement) on a DistributedExecutor with two
 * local workers, beside a ThreadPoolExecutor's verdicts and time.
 *
 * Not a book chapter: @threadkit/distributed is concurrent.futures' Executor across machines,
 * on BullMQ and Redis (dask.distributed's `Client.get_executor()` in Python). The script needs
 * a Redis: `--connection redis://HOST:PORT` (or REDIS_URL), else it starts a `redis-server`
 * from PATH on a free port. It then starts two `threadkit-worker` processes in this project
 * (each with 2 threads, 1 with --fast; the workers import `isPrime` from their copy of this
 * file) and a ThreadPoolExecutor with as many threads in all, checks the book's 15 numbers
 * --iterations times (default 4; once with --fast) on both executors, and
 * prints the verdicts, whether they agree, and both times. With everything on one machine,
 * the distributed run pays Redis's round trips on top of the same work; the point is the same
 * interface and the same answers.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { print, threadable } from '@threadkit/core';
import { DistributedExecutor } from '@threadkit/distributed';
import { type Executor, ThreadPoolExecutor } from '@threadkit/pool';
import { elapsed, isMain, options } from '../lib/cli.js';
import { isPrimeBook, PRIMES, pyBool } from '../lib/primes.js';

export const isPrime = threadable(import.meta.url, function isPrime(n: number): boolean {
  return isPrimeBook(n);
});

/** Which worker process ran the call; it takes 0.3 s, so that one worker cannot take them all. */
export const workerPid = threadable(import.meta.url, async function workerPid(): Promise<number> {
  await new Promise((resolve) => setTimeout(resolve, 300));
  return process.pid;
});

const here = dirname(fileURLToPath(import.meta.url));
const projectRoot = join(here, '..');

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer().on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

/** Start `command args`, resolve once its output contains `ready`. */
function startUntil(
  command: string,
  args: string[],
  ready: string,
  cwd: string,
): Promise<ChildProcess> {
  const child = spawn(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes(ready)) resolve(child);
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`${command} exited (${code}): ${out}`)));
  });
}

/** A redis-server of our own, in a temporary directory, without persistence. */
async function startRedis(): Promise<{ url: string; stop(): Promise<void> }> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'threadkit-example-redis-'));
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', ''];
  const child = await startUntil('redis-server', args, 'Ready to accept connections', dir);
  return {
    url: `redis://127.0.0.1:${port}`,
    stop: async () => {
      await stopChild(child);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

/** The `threadkit-worker` program of @threadkit/distributed. */
function workerCli(): string {
  const require = createRequire(import.meta.url);
  const pkgJson = require.resolve('@threadkit/distributed/package.json');
  return join(dirname(pkgJson), require(pkgJson).bin['threadkit-worker']);
}

/** Threads per worker; the local pool gets as many as both workers together. */
const threadsPerWorker = options.fast ? 1 : 2;

async function timeMap(
  executor: Executor,
  inputs: number[],
): Promise<{ seconds: number; verdicts: boolean[] }> {
  // warm up: every worker thread loads this module once before the clock starts
  const threads = 2 * threadsPerWorker;
  await Promise.all(Array.from({ length: threads }, () => executor.submit(isPrime, 3).result()));
  const t0 = performance.now();
  const verdicts: boolean[] = [];
  for await (const prime of executor.map(isPrime, inputs)) verdicts.push(prime);
  return { seconds: elapsed(t0), verdicts };
}

async function main(): Promise<void> {
  const { values } = parseArgs({ strict: false, options: { connection: { type: 'string' } } });
  const rounds = options.iterations ?? (options.fast ? 1 : 4);
  const inputs = Array.from({ length: rounds }, () => PRIMES).flat();
  print(`Checking ${PRIMES.length} numbers x ${rounds} rounds`);

  let local: { seconds: number; verdicts: boolean[] };
  {
    await using pool = new ThreadPoolExecutor({ maxWorkers: 2 * threadsPerWorker });
    local = await timeMap(pool, inputs);
  }

  const given = typeof values.connection === 'string' ? values.connection : process.env.REDIS_URL;
  const redis = given ? null : await startRedis();
  const url = given ?? (redis as { url: string }).url;
  const queue = `primes-${process.pid}`;
  const workers: ChildProcess[] = [];
  try {
    const args = [
      workerCli(),
      '--connection',
      url,
      '--queue',
      queue,
      '--concurrency',
      String(threadsPerWorker),
    ];
    for (let i = 0; i < 2; i++) {
      workers.push(await startUntil(process.execPath, args, 'threadkit-worker ready', projectRoot));
    }
    await using ex = new DistributedExecutor({ connection: url, queue });
    const remote = await timeMap(ex, inputs);
    // Which workers took part (each call is one job; both workers take jobs from the queue).
    const pids = new Set(
      await Promise.all(Array.from({ length: 8 }, () => ex.submit(workerPid).result())),
    );

    remote.verdicts.slice(0, PRIMES.length).forEach((prime, i) => {
      print(`${PRIMES[i]} is prime: ${pyBool(prime)}`);
    });
    const agree = remote.verdicts.every((v, i) => v === local.verdicts[i]);
    print(`Both executors agree on all ${inputs.length} verdicts: ${pyBool(agree)}`);
    print(`Worker processes that ran tasks: ${pids.size}`);
    const n = threadsPerWorker;
    print(`${local.seconds} Seconds Needed for ThreadPoolExecutor (${2 * n} threads)`);
    print(
      `${remote.seconds} Seconds Needed for DistributedExecutor (2 workers x ${n} threads, via ${url})`,
    );
  } finally {
    await Promise.all(workers.map(stopChild));
    await redis?.stop();
  }
}

if (isMain(import.meta.url)) await main();
