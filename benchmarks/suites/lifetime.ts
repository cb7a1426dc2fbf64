/**
 * Lifetime of shared objects (issue 11): how fast a Lock or a Queue can be made, used and
 * dropped when its memory is reclaimed, and where RSS ends after N requests of a service loop
 * that makes a Lock, an Event and a Queue per request — each beside CPython's same loop —
 * and how fast a Thread starts and joins (warm) and whether the arena stays flat meanwhile
 * (finished threads' records are reused).
 * Every figure runs in a fresh child process; the loops yield to the event loop every 1000
 * iterations (as a service does between requests), which is when dropped handles are finalized.
 */
import { setImmediate as tick } from 'node:timers/promises';
import { Event, Lock, memoryStats, Queue, Thread } from '@threadkit/core';
import { inChildProcess } from '../lib/child.js';
import { median } from '../lib/stats.js';
import { defineSuite, type Figure } from '../lib/types.js';

export interface Params {
  /** Objects made and dropped per rate measurement. */
  count: number;
  /** Requests of the service loop (after a warm-up of a fifth as many). */
  requests: number;
  /** Threads started and joined one after another (after a warm-up of a tenth as many). */
  threads: number;
  /** Fresh processes per figure (the median is kept). */
  repeats: number;
}

type Kind = 'lock' | 'queue';

/** In the child: ns per make-use-drop of `kind`, over `count` objects. */
export async function rateChild(kind: Kind, count: number): Promise<number> {
  const once = kind === 'lock' ? useLock : useQueue;
  for (let i = 0; i < 10_000; i++) once(i);
  await tick();
  const t0 = performance.now();
  for (let i = 0; i < count; i++) {
    once(i);
    if (i % 1000 === 999) await tick();
  }
  const ns = ((performance.now() - t0) * 1e6) / count;
  // Reclaimed as the collector finds the handles (core collects when the arena grows ~16 MiB).
  if (memoryStats().used > 128 * 2 ** 20) throw new Error('objects are not being reclaimed');
  return ns;
}

function useLock(): void {
  const lock = new Lock();
  lock.acquire();
  lock.release();
}

function useQueue(i: number): void {
  const q = new Queue();
  q.put(i);
  q.get();
}

function request(i: number): void {
  useLock();
  const e = new Event();
  e.set();
  useQueue(i);
}

/** In the child: RSS growth (MiB) over `requests` requests, after a warm-up. */
export async function rssChild(requests: number): Promise<{ rss: number; used: number }> {
  const loop = async (n: number) => {
    for (let i = 0; i < n; i++) {
      request(i);
      if (i % 1000 === 999) await tick();
    }
  };
  await loop(Math.floor(requests / 5));
  const before = { rss: process.memoryUsage().rss, used: memoryStats().used };
  await loop(requests);
  const after = { rss: process.memoryUsage().rss, used: memoryStats().used };
  return { rss: (after.rss - before.rss) / 2 ** 20, used: (after.used - before.used) / 2 ** 20 };
}

/** In the child: µs per Thread start+join (warm worker) and arena growth (KiB) over `n`. */
export async function threadChild(n: number): Promise<{ us: number; usedKiB: number }> {
  const loop = async (k: number) => {
    for (let i = 0; i < k; i++) {
      const t = new Thread({ target: () => {} });
      t.start();
      t.join();
      if (i % 100 === 99) await tick();
    }
  };
  const settle = async () => {
    // Collect in the warm worker too (its handles of ended threads go at its next collection).
    const g = new Thread({ target: () => (globalThis as { gc?: () => void }).gc?.() });
    g.start();
    g.join();
    for (let i = 0; i < 3; i++) {
      (globalThis as { gc?: () => void }).gc?.();
      await tick();
    }
  };
  await loop(Math.max(1100, Math.floor(n / 10))); // past the 1024 recent threads diagnostics keep
  await settle();
  const before = memoryStats().used;
  const t0 = performance.now();
  await loop(n);
  const us = ((performance.now() - t0) * 1e3) / n;
  await settle();
  return { us, usedKiB: (memoryStats().used - before) / 1024 };
}

