/**
 * Cross-thread hand-off latency: two threads pass the turn back and forth, and one of them
 * times every round trip. threadkit's Event, Lock and Condition (in threadkit Threads) beside
 * a raw `Atomics.wait`/`Atomics.notify` ping-pong between two raw Workers, and CPython's
 * equivalents (two threads, two Events / two Locks / one Condition).
 */
import { Condition, Event, Lock, threadable } from '@threadkit/core';
import { summarize } from '../lib/stats.js';
import { inThread, inWorker } from '../lib/threads.js';
import { defineSuite, type Figure, type Measured } from '../lib/types.js';

export interface Params {
  /** Timed round trips per figure. */
  rounds: number;
  /** Untimed round trips first. */
  warmup: number;
}

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
  times: Float64Array,
  note?: string,
): Figure {
  if (times.some((t) => t === 0)) throw new Error(`${label}: some round trips were not recorded`);
  const stats = summarize(times, 1000); // ms → µs
  return { id, label, source, value: stats.p50!, unit: 'µs/rt', stats, note };
}

export default defineSuite<Params>({
  name: 'handoff',
  title: 'hand-off between two threads (ping-pong round trip)',
  description:
    'Two threads pass the turn back and forth; one of them times every round trip with ' +
    '`performance.now()` (`time.perf_counter_ns` in CPython). Figures are the **median** round ' +
    'trip in µs (mean and p99 in the details). The raw baseline is one word of a ' +
    'SharedArrayBuffer with `Atomics.wait`/`Atomics.notify` between two raw Workers; threadkit ' +
    'runs in two threadkit Threads; CPython in two threads (main + one).',
  goal: 'Event ping-pong and Lock hand-off within 1.2× of the raw Atomics.wait/notify ping-pong.',
  params: (quick) => ({ rounds: quick ? 1000 : 5000, warmup: quick ? 200 : 500 }),
  rows: [
    {
      figure: 'tk.event',
      baselines: ['node.raw', 'py.event'],
      goal: [{ vs: 'node.raw', maxRatio: 1.2 }],
    },
    {
      figure: 'tk.lock',
      baselines: ['node.raw', 'py.lock'],
      goal: [{ vs: 'node.raw', maxRatio: 1.2 }],
    },
    { figure: 'tk.cond', baselines: ['node.raw', 'py.cond'] },
  ],
  async run({ params, log }) {
    const { rounds, warmup } = params;
    const total = rounds + warmup;
    const out: Measured[] = [];
    const buffers = () => ({
      sync: new Int32Array(new SharedArrayBuffer(16)),
      times: new Float64Array(new SharedArrayBuffer(rounds * 8)),
    });

    log('raw Atomics.wait/notify between two Workers');
    {
      const { sync, times } = buffers();
      await Promise.all([inWorker(rawPong, sync, total), inWorker(rawPing, sync, times, warmup)]);
      out.push(
        figure('node.raw', 'raw Atomics ping-pong', 'node', times, 'two raw Workers, one SAB word'),
      );
    }

    log('threadkit Event ping-pong');
    {
      const { sync, times } = buffers();
      const e1 = new Event();
      const e2 = new Event();
      await Promise.all([
        inThread(eventPong, e1, e2, sync, total),
        inThread(eventPing, e1, e2, sync, times, warmup),
      ]);
      out.push(
        figure(
          'tk.event',
          'threadkit Event ping-pong',
          'threadkit',
          times,
          'two Events, two Threads',
        ),
      );
    }

    log('threadkit Lock hand-off');
    {
      const { sync, times } = buffers();
      const l1 = new Lock();
      const l2 = new Lock();
      l1.acquire();
      l2.acquire();
      await Promise.all([
        inThread(lockPong, l1, l2, sync, total),
        inThread(lockPing, l1, l2, sync, times, warmup),
      ]);
      out.push(
        figure(
          'tk.lock',
          'threadkit Lock hand-off',
          'threadkit',
          times,
          'two Locks released by the other thread',
        ),
      );
    }

    log('threadkit Condition ping-pong');
    {
      const { sync, times } = buffers();
      const cond = new Condition();
      await Promise.all([
        inThread(condPong, cond, sync, total),
        inThread(condPing, cond, sync, times, warmup),
      ]);
      out.push(
        figure(
          'tk.cond',
          'threadkit Condition ping-pong',
          'threadkit',
          times,
          'one Condition, a turn counter',
        ),
      );
    }
    return out;
  },
});
