/**
 * Cross-thread hand-off latency: two threads pass the turn back and forth, and one of them
 * times every round trip. threadkit's Event, Lock and Condition (in threadkit Threads) beside
 * a raw `Atomics.wait`/`Atomics.notify` ping-pong between two raw Workers, and CPython's
 * equivalents (two threads, two Events / two Locks / one Condition).
 */
import { Condition, Event, Lock, threadable } from '@threadkit/core';
import { pause, shuffled, summarize } from '../lib/stats.js';
import { inThread, RawWorker } from '../lib/threads.js';
import { defineSuite, type Figure } from '../lib/types.js';

export interface Params {
  /** Timed round trips per figure, in total. */
  rounds: number;
  /** Untimed round trips at the start of each chunk. */
  warmup: number;
  /** The variants run in turn, `chunks` times each, `rounds / chunks` round trips a time. */
  chunks: number;
}

/** Idle gap before each variant's chunk, in ms. */
const GAP_MS = 20;

/** Seconds a side waits for its partner before giving up (a hung benchmark is worse). */
const TIMEOUT_S = 30;

// sync words (a plain SharedArrayBuffer): [0] the raw ball, [1] partners ready, [2] the
// Condition's turn counter.
const BALL = 0;
const READY = 1;
const TURN = 2;

function signalReady(sync: Int32Array): void {
  Atomics.add(sync, READY, 1);
  Atomics.notify(sync, READY);
}

function waitReady(sync: Int32Array): void {
  for (;;) {
    const v = Atomics.load(sync, READY);
    if (v >= 1) return;
    if (Atomics.wait(sync, READY, v, TIMEOUT_S * 1000) === 'timed-out')
      throw new Error('partner did not start');
  }
}

function stuck(what: string): never {
  throw new Error(`${what}: partner did not answer within ${TIMEOUT_S} s`);
}

// ---- raw Atomics.wait / Atomics.notify on one word: the ping writes 2k+1, the pong 2k+2.

export const rawPing = threadable(
  import.meta.url,
  function rawPing(sync: Int32Array, times: Float64Array, warmup: number) {
    waitReady(sync);
    const total = warmup + times.length;
    for (let k = 0; k < total; k++) {
      const t0 = performance.now();
      Atomics.store(sync, BALL, 2 * k + 1);
      Atomics.notify(sync, BALL, 1);
      while (Atomics.load(sync, BALL) !== 2 * k + 2) {
        if (Atomics.wait(sync, BALL, 2 * k + 1, TIMEOUT_S * 1000) === 'timed-out') stuck('rawPing');
      }
      if (k >= warmup) times[k - warmup] = performance.now() - t0;
    }
  },
);

export const rawPong = threadable(
  import.meta.url,
  function rawPong(sync: Int32Array, total: number) {
    signalReady(sync);
    for (let k = 0; k < total; k++) {
      while (Atomics.load(sync, BALL) !== 2 * k + 1) {
        if (Atomics.wait(sync, BALL, 2 * k, TIMEOUT_S * 1000) === 'timed-out') stuck('rawPong');
      }
      Atomics.store(sync, BALL, 2 * k + 2);
      Atomics.notify(sync, BALL, 1);
    }
  },
);

// ---- the same, spinning a little before parking (as threadkit's Lock does: 100 loads).

const SPINS = 100;

function spinUntil(sync: Int32Array, want: number): void {
  for (let i = 0; i < SPINS; i++) if (Atomics.load(sync, BALL) === want) return;
  for (;;) {
    const v = Atomics.load(sync, BALL);
    if (v === want) return;
    if (Atomics.wait(sync, BALL, v, TIMEOUT_S * 1000) === 'timed-out') stuck('spin ping-pong');
  }
}

export const rawSpinPing = threadable(
  import.meta.url,
  function rawSpinPing(sync: Int32Array, times: Float64Array, warmup: number) {
    waitReady(sync);
    const total = warmup + times.length;
    for (let k = 0; k < total; k++) {
      const t0 = performance.now();
      Atomics.store(sync, BALL, 2 * k + 1);
      Atomics.notify(sync, BALL, 1);
      spinUntil(sync, 2 * k + 2);
      if (k >= warmup) times[k - warmup] = performance.now() - t0;
    }
  },
);

export const rawSpinPong = threadable(
  import.meta.url,
  function rawSpinPong(sync: Int32Array, total: number) {
    signalReady(sync);
    for (let k = 0; k < total; k++) {
      spinUntil(sync, 2 * k + 1);
      Atomics.store(sync, BALL, 2 * k + 2);
      Atomics.notify(sync, BALL, 1);
    }
  },
);

// ---- two Events: ping sets e1 and waits for e2; pong waits for e1 and sets e2.

