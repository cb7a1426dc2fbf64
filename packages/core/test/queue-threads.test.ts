// Queues across real threads: CPython's two-thread blocking tests (do_blocking_test), join
// with worker threads, every shutdown scenario of test_queue.py, SimpleQueue feeders and
// consumers, the main thread blocked in get(), big items, shared objects through queues.
// Threads report through queues (a results SimpleQueue plays Python's shared `results` list).

import {
  Barrier,
  Empty,
  Event,
  LifoQueue,
  Lock,
  PriorityQueue,
  Queue,
  ShutDown,
  SimpleQueue,
  Thread,
  Value,
} from '@threadkit/core';
import { describe, expect, it } from 'vitest';

const QUEUE_SIZE = 5;

/** Start a daemon thread (daemon: a failing test cannot hang the run). */
function start(target: (...args: any[]) => unknown, args: unknown[]): Thread {
  const t = new Thread({ target, args, daemon: true });
  t.start();
  return t;
}

async function joinAll(threads: Thread[]): Promise<void> {
  for (const t of threads) await t.joinAsync(60);
  for (const t of threads) expect(t.isAlive()).toBe(false);
}

function drain(q: SimpleQueue): unknown[] {
  const out: unknown[] = [];
  while (!q.empty()) out.push(q.get());
  return out;
}

/**
 * CPython's _TriggerThread: sleeps 0.1 s, sets `started`, then runs `q.get()` or
 * `q.put(arg)`. Errors are reported on `errors` (a SimpleQueue).
 */
function trigger(
  q: Queue,
  action: 'get' | 'put',
  arg: unknown,
  started: Event,
  errors: SimpleQueue,
): Thread {
  return start(
    async (q: Queue, action: string, arg: unknown, started: Event, errors: SimpleQueue) => {
      const tk = await import('@threadkit/core');
      try {
        tk.sleep(0.1);
        started.set();
        if (action === 'get') q.get();
        else q.put(arg);
      } catch (e) {
        errors.put(String(e));
      }
    },
    [q, action, arg, started, errors],
  );
}

/** do_blocking_test: `block()` must block (in this thread) until the trigger thread acts. */
function doBlockingTest<R>(block: () => R, q: Queue, action: 'get' | 'put', arg?: unknown): R {
  const started = new Event();
  const errors = new SimpleQueue();
  const t = trigger(q, action, arg, started, errors);
  const result = block();
  expect(started.isSet()).toBe(true); // "blocking function appeared not to block"
  t.join(10);
  expect(t.isAlive()).toBe(false);
  expect(drain(errors)).toEqual([]);
  return result;
}

describe.each([
  ['Queue', Queue],
  ['LifoQueue', LifoQueue],
  ['PriorityQueue', PriorityQueue],
] as const)('%s across threads (CPython BaseQueueTestMixin)', (_name, Kind) => {
  it('basic_queue_test blocking steps: the main thread blocks in put/get until a thread acts', () => {
    const q = new Kind(QUEUE_SIZE);
    for (let i = 0; i < QUEUE_SIZE; i++) q.put(i);
    expect(q.full()).toBe(true);
    doBlockingTest(() => q.put(30), q, 'get');
    doBlockingTest(() => q.put(30, true, 10), q, 'get');
    for (let i = 0; i < QUEUE_SIZE; i++) q.get();
    expect(q.empty()).toBe(true);
    expect(doBlockingTest(() => q.get(), q, 'put', 'empty')).toBe('empty');
    expect(doBlockingTest(() => q.get(true, 10), q, 'put', 'empty')).toBe('empty');
  });

  it('test_queue_join: two worker threads, join() twice, then task_done too many times', async () => {
    const q = new Kind();
    for (let round = 0; round < 2; round++) {
      const cum = Value('i', 0);
      const workers = [0, 1].map(() =>
        start(
          (q: Queue, cum: any) => {
            for (;;) {
              const x = q.get();
              if (x < 0) {
                q.taskDone();
                return;
              }
              cum.getLock().withLock(() => {
                cum.value += x;
              });
              q.taskDone();
            }
          },
          [q, cum],
        ),
      );
      for (let i = 0; i < 100; i++) q.put(i);
      q.join(); // blocks the main thread until the workers are done
      expect(cum.value).toBe(4950);
      q.put(-1);
      q.put(-1);
      await q.joinAsync(); // joining twice works
      await joinAll(workers);
    }
    expect(() => q.taskDone()).toThrow('task_done() called too many times');
  });
});

