/**
 * Tasks through Redis: threadkit's DistributedExecutor and worker (BullMQ underneath) beside raw
 * BullMQ doing the same work (a Queue, a Worker that runs x + 1 on a worker thread, QueueEvents
 * for the outcome), beside raw BullMQ running x + 1 inline (no thread hop, a lower bound) and
 * beside the local ThreadPoolExecutor. The Redis sides run their worker in this process
 * (concurrency 2) against a redis-server of their own (from PATH, free port).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DistributedExecutor, startWorker } from '@threadkit/distributed';
import { ThreadPoolExecutor } from '@threadkit/pool';
import { Queue, QueueEvents, Worker } from 'bullmq';
import { median, summarize } from '../lib/stats.js';
import { executorSide, type TaskSide as Side } from '../lib/task-sides.js';
import { defineSuite, type Figure } from '../lib/types.js';

export interface Params {
  /** Tasks per burst. */
  tasks: number;
  /** Timed bursts (the median is the figure), after one untimed. */
  repeats: number;
  /** Round trips timed one at a time. */
  sequential: number;
  /** Tasks run at once by the worker (threads of the local pool). */
  concurrency: number;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer().on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

async function startRedis(): Promise<{ url: string; stop(): Promise<void> }> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'threadkit-bench-redis-'));
  const child: ChildProcess = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', ''],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  await new Promise<void>((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('Ready to accept connections')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`redis-server exited (${code}): ${out}`)));
  });
  return {
    url: `redis://127.0.0.1:${port}`,
    stop: () =>
      new Promise((resolve) => {
        child.once('exit', () => {
          rmSync(dir, { recursive: true, force: true });
          resolve();
        });
        child.kill('SIGTERM');
      }),
  };
}

async function threadkitSide(url: string, concurrency: number): Promise<Side> {
  const worker = await startWorker({ connection: url, queue: 'tk', concurrency });
  const ex = new DistributedExecutor({ connection: url, queue: 'tk' });
  return executorSide(ex, {
    id: 'tk',
    label: 'threadkit DistributedExecutor',
    source: 'threadkit',
    async close() {
      await ex.shutdown();
      await worker.close();
    },
  });
}

/**
 * Raw BullMQ: Queue.add, Job.waitUntilFinished through QueueEvents, and a Worker whose
 * processor computes `x + 1` on its own event loop (`inline`) or, as threadkit's worker does,
 * on a worker thread (`threads`: BullMQ's sandboxed processor with useWorkerThreads).
 */
async function bullmqSide(
  url: string,
  concurrency: number,
  on: 'inline' | 'threads',
): Promise<Side> {
  const connection = { url, maxRetriesPerRequest: null };
  const name = `raw-${on}`;
  const queue = new Queue(name, { connection });
  queue.setMaxListeners(0); // one 'closing' listener per job waited on
  const events = new QueueEvents(name, { connection });
  const worker =
    on === 'inline'
      ? new Worker(name, async (job) => job.data.x + 1, { connection, concurrency })
      : new Worker(name, new URL('../lib/bullmq-inc-processor.mjs', import.meta.url), {
          connection,
          concurrency,
          useWorkerThreads: true,
        });
  await Promise.all([queue.waitUntilReady(), events.waitUntilReady(), worker.waitUntilReady()]);
  const keep = { removeOnComplete: { age: 3600 }, removeOnFail: { age: 3600 } };
  const one = async (x: number) => (await queue.add('inc', { x }, keep)).waitUntilFinished(events);
  return {
    id: on === 'inline' ? 'node' : 'node-threads',
    label:
      on === 'inline'
        ? 'raw BullMQ, task inline (Queue + Worker + QueueEvents)'
        : 'raw BullMQ, task on a worker thread (sandboxed processor, useWorkerThreads)',
    source: 'node',
    async burst(n) {
      const ps = new Array(n);
      for (let i = 0; i < n; i++) ps[i] = one(i);
      for (let i = 0; i < n; i++) await ps[i];
    },
    one,
    async close() {
      await worker.close();
      await Promise.all([events.close(), queue.close()]);
    },
  };
}

function localSide(concurrency: number): Side {
  const ex = new ThreadPoolExecutor({ maxWorkers: concurrency });
  return executorSide(ex, {
    id: 'local',
    label: 'threadkit ThreadPoolExecutor (local)',
    source: 'threadkit',
    close: () => ex.shutdown(),
  });
}

