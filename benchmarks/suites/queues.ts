/**
 * Queue throughput: items per second from one thread to another through threadkit's Queue and
 * SimpleQueue (ints, short strings, small objects), beside a raw `postMessage` stream from a
 * Worker to the main thread and CPython's `queue.Queue` / `queue.SimpleQueue`; plus a 4 × 4
 * many-to-many run.
 */
import { Worker } from 'node:worker_threads';
import { Queue, SimpleQueue, threadable } from '@threadkit/core';
import { median } from '../lib/stats.js';
import { inThread } from '../lib/threads.js';
import { defineSuite, type Figure } from '../lib/types.js';

export interface Params {
  /** Items per one-to-one run. */
  items: number;
  /** Items per many-to-many run (split among the producers). */
  manyItems: number;
  /** Runs of each variant (the figure is the median rate). */
  repeats: number;
  /** Items of one untimed run of each variant first (JIT warm-up in the threads). */
  warmupItems: number;
}

type Kind = 'int' | 'str' | 'obj';

/** Absolute milliseconds, comparable between threads (each thread has its own timeOrigin). */
function now(): number {
  return performance.timeOrigin + performance.now();
}

export const produce = threadable(
  import.meta.url,
  function produce(q: Queue | SimpleQueue, kind: Kind, from: number, n: number) {
    // One loop per kind, so that the item is built inline as a user's loop would.
    if (kind === 'int') for (let i = from; i < from + n; i++) q.put(i);
    else if (kind === 'str') for (let i = from; i < from + n; i++) q.put(`item-${i}`);
    else for (let i = from; i < from + n; i++) q.put({ id: i, name: 'item', ok: true });
  },
);

/**
 * Get items until `n` arrived (or a null sentinel); record the times of the first and the
 * last item in `times[slot * 2]`, `times[slot * 2 + 1]` and the count in `counts[slot]`.
 */
export const consume = threadable(
  import.meta.url,
  function consume(
    q: Queue | SimpleQueue,
    n: number,
    times: Float64Array,
    counts: Int32Array,
    slot: number,
  ) {
    let got = 0;
    let first = 0;
    let last = 0;
    while (got < n) {
      const x = q.get(true, 60);
      if (x === null) break;
      got++;
      // The clock costs as much as a get: read it at the first item, then every 64th and the last.
      if (got === 1) first = last = now();
      else if ((got & 63) === 0 || got === n) last = now();
    }
    times[slot * 2] = first;
    times[slot * 2 + 1] = last;
    counts[slot] = got;
  },
);

/** One producer thread → one consumer thread; items/s from the first item to the last. */
async function oneToOne(make: () => Queue | SimpleQueue, kind: Kind, n: number): Promise<number> {
  const q = make();
  const times = new Float64Array(new SharedArrayBuffer(16));
  const counts = new Int32Array(new SharedArrayBuffer(4));
  await Promise.all([inThread(consume, q, n, times, counts, 0), inThread(produce, q, kind, 0, n)]);
  if (counts[0] !== n) throw new Error(`consumer got ${counts[0]} of ${n} items`);
  return ((n - 1) / (times[1] - times[0])) * 1000;
}

/** 4 producer threads × 4 consumer threads; total items/s from the first item to the last. */
async function manyToMany(n: number): Promise<number> {
  const q = new Queue();
  const P = 4;
  const C = 4;
  const per = Math.ceil(n / P);
  const times = new Float64Array(new SharedArrayBuffer(16 * C));
  const counts = new Int32Array(new SharedArrayBuffer(4 * C));
  const consumers = Array.from({ length: C }, (_, c) =>
    inThread(consume, q, per * P, times, counts, c),
  );
  await Promise.all(Array.from({ length: P }, (_, p) => inThread(produce, q, 'int', p * per, per)));
  for (let c = 0; c < C; c++) q.put(null);
  await Promise.all(consumers);
  const total = counts.reduce((a, b) => a + b, 0);
  if (total !== per * P) throw new Error(`consumers got ${total} of ${per * P} items`);
  let first = Number.POSITIVE_INFINITY;
  let last = 0;
  for (let c = 0; c < C; c++) {
    if (counts[c] === 0) continue;
    first = Math.min(first, times[2 * c]);
    last = Math.max(last, times[2 * c + 1]);
  }
  return ((total - 1) / (last - first)) * 1000;
}

/** A raw Worker posting `n` messages to the main thread; items/s from the first to the last. */
function postMessageStream(kind: Kind, n: number): Promise<number> {
  const code = `
    const { parentPort, workerData: { kind, n } } = require('node:worker_threads');
    if (kind === 'int') for (let i = 0; i < n; i++) parentPort.postMessage(i);
    else if (kind === 'str') for (let i = 0; i < n; i++) parentPort.postMessage('item-' + i);
    else for (let i = 0; i < n; i++) parentPort.postMessage({ id: i, name: 'item', ok: true });`;
  return new Promise((resolve, reject) => {
    const w = new Worker(code, { eval: true, workerData: { kind, n } });
    let got = 0;
    let first = 0;
    w.on('message', () => {
      const t = performance.now();
      if (got === 0) first = t;
      if (++got === n) {
        resolve(((n - 1) / (t - first)) * 1000);
        void w.terminate();
      }
    });
    w.on('error', reject);
    w.on('exit', () => {
      if (got < n) reject(new Error(`postMessage stream ended after ${got} of ${n} messages`));
    });
  });
}

