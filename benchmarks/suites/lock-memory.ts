/**
 * Memory per Lock: 100 000 threadkit Locks beside 100 000 raw 16-byte SharedArrayBuffers (what a
 * lock with a buffer of its own would cost) and CPython's 100 000 `threading.Lock`s. Each figure
 * is measured in a fresh child process, after garbage collection, as the growth of RSS (and of
 * the JS heap) divided by the number of objects.
 */
import { Lock } from '@threadkit/core';
import { inChildProcess } from '../lib/child.js';
import { median } from '../lib/stats.js';
import { defineSuite, type Figure } from '../lib/types.js';

export interface Params {
  /** Objects created per measurement. */
  count: number;
  /** Fresh processes per figure (the median is kept). */
  repeats: number;
}

type Kind = 'lock' | 'sab16';

export interface MemoryDelta {
  rss: number;
  heapUsed: number;
  external: number;
  arrayBuffers: number;
}

function settle(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run with --expose-gc');
  for (let i = 0; i < 4; i++) gc();
}

/**
 * In the child process: create `count` objects of `kind`, use each once (so their memory is
 * really touched), keep them all alive, and return the memory growth per object in bytes.
 */
export function measureChild(kind: Kind, count: number): MemoryDelta {
  // Warm up first: module state, the arena, inline caches, the array's growth path.
  const warm: unknown[] = [];
  for (let i = 0; i < 100; i++) warm.push(make(kind));
  settle();
  const before = process.memoryUsage();
  const keep: unknown[] = [];
  for (let i = 0; i < count; i++) keep.push(make(kind));
  settle();
  const after = process.memoryUsage();
  if (keep.length !== count || warm.length !== 100) throw new Error('unreachable');
  return {
    rss: (after.rss - before.rss) / count,
    heapUsed: (after.heapUsed - before.heapUsed) / count,
    external: (after.external - before.external) / count,
    arrayBuffers: (after.arrayBuffers - before.arrayBuffers) / count,
  };
}

function make(kind: Kind): unknown {
  if (kind === 'lock') {
    const lock = new Lock();
    lock.acquire();
    lock.release();
    return lock;
  }
  const sab = new SharedArrayBuffer(16);
  Atomics.store(new Int32Array(sab), 0, 1);
  return sab;
}

export default defineSuite<Params>({
  name: 'lock-memory',
  title: 'memory per Lock (100 000 locks)',
  description:
    'A fresh child process (`node --expose-gc`; `python3`) creates `count` objects, uses each ' +
    'once, keeps them alive and reports the growth of RSS after GC divided by `count` (median ' +
    'of `repeats` processes): threadkit Locks, raw 16-byte SharedArrayBuffers (what a lock with ' +
    'a buffer of its own would cost) and CPython Locks (RSS, and `tracemalloc`: Python-allocated ' +
    'bytes only). The array/list that holds them is counted on both sides (8 bytes a slot). The ' +
    "JS heap growth (`heapUsed + external`) is shown beside CPython's tracemalloc figure.",
  goal: "threadkit Lock no worse than 2× CPython's Lock (RSS per lock).",
  params: (quick) => ({ count: 100_000, repeats: quick ? 1 : 3 }),
  rows: [
    {
      figure: 'tk.lock.rss',
      baselines: ['node.sab16.rss', 'py.lock.rss', 'py.lock.tracemalloc'],
      goal: [{ vs: 'py.lock.rss', maxRatio: 2 }],
    },
    { figure: 'tk.lock.heap', baselines: ['node.sab16.heap', 'py.lock.tracemalloc'] },
  ],
  async run({ params, log }) {
    const out: Figure[] = [];
    const kinds: [Kind, string, string, Figure['source']][] = [
      ['lock', 'tk.lock', 'threadkit Lock', 'threadkit'],
      ['sab16', 'node.sab16', 'raw 16-byte SAB', 'node'],
    ];
    for (const [kind, id, label, source] of kinds) {
      log(`${label} ×${params.count}`);
      const runs: MemoryDelta[] = [];
      for (let r = 0; r < params.repeats; r++) {
        runs.push(
          await inChildProcess<MemoryDelta>(import.meta.url, 'measureChild', [kind, params.count], {
            nodeFlags: ['--expose-gc'],
          }),
        );
      }
      const rss = runs.map((x) => x.rss);
      const heap = runs.map((x) => x.heapUsed + x.external);
      out.push({
        id: `${id}.rss`,
        label: `${label} (RSS)`,
        source,
        value: median(rss),
        unit: 'B/lock',
        stats: { min: Math.min(...rss), max: Math.max(...rss), samples: rss.length },
      });
      out.push({
        id: `${id}.heap`,
        label: `${label} (JS heap + external)`,
        source,
        value: median(heap),
        unit: 'B/lock',
        stats: { min: Math.min(...heap), max: Math.max(...heap), samples: heap.length },
        note: 'heapUsed + external growth; shared memory pages are not in it',
      });
    }
    return out;
  },
});