// --- test_queue.py's shutdown scenarios with threads ---------------------------------------

async function getter(
  q: Queue,
  go: Event,
  results: SimpleQueue,
  expectShutdown: boolean,
): Promise<void> {
  go.wait();
  try {
    q.get();
    results.put(!expectShutdown);
  } catch (e: any) {
    if (e?.name !== 'ShutDown') throw e;
    results.put(expectShutdown);
  }
}

async function putter(
  q: Queue,
  msg: unknown,
  go: Event,
  results: SimpleQueue,
  expectShutdown: boolean,
): Promise<void> {
  go.wait();
  try {
    q.put(msg);
    results.put(!expectShutdown);
  } catch (e: any) {
    if (e?.name !== 'ShutDown') throw e;
    results.put(expectShutdown);
  }
}

function joiner(q: Queue, results: SimpleQueue): void {
  q.join();
  results.put(true);
}

function getTaskDone(q: Queue, go: Event, results: SimpleQueue): void {
  go.wait();
  try {
    q.get();
    q.taskDone();
    results.put(true);
  } catch (e: any) {
    if (e?.name !== 'ShutDown') throw e;
    results.put(false);
  }
}

describe.each([
  ['Queue', Queue],
  ['LifoQueue', LifoQueue],
  ['PriorityQueue', PriorityQueue],
] as const)('%s shutdown with threads (CPython test_shutdown_*)', (_name, Kind) => {
  it.each([false, true])('_shutdown_get (immediate=%s)', async (immediate) => {
    const q = new Kind(2);
    const results = new SimpleQueue();
    const go = new Event();
    q.put('Y');
    q.put('D');
    const n = immediate ? 2 : 3;
    const threads = Array.from({ length: n }, () => start(getter, [q, go, results, immediate]));
    q.shutdown(immediate);
    go.set();
    await joinAll(threads);
    const r = drain(results) as boolean[];
    if (immediate) expect(r).toEqual([true, true]);
    else expect(r.sort()).toEqual([false, true, true]);
  });

  it.each([false, true])('_shutdown_put (immediate=%s)', async (immediate) => {
    const q = new Kind(2);
    const results = new SimpleQueue();
    const go = new Event();
    q.put('Y');
    q.put('D');
    const threads = ['E', 'W'].map((m) => start(putter, [q, m, go, results, true]));
    q.shutdown(immediate);
    go.set();
    await joinAll(threads);
    expect(drain(results)).toEqual([true, true]);
  });

  it.each([false, true])('_shutdown_join (immediate=%s)', async (immediate) => {
    const q = new Kind();
    const results = new SimpleQueue();
    const go = new Event();
    q.put('Y');
    const threads = [start(joiner, [q, results]), start(joiner, [q, results])];
    if (!immediate) {
      const res = new SimpleQueue();
      threads.push(start(getTaskDone, [q, go, res]));
    }
    q.shutdown(immediate);
    go.set();
    await joinAll(threads);
    expect(drain(results)).toEqual([true, true]);
  });

  it.each([false, true])('_shutdown_put_join (immediate=%s)', async (immediate) => {
    const q = new Kind(2);
    const results = new SimpleQueue();
    const go = new Event();
    q.put('Y');
    const threads = [start(putter, [q, 'E', go, results, true]), start(joiner, [q, results])];
    expect(q.unfinishedTasks).toBe(1);
    q.shutdown(immediate);
    go.set();
    if (immediate) {
      expect(() => q.getNowait()).toThrow(ShutDown);
    } else {
      expect(q.get()).toBe('Y');
      q.taskDone();
    }
    await joinAll(threads);
    expect(drain(results)).toEqual([true, true]);
  });

  it('test_shutdown_get_task_done_join', async () => {
    const q = new Kind(2);
    const results = new SimpleQueue();
    const go = new Event();
    q.put('Y');
    q.put('D');
    expect(q.unfinishedTasks).toBe(q.qsize());
    const threads = [
      start(getTaskDone, [q, go, results]),
      start(getTaskDone, [q, go, results]),
      start(joiner, [q, results]),
      start(joiner, [q, results]),
    ];
    go.set();
    q.shutdown(false);
    await joinAll(threads);
    expect(drain(results)).toEqual([true, true, true, true]);
  });

  it('test_shutdown_pending_get', async () => {
    const q = new Kind();
    const results = new SimpleQueue();
    const t = start(
      (q: Queue, results: SimpleQueue) => {
        try {
          results.put(q.get());
        } catch (e: any) {
          results.put(e.name);
        }
      },
      [q, results],
    );
    q.shutdown(false);
    await t.joinAsync(10);
    expect(t.isAlive()).toBe(false);
    expect(drain(results)).toEqual(['ShutDown']);
  });
});

