/**
 * Thread start-up: `Thread.start()` until the target runs, warm (a finished thread's worker is
 * reused) and cold (a new worker every time), beside a raw `new Worker()` and CPython's
 * `threading.Thread`; start + join of 100 short threads in a row; memory per live idle thread.
 */
import { Worker } from 'node:worker_threads';
import { prewarm, setWarmWorkerSettings, Thread } from '@threadkit/core';
import { summarize } from '../lib/stats.js';
import { defineSuite, type Figure } from '../lib/types.js';

export interface Params {
  warm: number;
  cold: number;
  batch: number;
  idle: number;
}

/** The target: say "running" through shared memory, so the timing ends where the target starts. */
function signal(flag: Int32Array): void {
  Atomics.store(flag, 0, 1);
  Atomics.notify(flag, 0);
}

function startLatencies(count: number): number[] {
  const flag = new Int32Array(new SharedArrayBuffer(4));
  const out: number[] = [];
  for (let i = 0; i < count; i++) {
    Atomics.store(flag, 0, 0);
    const t0 = performance.now();
    const t = new Thread({ target: signal, args: [flag] });
    t.start();
    Atomics.wait(flag, 0, 0, 30_000);
    out.push(performance.now() - t0);
    t.join();
  }
  return out;
}

const RAW_CODE = `
const { workerData, parentPort } = require('node:worker_threads');
Atomics.store(workerData, 0, 1);
Atomics.notify(workerData, 0);
if (workerData[1] === 1) parentPort.on('message', () => process.exit(0));
`;

async function rawWorkerLatencies(count: number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < count; i++) {
    const flag = new Int32Array(new SharedArrayBuffer(8));
    const t0 = performance.now();
    const w = new Worker(RAW_CODE, { eval: true, workerData: flag });
    Atomics.wait(flag, 0, 0, 30_000);
    out.push(performance.now() - t0);
    await new Promise((r) => w.once('exit', r));
  }
  return out;
}

function rss(): number {
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage().rss;
}

function latencyFigure(
  id: string,
  label: string,
  samples: number[],
  source: Figure['source'],
): Figure {
  const stats = summarize(samples, 1000);
  return { id, label, value: stats.p50!, unit: 'µs (p50)', source, stats };
}

export default defineSuite<Params>({
  name: 'thread-start',
  title: 'thread start-up: start() until the target runs',
  description:
    "`Thread.start()` until the target's first statement runs (it flips a word in shared memory " +
    "that the starter waits on): warm — the previous thread's worker is reused — and cold — " +
    '`setWarmWorkerSettings({ reuse: false })`, a new worker each time — beside a raw ' +
    "`new Worker(code, { eval: true })` signalling the same way, and CPython's `Thread.start()` " +
    'until its target runs. Then start + join of `batch` threads in a row (ms for all), and ' +
    'the RSS of `idle` live idle threads (prewarmed workers; raw Workers waiting for a ' +
    'message; CPython threads blocked on an Event), per thread.',
  goal: "warm p50 within 2× of CPython's Thread.start(); cold p50 within 1.1× of a raw Worker.",
  params: (quick) => ({ warm: quick ? 200 : 2000, cold: quick ? 10 : 30, batch: 100, idle: 8 }),
  rows: [
    { figure: 'tk.warm', baselines: ['py.start'], goal: [{ vs: 'py.start', maxRatio: 2 }] },
    {
      figure: 'tk.cold',
      baselines: ['node.worker', 'py.start'],
      goal: [{ vs: 'node.worker', maxRatio: 1.1 }],
    },
    { figure: 'tk.batch', baselines: ['py.batch'] },
    { figure: 'tk.idle', baselines: ['node.idle', 'py.idle'] },
  ],
  async run({ params, log }) {
    const out: Figure[] = [];
    log('warm starts');
    await prewarm(1);
    startLatencies(50);
    out.push(
      latencyFigure(
        'tk.warm',
        'threadkit Thread.start() (warm)',
        startLatencies(params.warm),
        'threadkit',
      ),
    );

    log('start + join in a row');
    const t0 = performance.now();
    for (let i = 0; i < params.batch; i++) {
      const t = new Thread({ target: () => {} });
      t.start();
      t.join();
    }
    const batchMs = performance.now() - t0;
    out.push({
      id: 'tk.batch',
      label: `threadkit start+join ×${params.batch}`,
      value: batchMs,
      unit: 'ms',
      source: 'threadkit',
    });

    log('cold starts');
    setWarmWorkerSettings({ reuse: false });
    out.push(
      latencyFigure(
        'tk.cold',
        'threadkit Thread.start() (cold)',
        startLatencies(params.cold),
        'threadkit',
      ),
    );
    setWarmWorkerSettings({ reuse: true });
    out.push(
      latencyFigure(
        'node.worker',
        'raw new Worker()',
        await rawWorkerLatencies(params.cold),
        'node',
      ),
    );

    log('memory per idle thread');
    const before = rss();
    const workers: Worker[] = [];
    for (let i = 0; i < params.idle; i++) {
      const flag = new Int32Array(new SharedArrayBuffer(8));
      flag[1] = 1;
      workers.push(new Worker(RAW_CODE, { eval: true, workerData: flag }));
      Atomics.wait(flag, 0, 0, 30_000);
    }
    const rawPer = (rss() - before) / params.idle;
    for (const w of workers) w.postMessage('exit');
    await Promise.all(workers.map((w) => new Promise((r) => w.once('exit', r))));
    const before2 = rss();
    await prewarm(params.idle + 1);
    const tkPer = (rss() - before2) / params.idle;
    out.push({
      id: 'node.idle',
      label: 'raw idle Worker',
      value: rawPer / 1048576,
      unit: 'MiB/thread',
      source: 'node',
    });
    out.push({
      id: 'tk.idle',
      label: 'threadkit idle warm thread',
      value: tkPer / 1048576,
      unit: 'MiB/thread',
      source: 'threadkit',
    });
    return out;
  },
});