function figure(id: string, label: string, values: number[], unit: string, note?: string): Figure {
  return {
    id,
    label,
    source: 'threadkit',
    value: median(values),
    unit,
    stats: { min: Math.min(...values), max: Math.max(...values), samples: values.length },
    note,
  };
}

export default defineSuite<Params>({
  name: 'lifetime',
  title: 'lifetime: make-use-drop rates and RSS of a service loop',
  description:
    'Fresh child processes (`node`; `python3`). Rates: `count` times make a Lock (acquire, ' +
    'release) or a Queue (put, get) and drop it, yielding every 1000 (when finalizers run); ' +
    'ns per object. RSS: a loop making a Lock, an Event and a Queue per request, `requests` ' +
    'requests after a warm-up of a fifth as many; growth of RSS in MiB (and of arena bytes ' +
    'used, which reclamation keeps flat). Median of `repeats` processes.',
  goal: "RSS after N requests within 32 MiB of where it started, as CPython's (rates shown for information).",
  params: (quick) => ({
    count: quick ? 100_000 : 300_000,
    requests: quick ? 100_000 : 200_000,
    threads: quick ? 2000 : 5000,
    repeats: quick ? 1 : 3,
  }),
  rows: [
    { figure: 'tk.lock.rate', baselines: ['py.lock.rate'] },
    { figure: 'tk.queue.rate', baselines: ['py.queue.rate'] },
    { figure: 'tk.service.rss', baselines: ['py.service.rss'] },
    { figure: 'tk.service.used', baselines: [] },
    { figure: 'tk.thread.rate', baselines: ['py.thread.rate'] },
    { figure: 'tk.thread.used', baselines: [] },
  ],
  async run({ params, log }) {
    const out: Figure[] = [];
    for (const [kind, label] of [
      ['lock', 'threadkit Lock make-use-drop'],
      ['queue', 'threadkit Queue make-put-get-drop'],
    ] as const) {
      log(`${label} ×${params.count}`);
      const ns: number[] = [];
      for (let r = 0; r < params.repeats; r++)
        ns.push(await inChildProcess<number>(import.meta.url, 'rateChild', [kind, params.count]));
      out.push(figure(`tk.${kind}.rate`, label, ns, 'ns/obj'));
    }
    log(`service loop ×${params.requests}`);
    const runs: { rss: number; used: number }[] = [];
    for (let r = 0; r < params.repeats; r++)
      runs.push(await inChildProcess(import.meta.url, 'rssChild', [params.requests]));
    out.push(
      figure(
        'tk.service.rss',
        `threadkit service loop, RSS growth after ${params.requests} requests`,
        runs.map((x) => x.rss),
        'MiB',
      ),
    );
    out.push(
      figure(
        'tk.service.used',
        'threadkit service loop, arena bytes used growth',
        runs.map((x) => x.used),
        'MiB',
        'memoryStats().used; flat when objects are reclaimed',
      ),
    );
    log(`thread start-join ×${params.threads}`);
    const th: { us: number; usedKiB: number }[] = [];
    for (let r = 0; r < params.repeats; r++)
      th.push(await inChildProcess(import.meta.url, 'threadChild', [params.threads]));
    out.push(
      figure(
        'tk.thread.rate',
        'threadkit Thread start+join (warm worker)',
        th.map((x) => x.us),
        'µs/thread',
      ),
    );
    out.push(
      figure(
        'tk.thread.used',
        `threadkit arena bytes used growth over ${params.threads} thread start+joins`,
        th.map((x) => x.usedKiB),
        'KiB',
        "memoryStats().used; flat when finished threads' records are reused",
      ),
    );
    return out;
  },
});