describe.each([false, true])(
  '_shutdown_all_methods_in_many_threads (immediate=%s), scaled down',
  (immediate) => {
    it('every reader ends with ShutDown, some writer sees it, immediate empties the queue', async () => {
      const q = new Queue();
      const resPuts = new SimpleQueue();
      const resGets = new SimpleQueue();
      const resShutdown = new SimpleQueue();
      const writeThreads = 2;
      const readThreads = 3;
      const joinThreads = 2;
      const nbMsgsW = 4096;
      const whenExecShutdown = nbMsgsW / 2;
      const barrierStart = new Barrier(writeThreads + readThreads + (immediate ? joinThreads : 0));
      const evExecShutdown = new Event();
      const threads: Thread[] = [];
      for (let i = 0; i < writeThreads; i++) {
        threads.push(
          start(
            (
              q: Queue,
              n: number,
              results: SimpleQueue,
              when: number,
              ev: Event,
              barrier: Barrier,
            ) => {
              for (let i = 0; i < when / 2; i++) q.put([i, 'LOYD']);
              barrier.wait();
              for (let i = when / 2; i < n; i++) {
                try {
                  q.put([i, 'YDLO']);
                } catch (e: any) {
                  if (e.name !== 'ShutDown') throw e;
                  results.put(false);
                  break;
                }
                if (i === when && !ev.isSet()) {
                  ev.set();
                  results.put(true);
                }
              }
            },
            [q, nbMsgsW, resPuts, whenExecShutdown, evExecShutdown, barrierStart],
          ),
        );
      }
      for (let i = 0; i < readThreads; i++) {
        threads.push(
          start(
            async (q: Queue, results: SimpleQueue, barrier: Barrier) => {
              const tk = await import('@threadkit/core');
              q.get(true);
              q.taskDone();
              barrier.wait();
              for (;;) {
                try {
                  q.get(false);
                  q.taskDone();
                } catch (e: any) {
                  if (e.name === 'ShutDown') {
                    results.put(true);
                    break;
                  }
                  if (e.name !== 'Empty') throw e;
                  tk.sleep(0.0001); // CPython spins here; yield the core instead
                }
              }
            },
            [q, resGets, barrierStart],
          ),
        );
      }
      threads.push(
        start(
          (q: Queue, results: SimpleQueue, ev: Event, immediate: boolean) => {
            ev.wait();
            q.shutdown(immediate);
            results.put(q.qsize() === 0);
          },
          [q, resShutdown, evExecShutdown, immediate],
        ),
      );
      if (immediate) {
        for (let i = 0; i < joinThreads; i++) {
          threads.push(
            start(
              (q: Queue, barrier: Barrier) => {
                barrier.wait();
                q.join();
              },
              [q, barrierStart],
            ),
          );
        }
      }
      await joinAll(threads);
      expect(drain(resPuts)).toContain(true);
      expect(drain(resGets).filter((x) => x === true).length).toBe(readThreads);
      if (immediate) {
        expect(drain(resShutdown)).toEqual([true]);
        expect(q.empty()).toBe(true);
      }
    });
  },
);