export const eventPing = threadable(
  import.meta.url,
  function eventPing(e1: Event, e2: Event, sync: Int32Array, times: Float64Array, warmup: number) {
    waitReady(sync);
    const total = warmup + times.length;
    for (let k = 0; k < total; k++) {
      const t0 = performance.now();
      e1.set();
      if (!e2.wait(TIMEOUT_S)) stuck('eventPing');
      e2.clear();
      if (k >= warmup) times[k - warmup] = performance.now() - t0;
    }
  },
);

export const eventPong = threadable(
  import.meta.url,
  function eventPong(e1: Event, e2: Event, sync: Int32Array, total: number) {
    signalReady(sync);
    for (let k = 0; k < total; k++) {
      if (!e1.wait(TIMEOUT_S)) stuck('eventPong');
      e1.clear();
      e2.set();
    }
  },
);

// ---- two Locks used as hand-off signals (both start held; any thread may release a Lock):
// ping releases l1 and takes l2; pong takes l1 and releases l2.

export const lockPing = threadable(
  import.meta.url,
  function lockPing(l1: Lock, l2: Lock, sync: Int32Array, times: Float64Array, warmup: number) {
    waitReady(sync);
    const total = warmup + times.length;
    for (let k = 0; k < total; k++) {
      const t0 = performance.now();
      l1.release();
      if (!l2.acquire(true, TIMEOUT_S)) stuck('lockPing');
      if (k >= warmup) times[k - warmup] = performance.now() - t0;
    }
  },
);

export const lockPong = threadable(
  import.meta.url,
  function lockPong(l1: Lock, l2: Lock, sync: Int32Array, total: number) {
    signalReady(sync);
    for (let k = 0; k < total; k++) {
      if (!l1.acquire(true, TIMEOUT_S)) stuck('lockPong');
      l2.release();
    }
  },
);

// ---- one Condition and a turn counter: ping sets 2k+1 and waits for 2k+2; pong the reverse.

export const condPing = threadable(
  import.meta.url,
  function condPing(cond: Condition, sync: Int32Array, times: Float64Array, warmup: number) {
    waitReady(sync);
    const total = warmup + times.length;
    cond.acquire();
    for (let k = 0; k < total; k++) {
      const t0 = performance.now();
      Atomics.store(sync, TURN, 2 * k + 1);
      cond.notify();
      while (Atomics.load(sync, TURN) !== 2 * k + 2) if (!cond.wait(TIMEOUT_S)) stuck('condPing');
      if (k >= warmup) times[k - warmup] = performance.now() - t0;
    }
    cond.release();
  },
);

export const condPong = threadable(
  import.meta.url,
  function condPong(cond: Condition, sync: Int32Array, total: number) {
    cond.acquire();
    signalReady(sync);
    for (let k = 0; k < total; k++) {
      while (Atomics.load(sync, TURN) !== 2 * k + 1) if (!cond.wait(TIMEOUT_S)) stuck('condPong');
      Atomics.store(sync, TURN, 2 * k + 2);
      cond.notify();
    }
    cond.release();
  },
);

function figure(
  id: string,
  label: string,
  source: Figure['source'],
  times: number[],
  note?: string,
): Figure {
  if (times.some((t) => !(t > 0))) throw new Error(`${label}: some round trips were not recorded`);
  const stats = summarize(times, 1000); // ms → µs
  return { id, label, source, value: stats.mean!, unit: 'µs/rt', stats, note };
}

interface Variant {
  id: string;
  label: string;
  source: Figure['source'];
  note: string;
  /** One chunk: start both sides, fill `times`. `raw` are two warm raw Workers. */
  run(sync: Int32Array, times: Float64Array, warmup: number, raw: RawWorker[]): Promise<unknown>;
}

const VARIANTS: Variant[] = [
  {
    id: 'node.raw',
    label: 'raw Atomics ping-pong',
    source: 'node',
    note: 'two raw Workers, one SAB word, Atomics.wait/notify',
    run: (sync, times, warmup, raw) =>
      Promise.all([
        raw[0].run(rawPong, sync, warmup + times.length),
        raw[1].run(rawPing, sync, times, warmup),
      ]),
  },
  {
    id: 'tk.event',
    label: 'threadkit Event ping-pong',
    source: 'threadkit',
    note: 'two Events, two Threads',
    run: (sync, times, warmup) => {
      const e1 = new Event();
      const e2 = new Event();
      return Promise.all([
        inThread(eventPong, e1, e2, sync, warmup + times.length),
        inThread(eventPing, e1, e2, sync, times, warmup),
      ]);
    },
  },
  {
    id: 'tk.lock',
    label: 'threadkit Lock hand-off',
    source: 'threadkit',
    note: 'two Locks, each released by the other thread',
    run: (sync, times, warmup) => {
      const l1 = new Lock();
      const l2 = new Lock();
      l1.acquire();
      l2.acquire();
      return Promise.all([
        inThread(lockPong, l1, l2, sync, warmup + times.length),
        inThread(lockPing, l1, l2, sync, times, warmup),
      ]);
    },
  },
  {
    id: 'tk.cond',
    label: 'threadkit Condition ping-pong',
    source: 'threadkit',
    note: 'one Condition, a turn counter',
    run: (sync, times, warmup) => {
      const cond = new Condition();
      return Promise.all([
        inThread(condPong, cond, sync, warmup + times.length),
        inThread(condPing, cond, sync, times, warmup),
      ]);
    },
  },
  {
    id: 'tk.rawInThreads',
    label: 'raw Atomics ping-pong in threadkit Threads',
    source: 'threadkit',
    note: 'the raw protocol, run by two threadkit Threads instead of two raw Workers',
    run: (sync, times, warmup) =>
      Promise.all([
        inThread(rawPong, sync, warmup + times.length),
        inThread(rawPing, sync, times, warmup),
      ]),
  },
  {
    id: 'node.rawSpin',
    label: 'raw spin-then-wait ping-pong',
    source: 'node',
    note: `two raw Workers; ${SPINS} loads before each Atomics.wait, as threadkit's Lock spins`,
    run: (sync, times, warmup, raw) =>
      Promise.all([
        raw[0].run(rawSpinPong, sync, warmup + times.length),
        raw[1].run(rawSpinPing, sync, times, warmup),
      ]),
  },
];

