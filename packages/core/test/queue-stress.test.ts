// Many-to-many stress: 4 producer threads × 4 consumer threads, 50 000 items per producer.
// Every item must arrive exactly once and, for FIFO queues, each producer's items must reach
// every consumer in the order they were put. Bookkeeping lives in shared Int32Arrays.

import { LifoQueue, PriorityQueue, Queue, SimpleQueue, Thread } from '@threadkit/core';
import { describe, expect, it } from 'vitest';

const PRODUCERS = 4;
const CONSUMERS = 4;
const PER_PRODUCER = 50_000;

type Kind = 'int' | 'object' | 'string' | 'mixed';

function start(target: (...args: any[]) => unknown, args: unknown[]): Thread {
  const t = new Thread({ target, args, daemon: true });
  t.start();
  return t;
}

async function run(
  q: Queue | SimpleQueue,
  kind: Kind,
  checkOrder: boolean,
  sentinel: unknown = null,
  timed = false,
): Promise<void> {
  const seen = new Int32Array(new SharedArrayBuffer(PRODUCERS * PER_PRODUCER * 4));
  const stats = new Int32Array(new SharedArrayBuffer(16)); // [out of order, received, bad items]
  const consumers = Array.from({ length: CONSUMERS }, () =>
    start(
      (
        q: Queue,
        seen: Int32Array,
        stats: Int32Array,
        perProducer: number,
        producers: number,
        checkOrder: boolean,
        sentinel: unknown,
        timed: boolean,
      ) => {
        const last = new Array(producers).fill(-1);
        for (;;) {
          const item = timed ? q.get(true, 60) : q.get();
          if (item === sentinel) return;
          let p: number;
          let i: number;
          if (typeof item === 'number') {
            p = Math.floor(item / perProducer);
            i = item % perProducer;
          } else if (typeof item === 'string') {
            const m = /^p(\d+)-(\d+)$/.exec(item);
            if (!m) {
              Atomics.add(stats, 2, 1);
              continue;
            }
            p = Number(m[1]);
            i = Number(m[2]);
          } else {
            p = item.p;
            i = item.i;
            if (item.tag !== `t${i}`) Atomics.add(stats, 2, 1);
          }
          if (checkOrder && i <= last[p]) Atomics.add(stats, 0, 1);
          last[p] = i;
          Atomics.add(seen, p * perProducer + i, 1);
          Atomics.add(stats, 1, 1);
        }
      },
      [q, seen, stats, PER_PRODUCER, PRODUCERS, checkOrder, sentinel, timed],
    ),
  );
  const producers = Array.from({ length: PRODUCERS }, (_, p) =>
    start(
      (q: Queue, p: number, n: number, kind: Kind) => {
        for (let i = 0; i < n; i++) {
          const k = kind === 'mixed' ? (['int', 'string', 'object'] as const)[i % 3] : kind;
          if (k === 'int') q.put(p * n + i);
          else if (k === 'string') q.put(`p${p}-${i}`);
          else q.put({ p, i, tag: `t${i}` });
        }
      },
      [q, p, PER_PRODUCER, kind],
    ),
  );
  for (const t of producers) await t.joinAsync(120);
  // LIFO and priority queues would hand the sentinels out first: wait until all items are in.
  const end = performance.now() + 120_000;
  while (Atomics.load(stats, 1) < PRODUCERS * PER_PRODUCER && performance.now() < end) {
    await new Promise((r) => setTimeout(r, 5));
  }
  for (let c = 0; c < CONSUMERS; c++) q.put(sentinel);
  for (const t of consumers) await t.joinAsync(120);
  for (const t of [...producers, ...consumers]) expect(t.isAlive()).toBe(false);

  expect(stats[2]).toBe(0);
  expect(stats[1]).toBe(PRODUCERS * PER_PRODUCER);
  let missing = 0;
  let duplicated = 0;
  for (const n of seen) {
    if (n === 0) missing++;
    else if (n > 1) duplicated++;
  }
  expect({ missing, duplicated }).toEqual({ missing: 0, duplicated: 0 });
  expect(stats[0]).toBe(0); // each producer's items in order, seen from every consumer
  expect(q.qsize()).toBe(0);
}

describe('4 × 4 threads, 50 000 items per producer', () => {
  it('Queue (unbounded, ints): every item once, per-producer FIFO order', async () => {
    await run(new Queue(), 'int', true);
  });

  it('Queue(100) (bounded: putters block), small objects: every item once, in order', async () => {
    const q = new Queue(100);
    await run(q, 'object', true);
    expect(q.unfinishedTasks).toBe(PRODUCERS * PER_PRODUCER + CONSUMERS);
  });

  it('SimpleQueue, short strings: every item once, in order', async () => {
    await run(new SimpleQueue(), 'string', true);
  });

  // Numbers skip the wire's Prepared object and are read in place under the consumers' lock;
  // `get(true, 60)` reuses its arguments and reads the clock only when it must wait.
  it('SimpleQueue, ints, timed gets: every item once, in order', async () => {
    await run(new SimpleQueue(), 'int', true, null, true);
  });

  it('Queue and SimpleQueue, ints mixed with strings and objects: every item once, in order', async () => {
    await run(new Queue(), 'mixed', true);
    await run(new SimpleQueue(), 'mixed', true, null, true);
  });

  it('LifoQueue and PriorityQueue (one lock for both ends), ints: every item once', async () => {
    await run(new LifoQueue(), 'int', false);
    await run(new PriorityQueue(1000), 'int', false, -1);
  });
});

describe('storage that grows and shrinks while both ends are busy', () => {
  for (const Q of [Queue, SimpleQueue]) {
    it(`${Q.name}: bursts of 20 000 items, drained by the main thread, stay whole and in order`, async () => {
      const q = new Q();
      const burst = 20_000;
      const bursts = 4;
      const gate = new SimpleQueue();
      const t = start(
        (q: Queue, gate: SimpleQueue, burst: number, bursts: number) => {
          for (let b = 0; b < bursts; b++) {
            for (let i = 0; i < burst; i++) q.put(b * burst + i);
            gate.get(); // wait until the main thread drained the burst (the ring shrinks back)
          }
        },
        [q, gate, burst, bursts],
      );
      let next = 0;
      for (let b = 0; b < bursts; b++) {
        for (let i = 0; i < burst; i++) {
          const x = q.get();
          if (x !== next) expect(x).toBe(next);
          next++;
        }
        expect(q.qsize()).toBe(0);
        gate.put('go');
      }
      await t.joinAsync(60);
      expect(t.isAlive()).toBe(false);
    });
  }
});
