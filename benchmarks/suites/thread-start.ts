/**
 * Thread start-up: `Thread.start()` until the target runs, warm (a finished thread's worker is
 * reused) and cold (a new worker every time), beside a raw `new Worker()` and CPython's
 * `threading.Thread`; start + join of 100 short threads in a row; memory per live idle thread.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { prewarm, setWarmWorkerSettings, Thread } from '@threadkit/core';
import { summarize } from '../lib/stats.js';
import { defineSuite, type Figure } from '../lib/types.js';

export interface Params {
  warm: number;
  cold: number;
  batch: number;
  idle: number;
  /** Fresh programs per first-start figure (start/program.*). */
  programs: number;
}

const START_DIR = fileURLToPath(new URL('../start/', import.meta.url));

/** What a start-up program measures: see start/measure.mjs. */
interface ProgramRun {
  first: number;
  later: number[];
}

/** Run one start-up program in a fresh `node` (`args`: flags, program, what, later, target). */
function runProgram(args: string[], env: Record<string, string> = {}): Promise<ProgramRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, {
      cwd: START_DIR,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
    child.on('error', reject);
    child.on('close', (code) => {
      // Anything on stderr is a failure too: nothing may print at exit.
      if (code !== 0 || err.trim()) {
        reject(new Error(`${args.join(' ')} exited with ${code}: ${err.trim()}`));
        return;
      }
      resolve(JSON.parse(out.trim().split('\n').pop() ?? '') as ProgramRun);
    });
  });
}

/** Bare `node -e` until its first statement (ms), the baseline of a Process start. */
function bareNodeStart(): Promise<number> {
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const child = spawn(
      process.execPath,
      ['-e', 'process.stdout.write(String(process.hrtime.bigint()))'],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let text = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (text += d));
    child.on('error', reject);
    child.on('close', () => resolve(Number(BigInt(text) - t0) / 1e6));
  });
}

interface ProgramFigure {
  id: string;
  label: string;
  note: string;
  /** Node flags and program file; `what` and `target` as start/measure.mjs reads them. */
  args: string[];
  source: Figure['source'];
  /** Take the program's later figures too (Process starts: each child is as cold as the first). */
  withLater?: boolean;
  /** Extra environment (THREADKIT_TS_COMPILE=0: workers load `.ts` modules through tsx). */
  env?: Record<string, string>;
}

/**
 * The same program with `THREADKIT_TS_COMPILE=0`: every worker (or child) registers tsx and
 * transforms the `.ts` module itself, as before compile-once.
 */
function throughTsx(p: ProgramFigure): ProgramFigure {
  return {
    ...p,
    id: `${p.id}.viatsx`,
    label: `${p.label}, through tsx`,
    note: 'THREADKIT_TS_COMPILE=0: each worker registers tsx and transforms the module',
    env: { THREADKIT_TS_COMPILE: '0' },
  };
}

const TSX = ['--import', 'tsx'];

/** First starts in fresh programs of each kind, one figure per kind (the median, ms). */
const KINDS: ProgramFigure[] = [
  {
    id: 'node.first',
    label: 'raw new Worker(), first in a program',
    note: 'an eval Worker, first of a fresh ESM program',
    args: ['program.mjs', 'raw'],
    source: 'node',
  },
  {
    id: 'tk.first.esm',
    label: 'threadkit first Thread.start(), compiled ESM',
    note: 'a module target of an .mjs module',
    args: ['program.mjs', 'start', '0', 'module'],
    source: 'threadkit',
  },
  {
    id: 'tk.first.cjs',
    label: 'threadkit first Thread.start(), CommonJS',
    note: 'a module target of a .cjs module',
    args: ['program.cjs', 'start', '0', 'module'],
    source: 'threadkit',
  },
  {
    id: 'tk.first.tsx',
    label: 'threadkit first Thread.start(), tsx, .ts module target',
    note: 'node --import tsx program.ts: a target of a .ts module (enum, types)',
    args: [...TSX, 'program.ts', 'start', '0', 'module'],
    source: 'threadkit',
  },
  {
    id: 'tk.first.tsx.inline',
    label: 'threadkit first Thread.start(), tsx, inline target',
    note: 'node --import tsx program.ts: an arrow function target',
    args: [...TSX, 'program.ts', 'start', '0', 'inline'],
    source: 'threadkit',
  },
  {
    id: 'node.seven',
    label: 'seven raw new Worker()s at once',
    note: 'until all seven run their first statement, first in a fresh ESM program',
    args: ['program.mjs', 'raw7'],
    source: 'node',
  },
  {
    id: 'tk.seven.tsx',
    label: 'threadkit seven Thread.start()s at once, tsx, .ts module target',
    note: 'until all seven targets run, first in a fresh tsx program',
    args: [...TSX, 'program.ts', 'seven', '0', 'module'],
    source: 'threadkit',
  },
  {
    id: 'tk.seven.esm',
    label: 'threadkit seven Thread.start()s at once, compiled ESM',
    note: 'until all seven targets run, first in a fresh ESM program',
    args: ['program.mjs', 'seven', '0', 'module'],
    source: 'threadkit',
  },
  {
    id: 'tk.pool.esm',
    label: 'threadkit first ThreadPoolExecutor task, compiled ESM',
    note: 'new executor, submit, result, in a fresh ESM program',
    args: ['program.mjs', 'pool', '0', 'module'],
    source: 'threadkit',
  },
  {
    id: 'tk.pool.tsx',
    label: 'threadkit first ThreadPoolExecutor task, tsx, .ts module target',
    note: 'new executor, submit, result, in a fresh tsx program',
    args: [...TSX, 'program.ts', 'pool', '0', 'module'],
    source: 'threadkit',
  },
  {
    id: 'tk.process.tsx',
    label: 'threadkit Process start, tsx, .ts module target',
    note: 'start() until the target runs in the child; 3 starts per fresh tsx program',
    args: [...TSX, 'program.ts', 'process', '2', 'module'],
    source: 'threadkit',
    withLater: true,
  },
];

