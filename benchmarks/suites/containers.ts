/**
 * Shared containers: SharedDict, SharedList and SharedSet beside CPython's dict, list and set
 * (single-thread get/set/append/add of small keys and values), and two threads hammering
 * distinct keys of one dict (total operations per second).
 */
import { Barrier, SharedDict, SharedList, SharedSet, threadable } from '@threadkit/core';
import { type MicroTask, microBench } from '../lib/micro.js';
import { median } from '../lib/stats.js';
import { inThread } from '../lib/threads.js';
import { defineSuite, type Measured } from '../lib/types.js';

export interface Params {
  /** Operations per timed batch. */
  batch: number;
  /** Timed batches per figure. */
  batches: number;
  /** Untimed batches at the start of each round. */
  warmupBatches: number;
  /** Rounds the tasks are interleaved over. */
  rounds: number;
  /** Operations per thread in the two-thread run. */
  threadOps: number;
  /** Two-thread runs (the figure is the median). */
  repeats: number;
}

/** Keys per single-thread task (`i & MASK`): small, so every op after warm-up is a hit. */
const MASK = 1023;

/** Absolute milliseconds, comparable between threads. */
function now(): number {
  return performance.timeOrigin + performance.now();
}

/** One thread's share: `n` sets then `n` gets of its own keys; start and end in `times`. */
export const hammer = threadable(
  import.meta.url,
  function hammer(
    d: SharedDict<number, number>,
    n: number,
    slot: number,
    times: Float64Array,
    start: Barrier,
  ) {
    const base = slot * 1_000_000;
    start.wait(); // both threads running before the clock starts (thread start-up is not timed)
    times[2 * slot] = now();
    for (let i = 0; i < n; i++) d.set(base + (i & MASK), i);
    for (let i = 0; i < n; i++) d.get(base + (i & MASK));
    times[2 * slot + 1] = now();
  },
);

async function twoThreads(n: number): Promise<number> {
  const d = new SharedDict<number, number>();
  const times = new Float64Array(new SharedArrayBuffer(32));
  const start = new Barrier(2);
  await Promise.all([
    inThread(hammer, d, n, 0, times, start),
    inThread(hammer, d, n, 1, times, start),
  ]);
  const first = Math.min(times[0], times[2]);
  const last = Math.max(times[1], times[3]);
  return ((4 * n) / (last - first)) * 1000;
}