export default defineSuite<Params>({
  name: 'handoff',
  title: 'hand-off between two threads (ping-pong round trip)',
  description:
    'Two threads pass the turn back and forth; one of them times every round trip with ' +
    '`performance.now()` (`time.perf_counter_ns` in CPython). Figures are the **mean** round ' +
    'trip in µs (p50 and p99 in the details). On a small VM the distribution is bimodal: ' +
    '~10 µs while the vCPUs are awake (another process keeps them busy, or the threads spin), ' +
    '~45 µs when each wake-up must rouse an idle vCPU (a quiet machine); so the variants run in ' +
    'many short chunks, in a different order each time with an idle gap before each, and the ' +
    'mean (which moves smoothly with the mix, where the median jumps) is the headline. ' +
    'Differences under ~1.3× between runs are noise. The raw baseline is one word of a ' +
    'SharedArrayBuffer with `Atomics.wait`/`Atomics.notify` between two raw Workers; threadkit ' +
    'runs two threadkit Threads with two Events (set / wait / clear), two Locks (each released ' +
    'by the other thread) or one Condition and a turn counter; CPython runs the same three ' +
    'programs in two threads. Diagnostic row: the raw ping-pong spinning 100 loads before ' +
    "parking, as threadkit's Lock does.",
  goal:
    'Event ping-pong within 1.1× and Lock hand-off within 1.2× of the raw Atomics.wait/notify ' +
    "ping-pong; Condition ping-pong within 1.5× of it and no slower than CPython's.",
  params: (quick) => ({
    rounds: quick ? 1000 : 5000,
    warmup: quick ? 100 : 200,
    chunks: quick ? 2 : 5,
  }),
  rows: [
    {
      figure: 'tk.event',
      baselines: ['node.raw', 'py.event'],
      goal: [{ vs: 'node.raw', maxRatio: 1.1 }],
    },
    {
      figure: 'tk.lock',
      baselines: ['node.raw', 'node.rawSpin', 'py.lock'],
      goal: [{ vs: 'node.raw', maxRatio: 1.2 }],
    },
    {
      figure: 'tk.cond',
      baselines: ['node.raw', 'py.cond'],
      goal: [
        { vs: 'node.raw', maxRatio: 1.5 },
        { vs: 'py.cond', maxRatio: 1 },
      ],
    },
    // Diagnostics: the raw protocol in threadkit's Threads (is it the threads or the
    // primitives?), and the raw protocol spinning before it parks.
    { figure: 'tk.rawInThreads', baselines: ['node.raw'] },
    { figure: 'node.rawSpin', baselines: ['node.raw'] },
  ],
  async run({ params, log }) {
    const { rounds, warmup, chunks } = params;
    const per = Math.ceil(rounds / chunks);
    const samples = new Map<string, number[]>(VARIANTS.map((v) => [v.id, []]));
    const raw = [new RawWorker(), new RawWorker()];
    try {
      for (let c = 0; c < chunks; c++) {
        log(`chunk ${c + 1}/${chunks}`);
        // A different order in every chunk, and a short idle gap before each variant, so that
        // no variant inherits the machine state its neighbour left (see shuffled()).
        for (const v of shuffled(VARIANTS, c)) {
          await pause(GAP_MS);
          const sync = new Int32Array(new SharedArrayBuffer(16));
          const times = new Float64Array(new SharedArrayBuffer(per * 8));
          await v.run(sync, times, warmup, raw);
          samples.get(v.id)!.push(...times);
        }
      }
    } finally {
      await Promise.all(raw.map((w) => w.close()));
    }
    return VARIANTS.map((v) => figure(v.id, v.label, v.source, samples.get(v.id)!, v.note));
  },
});