/** Bursts of each side in turn, then slices of the one-at-a-time loop in turn (interleaved). */
async function measure(sides: Side[], params: Params): Promise<Figure[]> {
  const { tasks, repeats, sequential } = params;
  for (const side of sides) await side.burst(tasks);
  const seconds = sides.map(() => [] as number[]);
  for (let r = 0; r < repeats; r++) {
    for (const [k, side] of sides.entries()) {
      const t0 = performance.now();
      await side.burst(tasks);
      seconds[k].push((performance.now() - t0) / 1000);
    }
  }
  const times = sides.map(() => new Float64Array(sequential));
  const SLICE = 50;
  for (let start = 0; start < sequential; start += SLICE) {
    for (const [k, side] of sides.entries()) {
      for (let i = start; i < Math.min(sequential, start + SLICE); i++) {
        const t0 = performance.now();
        await side.one(i);
        times[k][i] = performance.now() - t0;
      }
    }
  }
  return sides.flatMap((side, k): Figure[] => {
    const stats = summarize(times[k], 1000);
    return [
      {
        id: `${side.id}.burst`,
        label: `${side.label}: burst`,
        source: side.source,
        value: tasks / median(seconds[k]),
        unit: 'tasks/s',
        better: 'higher',
        stats: { ...summarize(seconds[k].map((s) => tasks / s)), samples: repeats },
        note: `${tasks} submits, then await all (median of ${repeats})`,
      },
      {
        id: `${side.id}.one`,
        label: `${side.label}: round trip`,
        source: side.source,
        value: stats.p50 as number,
        unit: 'µs/task',
        stats,
        note: 'submit, await the result, repeat',
      },
    ];
  });
}

export default defineSuite<Params>({
  name: 'distributed',
  title: 'tasks through Redis (DistributedExecutor vs raw BullMQ)',
  description:
    'A redis-server of its own; a worker in this process runs `x => x + 1` with concurrency ' +
    '`concurrency`. **Burst**: submit `tasks` tasks, then await every result (tasks/s, median of ' +
    '`repeats`). **Round trip**: submit one task and await it, `sequential` times (median). ' +
    "threadkit's DistributedExecutor + startWorker (v8-serialised payloads, each task run on the " +
    "worker's ThreadPoolExecutor, Futures) beside raw BullMQ doing the same work — Queue.add, " +
    'Job.waitUntilFinished through QueueEvents, and a Worker that runs each job on a worker ' +
    "thread (BullMQ's sandboxed processor with useWorkerThreads), as threadkit's worker does — " +
    "and, for scale, beside raw BullMQ running `x + 1` inline on the Worker's event loop (no " +
    'thread hop: a lower bound no thread-running worker can reach) and the local ' +
    'ThreadPoolExecutor (no Redis). The sides are measured interleaved.',
  goal:
    'DistributedExecutor costs at most 1.2× raw BullMQ doing the same work (each task on a ' +
    'worker thread), burst and round trip.',
  params: (quick) => ({
    tasks: quick ? 200 : 1000,
    repeats: quick ? 2 : 5,
    sequential: quick ? 100 : 400,
    concurrency: 2,
  }),
  rows: [
    {
      figure: 'tk.burst',
      baselines: ['node-threads.burst', 'node.burst', 'local.burst'],
      goal: [{ vs: 'node-threads.burst', maxRatio: 1.2 }],
    },
    {
      figure: 'tk.one',
      baselines: ['node-threads.one', 'node.one', 'local.one'],
      goal: [{ vs: 'node-threads.one', maxRatio: 1.2 }],
    },
  ],
  python: false,
  async run({ params, log }) {
    const redis = await startRedis();
    const sides: Side[] = [];
    try {
      sides.push(await threadkitSide(redis.url, params.concurrency));
      sides.push(await bullmqSide(redis.url, params.concurrency, 'threads'));
      sides.push(await bullmqSide(redis.url, params.concurrency, 'inline'));
      sides.push(localSide(params.concurrency));
      log(`redis at ${redis.url}; ${sides.length} sides`);
      return await measure(sides, params);
    } finally {
      for (const side of sides) await side.close();
      await redis.stop();
    }
  },
});
