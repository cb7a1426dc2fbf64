/**
 * Tiny tasks through a thread pool: the cost of the machinery itself. threadkit's
 * ThreadPoolExecutor (Futures, the cancel hand-shake, error and shared-object encoding) beside
 * raw piscina running the same function (what it is built on) and CPython's
 * ThreadPoolExecutor. Two shapes: a burst (submit every task, then await them all: throughput)
 * and one at a time (submit, await, repeat: round-trip latency).
 */
import { fileURLToPath } from 'node:url';
import { Pool, ProcessPoolExecutor, ThreadPool, ThreadPoolExecutor } from '@threadkit/pool';
import { Piscina } from 'piscina';
import { FixedThreadPool } from 'poolifier';
import { Tinypool } from 'tinypool';
import workerpool from 'workerpool';
import { median, summarize } from '../lib/stats.js';
import { executorSide, type TaskSide as Side } from '../lib/task-sides.js';
import { defineSuite, type Figure } from '../lib/types.js';

export interface Params {
  /** Tasks per burst. */
  tasks: number;
  /** Timed bursts (the median is the figure); one untimed burst warms up first. */
  repeats: number;
  /** Round trips timed one at a time. */
  sequential: number;
  /** Threads in each pool. */
  workers: number;
}

const ECHO = new URL('./pool/echo-worker.mjs', import.meta.url).href;
const POOLIFIER_TASK = fileURLToPath(new URL('./pool/poolifier-worker.mjs', import.meta.url));
const WORKERPOOL_TASK = fileURLToPath(new URL('./pool/workerpool-worker.mjs', import.meta.url));

function threadkitSide(workers: number): Side {
  const ex = new ThreadPoolExecutor({ maxWorkers: workers });
  return executorSide(ex, {
    id: 'tk',
    label: 'threadkit ThreadPoolExecutor',
    source: 'threadkit',
    close: () => ex.shutdown(),
  });
}

/** Python's multiprocessing-style pools: `applyAsync(inc, [x])`, then `get()`. */
function mpPoolSide(kind: 'thread' | 'process', workers: number): Side {
  const pool = kind === 'thread' ? new ThreadPool(workers) : new Pool(workers);
  const inc = (x: number) => x + 1;
  return {
    id: kind === 'thread' ? 'tk.threadpool' : 'tk.mppool',
    label: kind === 'thread' ? 'threadkit ThreadPool' : 'threadkit Pool (processes)',
    source: 'threadkit',
    async burst(n) {
      const rs = new Array(n);
      for (let i = 0; i < n; i++) rs[i] = pool.applyAsync(inc, [i]);
      for (let i = 0; i < n; i++) await rs[i].get();
    },
    one: (x) => pool.applyAsync(inc, [x]).get(),
    async close() {
      pool.close();
      await pool.join();
    },
  };
}

function processExecutorSide(workers: number): Side {
  const ex = new ProcessPoolExecutor({ maxWorkers: workers });
  return executorSide(ex, {
    id: 'tk.procs',
    label: 'threadkit ProcessPoolExecutor',
    source: 'threadkit',
    close: () => ex.shutdown(),
  });
}

function piscinaSide(workers: number): Side {
  const pool = new Piscina({
    filename: ECHO,
    minThreads: workers,
    maxThreads: workers,
    recordTiming: false,
  });
  return {
    id: 'node',
    label: 'raw piscina',
    source: 'node',
    async burst(n) {
      const ps = new Array(n);
      for (let i = 0; i < n; i++) ps[i] = pool.run(i);
      for (let i = 0; i < n; i++) await ps[i];
    },
    one: (x) => pool.run(x),
    close: () => pool.destroy(),
  };
}

/** A peer pool whose `run` takes the argument and resolves to the result. */
function peerSide(
  id: string,
  label: string,
  run: (x: number) => Promise<unknown>,
  close: () => Promise<unknown>,
): Side {
  return {
    id,
    label,
    source: 'node',
    async burst(n) {
      const ps = new Array(n);
      for (let i = 0; i < n; i++) ps[i] = run(i);
      for (let i = 0; i < n; i++) await ps[i];
    },
    one: run,
    close: async () => {
      await close();
    },
  };
}

function tinypoolSide(workers: number): Side {
  const pool = new Tinypool({ filename: ECHO, minThreads: workers, maxThreads: workers });
  return peerSide(
    'tinypool',
    'tinypool',
    (x) => pool.run(x),
    () => pool.destroy(),
  );
}

function poolifierSide(workers: number): Side {
  const pool = new FixedThreadPool<number, number>(workers, POOLIFIER_TASK);
  return peerSide(
    'poolifier',
    'poolifier FixedThreadPool',
    (x) => pool.execute(x),
    () => pool.destroy(),
  );
}

function workerpoolSide(workers: number): Side {
  const pool = workerpool.pool(WORKERPOOL_TASK, {
    minWorkers: workers,
    maxWorkers: workers,
    workerType: 'thread',
  });
  return peerSide(
    'workerpool',
    'workerpool',
    // workerpool's own Promise class is a thenable, not a native Promise: await it.
    async (x) => await pool.exec('inc', [x]),
    async () => await pool.terminate(),
  );
}