export default defineSuite<Params>({
  name: 'containers',
  title: 'shared dict / list / set operations',
  description:
    'One thread: batches of 1 000 operations on small int keys (`i & 1023`, so after warm-up ' +
    'every get and set is a hit) and int values, timed as a whole; figures are the **median** ' +
    "batch in ns per operation, beside the same loop over CPython's dict, list and set. Append " +
    'appends a batch and then clears the list (both sides). Two threads: each sets and then ' +
    'gets `threadOps` keys of its own in one SharedDict (2 × 2 × `threadOps` operations), timed ' +
    'inside the threads (after a Barrier, so start-up is not counted) from the first start to the last end; the figure is the median total ' +
    'ops/s of `repeats` runs, beside two CPython threads doing the same on one dict. The raw ' +
    "Proxy row is `l[i]`'s floor on Node: a Proxy whose get trap only returns a constant.",
  goal: "One thread within 3× of CPython's per-operation time; two threads' total ≥ CPython's two-thread total.",
  params: (quick) => ({
    batch: 1000,
    batches: quick ? 200 : 1000,
    warmupBatches: quick ? 20 : 50,
    rounds: quick ? 2 : 4,
    threadOps: quick ? 100_000 : 400_000,
    repeats: quick ? 1 : 3,
  }),
  rows: [
    { figure: 'tk.dictSet', baselines: ['py.dictSet'], goal: [{ vs: 'py.dictSet', maxRatio: 3 }] },
    { figure: 'tk.dictGet', baselines: ['py.dictGet'], goal: [{ vs: 'py.dictGet', maxRatio: 3 }] },
    {
      figure: 'tk.dictGetStr',
      baselines: ['py.dictGetStr'],
      goal: [{ vs: 'py.dictGetStr', maxRatio: 3 }],
    },
    {
      figure: 'tk.listAppend',
      baselines: ['py.listAppend'],
      goal: [{ vs: 'py.listAppend', maxRatio: 3 }],
    },
    {
      figure: 'tk.listGet',
      baselines: ['py.listGet', 'node.proxyGet'],
      goal: [{ vs: 'py.listGet', maxRatio: 3 }],
    },
    { figure: 'tk.listAt', baselines: ['py.listGet'] },
    { figure: 'tk.setAdd', baselines: ['py.setAdd'], goal: [{ vs: 'py.setAdd', maxRatio: 3 }] },
    { figure: 'tk.setHas', baselines: ['py.setHas'], goal: [{ vs: 'py.setHas', maxRatio: 3 }] },
    { figure: 'tk.two', baselines: ['py.two'], goal: [{ vs: 'py.two', maxRatio: 1 }] },
  ],
  async run({ params, log }) {
    const d = new SharedDict<number, number>();
    const ds = new SharedDict<string, number>();
    const keys = Array.from({ length: MASK + 1 }, (_, i) => `key-${i}`);
    for (let i = 0; i <= MASK; i++) {
      d.set(i, i);
      ds.set(keys[i], i);
    }
    const l = new SharedList<number>();
    const full = new SharedList<number>(Array.from({ length: MASK + 1 }, (_, i) => i));
    const s = new SharedSet<number>(Array.from({ length: MASK + 1 }, (_, i) => i));
    // The floor under l[i]: a Proxy whose get trap does nothing (V8 sends an integer key to a
    // proxy through the runtime, as a string; a named key takes the fast path).
    const bare = new Proxy<Record<number, number>>({}, { get: () => 1 });
    let sink = 0;
    const tasks: MicroTask[] = [
      {
        id: 'tk.dictSet',
        label: 'threadkit SharedDict set',
        loop: (n) => {
          for (let i = 0; i < n; i++) d.set(i & MASK, i);
        },
      },
      {
        id: 'tk.dictGet',
        label: 'threadkit SharedDict get',
        loop: (n) => {
          for (let i = 0; i < n; i++) d.get(i & MASK);
        },
      },
      {
        id: 'tk.dictGetStr',
        label: 'threadkit SharedDict get, string keys',
        note: "keys 'key-N'",
        loop: (n) => {
          for (let i = 0; i < n; i++) ds.get(keys[i & MASK]);
        },
      },
      {
        id: 'tk.listAppend',
        label: 'threadkit SharedList append',
        loop: (n) => {
          for (let i = 0; i < n; i++) l.append(i);
          l.clear();
        },
      },
      {
        id: 'tk.listGet',
        label: 'threadkit SharedList l[i]',
        loop: (n) => {
          for (let i = 0; i < n; i++) full[i & MASK];
        },
      },
      {
        id: 'tk.listAt',
        label: 'threadkit SharedList at(i)',
        note: 'the method path, without the Proxy trap of l[i]',
        loop: (n) => {
          for (let i = 0; i < n; i++) full.at(i & MASK);
        },
      },
      {
        id: 'node.proxyGet',
        label: 'raw Proxy get trap, p[i]',
        source: 'node',
        note: 'a trap returning a constant: the floor of any l[i] through a Proxy on this Node',
        loop: (n) => {
          for (let i = 0; i < n; i++) sink += bare[i & MASK];
        },
      },
      {
        id: 'tk.setAdd',
        label: 'threadkit SharedSet add',
        loop: (n) => {
          for (let i = 0; i < n; i++) s.add(i & MASK);
        },
      },
      {
        id: 'tk.setHas',
        label: 'threadkit SharedSet has',
        loop: (n) => {
          for (let i = 0; i < n; i++) s.has(i & MASK);
        },
      },
    ];
    const figures: Measured[] = await microBench(tasks, params);
    if (sink === -1) log('unreachable'); // keeps the raw loop's reads alive
    await twoThreads(params.threadOps / 4); // warm-up
    const rates: number[] = [];
    for (let r = 0; r < params.repeats; r++) {
      log(`two threads (run ${r + 1}/${params.repeats})`);
      rates.push(await twoThreads(params.threadOps));
    }
    figures.push({
      id: 'tk.two',
      label: 'threadkit SharedDict, 2 threads',
      value: median(rates),
      unit: 'ops/s',
      better: 'higher',
      source: 'threadkit',
      note: 'distinct keys per thread; total set + get ops/s',
    });
    return figures;
  },
});