describe('shutdown wakes blocked getters and putters in every thread', () => {
  it('threads blocked in get() and put(), the main thread blocked in get(), async waiters', async () => {
    const empty = new Queue();
    const full = new Queue(1);
    full.put('occupied');
    const ready = Value('i', 0);
    const results = new SimpleQueue();
    const threads: Thread[] = [];
    for (let i = 0; i < 3; i++) {
      threads.push(
        start(
          (q: Queue, ready: any, results: SimpleQueue) => {
            ready.getLock().withLock(() => ready.value++);
            try {
              q.get();
              results.put('got');
            } catch (e: any) {
              results.put(`get:${e.name}`);
            }
          },
          [empty, ready, results],
        ),
      );
      threads.push(
        start(
          (q: Queue, ready: any, results: SimpleQueue) => {
            ready.getLock().withLock(() => ready.value++);
            try {
              q.put('more');
              results.put('put');
            } catch (e: any) {
              results.put(`put:${e.name}`);
            }
          },
          [full, ready, results],
        ),
      );
    }
    const asyncGet = empty.getAsync().catch((e) => `async-get:${e.name}`);
    const asyncPut = full.putAsync('x').catch((e) => `async-put:${e.name}`);
    while (ready.value < 6) await new Promise((r) => setTimeout(r, 5));
    // A thread shuts both queues down while the main thread is blocked in get().
    const closer = start(
      async (a: Queue, b: Queue) => {
        const tk = await import('@threadkit/core');
        tk.sleep(0.2);
        a.shutdown();
        b.shutdown();
      },
      [empty, full],
    );
    expect(() => empty.get()).toThrow(ShutDown);
    await joinAll([...threads, closer]);
    expect((drain(results) as string[]).sort()).toEqual([
      'get:ShutDown',
      'get:ShutDown',
      'get:ShutDown',
      'put:ShutDown',
      'put:ShutDown',
      'put:ShutDown',
    ]);
    expect(await asyncGet).toBe('async-get:ShutDown');
    expect(await asyncPut).toBe('async-put:ShutDown');
    expect(full.get()).toBe('occupied'); // non-immediate: items still drain
  });
});

describe('SimpleQueue across threads (CPython BaseSimpleQueueTest)', () => {
  // feed/consume as in CPython: feeders pop inputs from a shared sequence (here a queue) and
  // put them, then a sentinel; consumers get until the sentinel. Results go to a queue.
  async function runThreads(
    n: number,
    consume: 'block' | 'nonblock' | 'timeout',
    inputs: number[],
  ) {
    const q = new SimpleQueue();
    const seq = new SimpleQueue();
    for (const x of inputs) seq.put(x);
    const results = new SimpleQueue();
    const feeders = Array.from({ length: n }, () =>
      start(
        (q: SimpleQueue, seq: SimpleQueue) => {
          for (;;) {
            let val: number;
            try {
              val = seq.getNowait();
            } catch {
              q.put(null);
              return;
            }
            q.put(val);
          }
        },
        [q, seq],
      ),
    );
    const consumers = Array.from({ length: n }, () =>
      start(
        (q: SimpleQueue, results: SimpleQueue, mode: string) => {
          for (;;) {
            let val: unknown;
            for (;;) {
              try {
                val =
                  mode === 'block'
                    ? q.get()
                    : mode === 'nonblock'
                      ? q.get(false)
                      : q.get(true, 1e-5);
                break;
              } catch (e: any) {
                if (e.name !== 'Empty') throw e;
              }
            }
            if (val === null) return;
            results.put(val);
          }
        },
        [q, results, consume],
      ),
    );
    await joinAll([...feeders, ...consumers]);
    expect(q.empty()).toBe(true);
    expect(q.qsize()).toBe(0);
    return drain(results) as number[];
  }

  it('test_order: one feeder, one consumer: results in order', async () => {
    const inputs = Array.from({ length: 100 }, (_, i) => i);
    expect(await runThreads(1, 'block', inputs)).toEqual(inputs);
  });

  it.each(['block', 'nonblock', 'timeout'] as const)(
    'test_many_threads (%s), scaled to 4+4 threads',
    async (mode) => {
      const inputs = Array.from({ length: mode === 'block' ? 10_000 : 2_000 }, (_, i) => i);
      const results = await runThreads(4, mode, inputs);
      expect(results.sort((a, b) => a - b)).toEqual(inputs);
    },
  );
});