interface Variant {
  id: string;
  label: string;
  source: Figure['source'];
  note: string;
  run(p: Pick<Params, 'items' | 'manyItems'>): Promise<number>;
}

const KIND_NOTE: Record<Kind, string> = {
  int: 'ints',
  str: "short strings ('item-N')",
  obj: "small objects ({ id, name: 'item', ok: true })",
};

const VARIANTS: Variant[] = [
  ...(['int', 'str', 'obj'] as const).flatMap((kind): Variant[] => [
    {
      id: `tk.queue.${kind}`,
      label: `threadkit Queue, ${kind}`,
      source: 'threadkit',
      note: `${KIND_NOTE[kind]}; producer Thread → consumer Thread`,
      run: (p) => oneToOne(() => new Queue(), kind, p.items),
    },
    {
      id: `node.post.${kind}`,
      label: `raw postMessage, ${kind}`,
      source: 'node',
      note: `${KIND_NOTE[kind]}; raw Worker → main thread`,
      run: (p) => postMessageStream(kind, p.items),
    },
  ]),
  {
    id: 'tk.simple.int',
    label: 'threadkit SimpleQueue, int',
    source: 'threadkit',
    note: 'ints; producer Thread → consumer Thread',
    run: (p) => oneToOne(() => new SimpleQueue(), 'int', p.items),
  },
  {
    id: 'tk.bounded.int',
    label: 'threadkit Queue(1000), int',
    source: 'threadkit',
    note: 'ints through a bounded queue (the producer blocks when it is full)',
    run: (p) => oneToOne(() => new Queue(1000), 'int', p.items),
  },
  {
    id: 'tk.mm.int',
    label: 'threadkit Queue, 4 × 4 threads',
    source: 'threadkit',
    note: 'ints; 4 producer Threads, 4 consumer Threads, one Queue (total items/s)',
    run: (p) => manyToMany(p.manyItems),
  },
];

export default defineSuite<Params>({
  name: 'queues',
  title: 'queue throughput (items/s between threads)',
  description:
    'One producer thread puts `items` items, one consumer thread gets them; the consumer times ' +
    'from the first item to the last (so thread start-up is not counted), and the figure is the ' +
    'median items/s of `repeats` runs, after one shorter untimed run of each variant (JIT warm-up).  Items are ints, short strings (`item-N`) or small objects ' +
    "(`{ id, name: 'item', ok: true }`). Baselines: a raw Worker posting the same values to the " +
    "main thread with `postMessage` (timed the same way), and CPython's `queue.Queue` / " +
    '`queue.SimpleQueue` with a producer thread and the main thread consuming. The 4 × 4 run ' +
    'has 4 producers and 4 consumers on one queue (total items/s, first item to last). On a ' +
    '2-core machine the 4 × 4 figures measure contention more than parallelism.',
  goal: "≥ 4× CPython queue.Queue for ints and short strings; ≥ the raw postMessage stream for small objects; SimpleQueue ≥ CPython's (C) SimpleQueue.",
  params: (quick) => ({
    items: quick ? 50_000 : 200_000,
    manyItems: quick ? 100_000 : 400_000,
    repeats: quick ? 1 : 3,
    warmupItems: quick ? 10_000 : 50_000,
  }),
  rows: [
    {
      figure: 'tk.queue.int',
      baselines: ['node.post.int', 'py.queue.int'],
      goal: [{ vs: 'py.queue.int', maxRatio: 0.25 }],
    },
    {
      figure: 'tk.queue.str',
      baselines: ['node.post.str', 'py.queue.str'],
      goal: [{ vs: 'py.queue.str', maxRatio: 0.25 }],
    },
    {
      figure: 'tk.queue.obj',
      baselines: ['node.post.obj', 'py.queue.obj'],
      goal: [{ vs: 'node.post.obj', maxRatio: 1 }],
    },
    {
      figure: 'tk.simple.int',
      baselines: ['node.post.int', 'py.simple.int'],
      goal: [{ vs: 'py.simple.int', maxRatio: 1 }], // issue 13: no slower than CPython's C SimpleQueue
    },
    { figure: 'tk.bounded.int', baselines: ['py.bounded.int'] },
    { figure: 'tk.mm.int', baselines: ['py.mm.int'] },
  ],
  async run({ params, log }) {
    const rates = new Map<string, number[]>(VARIANTS.map((v) => [v.id, []]));
    for (const v of VARIANTS) {
      log(`${v.label} (warm-up)`);
      await v.run({ items: params.warmupItems, manyItems: params.warmupItems });
    }
    for (let r = 0; r < params.repeats; r++) {
      for (const v of VARIANTS) {
        log(`${v.label} (run ${r + 1}/${params.repeats})`);
        rates.get(v.id)!.push(await v.run(params));
      }
    }
    return VARIANTS.map((v) => {
      const xs = rates.get(v.id)!;
      return {
        id: v.id,
        label: v.label,
        source: v.source,
        value: median(xs),
        unit: 'items/s',
        better: 'higher',
        stats: { min: Math.min(...xs), max: Math.max(...xs), samples: xs.length },
        note: v.note,
      } satisfies Figure;
    });
  },
});
