// The timing loops of the start-up programs (program.ts, program.mjs, program.cjs). Each program
// is a fresh process that loads threadkit its own way and hands it in here, so every figure
// is what a user's program of that kind sees: `first` is the first thread of the program, `later`
// are cold starts after it (`reuse: false`: a new worker each time). Prints one line of JSON.
import { Worker } from 'node:worker_threads';

const RAW = `
const { workerData } = require('node:worker_threads');
Atomics.store(workerData, 0, 1);
Atomics.notify(workerData, 0);
`;

function waitAll(flags, count) {
  for (let i = 0; i < count; i++) {
    while (Atomics.load(flags, i) === 0) Atomics.wait(flags, i, 0, 30_000);
  }
}

/** `count` threads started at once, until every target runs (ms). */
function startThreads(tk, target, count) {
  const flags = new Int32Array(new SharedArrayBuffer(4 * count));
  const t0 = performance.now();
  const threads = [];
  for (let i = 0; i < count; i++) {
    const t = new tk.Thread({ target, args: [flags, i] });
    t.start();
    threads.push(t);
  }
  waitAll(flags, count);
  const ms = performance.now() - t0;
  for (const t of threads) t.join();
  return ms;
}

/** `count` raw Workers started at once, until each runs its first statement (ms). */
async function startRaw(count) {
  const flags = [];
  const workers = [];
  const t0 = performance.now();
  for (let i = 0; i < count; i++) {
    const flag = new Int32Array(new SharedArrayBuffer(4));
    flags.push(flag);
    workers.push(new Worker(RAW, { eval: true, workerData: flag }));
  }
  for (const f of flags) waitAll(f, 1);
  const ms = performance.now() - t0;
  await Promise.all(workers.map((w) => new Promise((r) => w.once('exit', r))));
  return ms;
}

/** First task of a new ThreadPoolExecutor until its result is back (ms). */
async function firstPoolTask(tk, target) {
  const flags = new Int32Array(new SharedArrayBuffer(4));
  const t0 = performance.now();
  const ex = new tk.ThreadPoolExecutor({ maxWorkers: 1 });
  const fut = ex.submit(target, flags, 0);
  await fut.result();
  const ms = performance.now() - t0;
  await ex.shutdown();
  return ms;
}

/** A `Process` with `target` (it sends back `[1, hrtime]`) until the target runs in the child (ms). */
function processStart(mp, target) {
  const [r, w] = mp.Pipe(false);
  const t0 = process.hrtime.bigint();
  const p = new mp.Process({ target, args: [w] });
  p.start();
  w.close();
  const [, t1] = r.recv();
  p.join();
  r.close();
  return Number(t1 - t0) / 1e6;
}

/**
 * `what`: start (one thread), seven (seven at once), pool (first pool task), raw, raw7,
 * process (a Process start; `tk` is then @threadkit/multiprocessing).
 * `tk`: { Thread, setWarmWorkerSettings, ThreadPoolExecutor }; `target` the function to run.
 */
export async function measure(what, tk, target, later) {
  const out = { first: 0, later: [] };
  const n = what === 'seven' || what === 'raw7' ? 7 : 1;
  if (what === 'process') {
    out.first = processStart(tk, target);
    for (let i = 0; i < later; i++) out.later.push(processStart(tk, target));
  } else if (what === 'pool') {
    out.first = await firstPoolTask(tk, target);
  } else if (what === 'raw' || what === 'raw7') {
    out.first = await startRaw(n);
    for (let i = 0; i < later; i++) out.later.push(await startRaw(n));
  } else {
    out.first = startThreads(tk, target, n);
    tk.setWarmWorkerSettings({ reuse: false });
    for (let i = 0; i < later; i++) out.later.push(startThreads(tk, target, n));
  }
  process.stdout.write(`${JSON.stringify(out)}\n`);
}