describe('items across threads', () => {
  it('the main thread blocked in get() receives items a worker puts', () => {
    const q = new Queue();
    const t = start(
      async (q: Queue) => {
        const tk = await import('@threadkit/core');
        tk.sleep(0.05);
        for (let i = 0; i < 1000; i++) q.put(i % 3 === 0 ? i : i % 3 === 1 ? `s${i}` : { i });
      },
      [q],
    );
    for (let i = 0; i < 1000; i++) {
      expect(q.get()).toEqual(i % 3 === 0 ? i : i % 3 === 1 ? `s${i}` : { i });
    }
    t.join();
  });

  it('big items (megabytes) both ways', async () => {
    const q = new Queue();
    const back = new Queue();
    const big = 'ab☃'.repeat(1_000_000); // 3M chars, UTF-16
    const arr = new Float64Array(600_000).map((_, i) => i / 2);
    q.put({ big, arr });
    const t = start(
      (q: Queue, back: Queue) => {
        const { big, arr } = q.get();
        back.put(big.length);
        back.put(arr[arr.length - 1]);
        back.put('z'.repeat(5_000_000));
      },
      [q, back],
    );
    expect(back.get()).toBe(3_000_000);
    expect(back.get()).toBe(299_999.5);
    const z = back.get();
    expect(z.length).toBe(5_000_000);
    expect(z[4_999_999]).toBe('z');
    await joinAll([t]);
  });

  it('a Lock put on a queue arrives locked or unlocked as it is; a reply queue travels inside a request', async () => {
    const requests = new Queue();
    const held = new Lock();
    held.acquire();
    const free = new Lock();
    const t = start(
      (requests: Queue) => {
        const { held, free, reply } = requests.get();
        reply.put([held.locked(), free.locked()]);
        held.release(); // releasing the main thread's lock from here
        const mine = new (held.constructor as any)();
        mine.acquire();
        reply.put(mine);
      },
      [requests],
    );
    const reply = new SimpleQueue();
    requests.put({ held, free, reply });
    expect(reply.get()).toEqual([true, false]);
    const mine = reply.get();
    expect(mine).toBeInstanceOf(Lock);
    expect(mine.locked()).toBe(true);
    expect(held.locked()).toBe(false);
    await joinAll([t]);
  });

  it('a PriorityQueue with an inline comparator orders items put by another thread', async () => {
    const q = new PriorityQueue(0, { comparator: (a: any, b: any) => a.rank - b.rank });
    const t = start(
      (q: PriorityQueue) => {
        for (const rank of [5, 1, 4, 2, 3]) q.put({ rank });
      },
      [q],
    );
    await joinAll([t]);
    expect([1, 2, 3, 4, 5].map(() => q.get().rank)).toEqual([1, 2, 3, 4, 5]);
  });

  it('getAsync on the main thread receives what a thread puts; raising maxsize lets a blocked putter in', async () => {
    const q = new Queue(1);
    const done = new SimpleQueue();
    const t = start(
      (q: Queue, done: SimpleQueue) => {
        q.put('first');
        q.put('second'); // blocks: the queue is full
        done.put('second is in');
      },
      [q, done],
    );
    expect(await q.getAsync()).toBe('first');
    expect(await q.getAsync(true, 30)).toBe('second');
    expect(await done.getAsync(true, 30)).toBe('second is in');
    await joinAll([t]);

    q.put('a');
    const t2 = start(
      (q: Queue, done: SimpleQueue) => {
        done.put('putting');
        q.put('b'); // blocks until the main thread raises maxsize (no get happens)
        done.put(q.qsize());
      },
      [q, done],
    );
    expect(await done.getAsync(true, 30)).toBe('putting');
    await new Promise((r) => setTimeout(r, 50)); // let it block on the full queue
    q.maxsize = 2; // beyond CPython: wakes the blocked putter at once
    expect(await done.getAsync(true, 30)).toBe(2);
    await joinAll([t2]);
  });

  it('get(timeout) in a thread raises Empty there, after at least 0.6× the timeout', async () => {
    const q = new Queue();
    const out = new SimpleQueue();
    const t = start(
      (q: Queue, out: SimpleQueue) => {
        const t0 = performance.now();
        try {
          q.get(true, 0.2);
          out.put('got');
        } catch (e: any) {
          out.put([e.name, (performance.now() - t0) / 1000]);
        }
      },
      [q, out],
    );
    await joinAll([t]);
    const [name, secs] = out.get() as [string, number];
    expect(name).toBe(Empty.name);
    expect(secs).toBeGreaterThanOrEqual(0.12);
  });
});