/**
 * Measure every side, interleaved (a burst of each in turn, then slices of the one-at-a-time
 * loop in turn), so that load from elsewhere on a 2-core machine hits the sides alike.
 */
async function measure(sides: Side[], params: Params): Promise<Figure[]> {
  const { tasks, repeats, sequential } = params;
  for (const side of sides) await side.burst(tasks); // warm-up: threads started, code compiled
  const seconds = sides.map(() => [] as number[]);
  for (let r = 0; r < repeats; r++) {
    for (const [k, side] of sides.entries()) {
      const t0 = performance.now();
      await side.burst(tasks);
      seconds[k].push((performance.now() - t0) / 1000);
    }
  }
  for (const side of sides) for (let i = 0; i < 200; i++) await side.one(i);
  const times = sides.map(() => new Float64Array(sequential));
  const SLICE = 250;
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
    const rates = seconds[k].map((s) => tasks / s);
    const stats = summarize(times[k], 1000);
    return [
      {
        id: `${side.id}.burst`,
        label: `${side.label}: burst`,
        source: side.source,
        value: tasks / median(seconds[k]),
        unit: 'tasks/s',
        better: 'higher',
        stats: { ...summarize(rates), samples: repeats },
        note: `${tasks} submits, then await all (median of ${repeats})`,
      },
      {
        id: `${side.id}.one`,
        label: `${side.label}: one at a time`,
        source: side.source,
        value: stats.p50!,
        unit: 'µs/task',
        stats,
        note: 'submit, await the result, repeat',
      },
    ];
  });
}

export default defineSuite<Params>({
  name: 'pool-tiny-tasks',
  title: 'tiny tasks through a thread pool (submit + await)',
  description:
    'A pool of `workers` threads runs `x => x + 1`. **Burst**: submit `tasks` tasks, then await ' +
    'every result; the figure is tasks per second (median of `repeats` bursts, after one warm-up ' +
    'burst). **One at a time**: submit one task and await it, `sequential` times; the figure is ' +
    "the median round trip. The Node sides are measured interleaved. threadkit's ThreadPoolExecutor (Futures, the cancel hand-shake in " +
    'shared memory) beside raw piscina running the same function from a file (what the executor ' +
    'is built on), the peer pools tinypool, poolifier and workerpool (threads, same function), ' +
    "and CPython's ThreadPoolExecutor with the same number of threads. Then the multiprocessing-" +
    'style `ThreadPool` and `Pool` (`applyAsync(inc, [x])` then `get()`) and the ' +
    "`ProcessPoolExecutor`, each beside CPython's `multiprocessing.pool.ThreadPool`, " +
    '`multiprocessing.Pool` (`apply_async`) and `ProcessPoolExecutor` with as many workers.',
  goal:
    'ThreadPoolExecutor at least as fast as CPython and as every Node pool (piscina, tinypool, ' +
    'poolifier, workerpool), burst and one at a time.',
  params: (quick) => ({
    tasks: 20_000,
    repeats: quick ? 3 : 7,
    sequential: quick ? 1000 : 5000,
    workers: 2,
  }),
  rows: [
    {
      figure: 'tk.burst',
      baselines: [
        'node.burst',
        'tinypool.burst',
        'poolifier.burst',
        'workerpool.burst',
        'py.burst',
      ],
      goal: [
        { vs: 'node.burst', maxRatio: 1 },
        { vs: 'tinypool.burst', maxRatio: 1 },
        { vs: 'poolifier.burst', maxRatio: 1 },
        { vs: 'workerpool.burst', maxRatio: 1 },
        { vs: 'py.burst', maxRatio: 1 },
      ],
    },
    {
      figure: 'tk.one',
      baselines: ['node.one', 'tinypool.one', 'poolifier.one', 'workerpool.one', 'py.one'],
      goal: [
        { vs: 'node.one', maxRatio: 1 },
        { vs: 'tinypool.one', maxRatio: 1 },
        { vs: 'poolifier.one', maxRatio: 1 },
        { vs: 'workerpool.one', maxRatio: 1 },
        { vs: 'py.one', maxRatio: 1 },
      ],
    },
    ...(
      [
        ['tk.threadpool', 'py.threadpool'],
        ['tk.mppool', 'py.mppool'],
        ['tk.procs', 'py.procs'],
      ] as const
    ).flatMap(([tk, py]) =>
      (['burst', 'one'] as const).map((shape) => ({
        figure: `${tk}.${shape}`,
        baselines: [`${py}.${shape}`],
        goal: [{ vs: `${py}.${shape}`, maxRatio: 1 }],
      })),
    ),
  ],
  async run({ params, log }) {
    const sides = [
      piscinaSide(params.workers),
      tinypoolSide(params.workers),
      poolifierSide(params.workers),
      workerpoolSide(params.workers),
      threadkitSide(params.workers),
      mpPoolSide('thread', params.workers),
      mpPoolSide('process', params.workers),
      processExecutorSide(params.workers),
    ];
    log(sides.map((s) => s.label).join(' and '));
    try {
      return await measure(sides, params);
    } finally {
      for (const side of sides) await side.close();
    }
  },
});