/** Each kind, and each `.ts`-target kind again through tsx (ids ending `.tsx`). */
const PROGRAMS = KINDS.flatMap((p) => (p.id.endsWith('.tsx') ? [p, throughTsx(p)] : [p]));

async function programFigures(runs: number, log: (s: string) => void): Promise<Figure[]> {
  const samples = new Map<string, number[]>(PROGRAMS.map((p) => [p.id, []]));
  const bare: number[] = [];
  // Interleaved, so that a busy spell of the machine spreads over every figure.
  for (let r = 0; r < runs; r++) {
    log(`fresh programs, round ${r + 1} of ${runs}`);
    for (const p of PROGRAMS) {
      const run = await runProgram(p.args, p.env);
      samples.get(p.id)!.push(run.first, ...(p.withLater ? run.later : []));
    }
    for (let i = 0; i < 3; i++) bare.push(await bareNodeStart());
  }
  const out: Figure[] = PROGRAMS.map((p) => {
    const stats = summarize(samples.get(p.id)!, 1);
    return {
      id: p.id,
      label: p.label,
      value: stats.p50!,
      unit: 'ms',
      source: p.source,
      stats,
      note: p.note,
    };
  });
  const stats = summarize(bare, 1);
  out.push({
    id: 'node.start',
    label: 'bare node process start',
    value: stats.p50!,
    unit: 'ms',
    source: 'node',
    stats,
    note: '`node -e` until its first statement',
  });
  return out;
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
    'message; CPython threads blocked on an Event), per thread. Last, first starts as a new ' +
    "user's program sees them: each of `start/program.{mjs,cjs,ts}` runs `programs` times in a " +
    'fresh `node` (the tsx one under `--import tsx`, its target in a `.ts` module with an enum ' +
    'and types), and the figure is the median of its first start (ms): one thread, seven ' +
    'threads at once (until all seven run), the first ThreadPoolExecutor task (until its ' +
    'result is back), and a `Process` with a `.ts` module target (each of 3 starts per ' +
    'program). Beside them: a raw eval Worker (one, and seven at once) first in a fresh ESM ' +
    'program, a bare `node -e` until its first statement, and CPython: seven threads at once, ' +
    'the first ThreadPoolExecutor task, a spawn Process start. The "through tsx" rows run ' +
    'the tsx program with `THREADKIT_TS_COMPILE=0`: each worker (or child) registers tsx and ' +
    'transforms the `.ts` module itself instead of importing the JavaScript compiled once.',
  goal:
    "warm p50 within 2× of CPython's Thread.start(); cold p50 within 1.1× of a raw Worker; " +
    'first start in a fresh program within 1.2× of a raw Worker (ESM, CJS, tsx with a .ts ' +
    'target); seven at once under tsx within 1.5× of seven raw Workers; first pool task under ' +
    'tsx within 1.5× of compiled ESM; Process start with a .ts target within 1.3× of bare node.',
  params: (quick) => ({
    warm: quick ? 200 : 2000,
    cold: quick ? 10 : 30,
    batch: 100,
    idle: 8,
    programs: quick ? 3 : 7,
  }),
  rows: [
    { figure: 'tk.warm', baselines: ['py.start'], goal: [{ vs: 'py.start', maxRatio: 2 }] },
    {
      figure: 'tk.cold',
      baselines: ['node.worker', 'py.start'],
      goal: [{ vs: 'node.worker', maxRatio: 1.1 }],
    },
    { figure: 'tk.batch', baselines: ['py.batch'] },
    {
      figure: 'tk.first.esm',
      baselines: ['node.first', 'py.start'],
      goal: [{ vs: 'node.first', maxRatio: 1.2 }],
    },
    {
      figure: 'tk.first.cjs',
      baselines: ['node.first', 'py.start'],
      goal: [{ vs: 'node.first', maxRatio: 1.2 }],
    },
    {
      figure: 'tk.first.tsx',
      baselines: ['node.first', 'py.start'],
      goal: [{ vs: 'node.first', maxRatio: 1.2 }],
    },
    { figure: 'tk.first.tsx.viatsx', baselines: ['tk.first.tsx', 'node.first'] },
    { figure: 'tk.first.tsx.inline', baselines: ['node.first', 'py.start'] },
    {
      figure: 'tk.seven.tsx',
      baselines: ['node.seven', 'py.seven'],
      goal: [{ vs: 'node.seven', maxRatio: 1.5 }],
    },
    { figure: 'tk.seven.tsx.viatsx', baselines: ['tk.seven.tsx', 'node.seven'] },
    { figure: 'tk.seven.esm', baselines: ['node.seven', 'py.seven'] },
    { figure: 'tk.pool.esm', baselines: ['py.pool'] },
    {
      figure: 'tk.pool.tsx',
      baselines: ['tk.pool.esm', 'py.pool'],
      goal: [{ vs: 'tk.pool.esm', maxRatio: 1.5 }],
    },
    { figure: 'tk.pool.tsx.viatsx', baselines: ['tk.pool.tsx', 'tk.pool.esm'] },
    {
      figure: 'tk.process.tsx',
      baselines: ['node.start', 'py.spawn'],
      goal: [{ vs: 'node.start', maxRatio: 1.3 }],
    },
    { figure: 'tk.process.tsx.viatsx', baselines: ['tk.process.tsx', 'node.start'] },
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

    out.push(...(await programFigures(params.programs, log)));
    return out;
  },
});
