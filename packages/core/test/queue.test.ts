// Queues in one thread: ports of CPython's Lib/test/test_queue.py (the parts that need no
// second thread), the timeout rules of docs/CPYTHON.md §1.2, PriorityQueue ordering, async twins.

import {
  DataCloneError,
  Empty,
  Full,
  LifoQueue,
  Lock,
  OverflowError,
  PriorityQueue,
  Queue,
  ShutDown,
  SimpleQueue,
  TIMEOUT_MAX,
  ValueError,
} from '@threadkit/core';
import { describe, expect, it } from 'vitest';

const QUEUE_SIZE = 5;
const KINDS = [
  ['Queue', Queue, [111, 333, 222]],
  ['LifoQueue', LifoQueue, [222, 333, 111]],
  ['PriorityQueue', PriorityQueue, [111, 222, 333]],
] as const;

function qfull(q: Queue): boolean {
  return q.maxsize > 0 && q.qsize() === q.maxsize;
}

function elapsed(fn: () => void): number {
  const t0 = performance.now();
  fn();
  return (performance.now() - t0) / 1000;
}

describe.each(KINDS)('%s (CPython BaseQueueTestMixin, one thread)', (_name, Kind, order) => {
  // basic_queue_test without its two-thread blocking steps (those are in queue-threads.test.ts).
  function basic(q: Queue): void {
    expect(q.qsize()).toBe(0);
    expect(q.empty()).toBe(true);
    expect(q.full()).toBe(false);
    q.put(111);
    q.put(333);
    q.put(222);
    expect([q.get(), q.get(), q.get()]).toEqual(order);
    for (let i = 0; i < QUEUE_SIZE - 1; i++) {
      q.put(i);
      expect(q.qsize()).toBeGreaterThan(0);
    }
    expect(qfull(q)).toBe(false);
    q.put(2 * QUEUE_SIZE);
    expect(qfull(q)).toBe(true);
    expect(q.empty()).toBe(false);
    expect(q.full()).toBe(true);
    expect(() => q.put(30, false)).toThrow(Full);
    expect(() => q.put(30, true, 0.01)).toThrow(Full);
    for (let i = 0; i < QUEUE_SIZE; i++) q.get();
    expect(q.qsize()).toBe(0);
    expect(() => q.get(false)).toThrow(Empty);
    expect(() => q.get(true, 0.01)).toThrow(Empty);
  }

  it('test_basic (twice on the same instance)', () => {
    const q = new Kind(QUEUE_SIZE);
    basic(q);
    basic(q);
  });

  it('test_queue_task_done', () => {
    const q = new Kind();
    expect(() => q.taskDone()).toThrow(new ValueError('task_done() called too many times'));
  });

  it('task_done / join / unfinishedTasks in one thread', () => {
    const q = new Kind();
    q.put(1);
    q.put(2);
    expect(q.unfinishedTasks).toBe(2);
    q.get();
    q.taskDone();
    q.get();
    q.taskDone();
    expect(q.unfinishedTasks).toBe(0);
    q.join(); // returns at once
    expect(() => q.taskDone()).toThrow(ValueError);
  });

  it('test_negative_timeout_raises_exception', () => {
    const q = new Kind(QUEUE_SIZE);
    expect(() => q.put(1, true, -1)).toThrow(
      new ValueError("'timeout' must be a non-negative number"),
    );
    expect(() => q.get(true, -1)).toThrow(ValueError);
    q.put(1);
    expect(() => q.get(true, -1)).toThrow(ValueError); // even with an item present
    // Unbounded put never checks its timeout, as in CPython; non-blocking calls ignore it.
    new Kind().put(1, true, -1);
    expect(q.get(false, -1)).toBe(1);
  });

  it('test_nowait', () => {
    const q = new Kind(QUEUE_SIZE);
    for (let i = 0; i < QUEUE_SIZE; i++) q.putNowait(1);
    expect(() => q.putNowait(1)).toThrow(Full);
    for (let i = 0; i < QUEUE_SIZE; i++) q.getNowait();
    expect(() => q.getNowait()).toThrow(Empty);
  });

  it('test_shrinking_queue (maxsize is live)', () => {
    const q = new Kind(3);
    q.put(1);
    q.put(2);
    q.put(3);
    expect(() => q.putNowait(4)).toThrow(Full);
    expect(q.qsize()).toBe(3);
    q.maxsize = 2;
    expect(q.maxsize).toBe(2);
    expect(() => q.putNowait(4)).toThrow(Full);
    q.maxsize = 0;
    q.putNowait(4);
    expect(q.qsize()).toBe(4);
  });

  it('test_shutdown_empty / nonempty / immediate', () => {
    let q = new Kind();
    q.shutdown();
    expect(() => q.put('data')).toThrow(ShutDown);
    expect(() => q.get()).toThrow(ShutDown);

    q = new Kind();
    q.put('data');
    q.shutdown();
    expect(q.get()).toBe('data');
    expect(() => q.get()).toThrow(ShutDown);

    q = new Kind();
    q.put('data');
    q.shutdown(true);
    expect(() => q.get()).toThrow(ShutDown);

    q = new Kind();
    q.put('data');
    q.shutdown({ immediate: true }); // the keyword form
    expect(() => q.get()).toThrow(ShutDown);
  });

  it('test_shutdown_allowed_transitions', () => {
    const q = new Kind();
    expect(q.isShutdown).toBe(false);
    q.shutdown();
    expect(q.isShutdown).toBe(true);
    q.shutdown(true);
    expect(q.isShutdown).toBe(true);
    q.shutdown(false);
  });

  it.each([false, true])('test_shutdown_all_methods_in_one_thread (immediate=%s)', (immediate) => {
    const q = new Kind(2);
    q.put('L');
    q.putNowait('O');
    q.shutdown(immediate);
    expect(() => q.put('E')).toThrow(ShutDown);
    expect(() => q.putNowait('W')).toThrow(ShutDown);
    if (immediate) {
      expect(() => q.get()).toThrow(ShutDown);
      expect(() => q.getNowait()).toThrow(ShutDown);
      expect(() => q.taskDone()).toThrow(ValueError);
      q.join();
    } else {
      expect('LO').toContain(q.get());
      q.taskDone();
      expect('LO').toContain(q.get());
      q.taskDone();
      q.join();
      expect(() => q.get()).toThrow(ShutDown);
      expect(() => q.getNowait()).toThrow(ShutDown);
      expect(() => q.get(true, 1.0)).toThrow(ShutDown);
    }
  });

  it('immediate shutdown counts discarded items as done but not items already taken', () => {
    const q = new Kind();
    q.put(1);
    q.put(2);
    q.put(3);
    q.get(); // taken, never task_done
    q.shutdown(true);
    expect(q.qsize()).toBe(0);
    expect(q.unfinishedTasks).toBe(1);
    q.taskDone();
    expect(() => q.taskDone()).toThrow(ValueError);
  });

  it('ShutDown wins over ValueError on an empty shut-down queue; Full/Empty after the timeout', () => {
    const q = new Kind(1);
    q.put(1);
    const t = elapsed(() => expect(() => q.put(2, true, 0.1)).toThrow(Full));
    expect(t).toBeGreaterThanOrEqual(0.06);
    q.get();
    const u = elapsed(() => expect(() => q.get(true, 0.1)).toThrow(Empty));
    expect(u).toBeGreaterThanOrEqual(0.06);
    q.shutdown();
    expect(() => q.get(true, -1)).toThrow(ShutDown);
    expect(() => q.put(1, true, -1)).toThrow(ShutDown);
  });

  it('timeouts: 0 polls, TIMEOUT_MAX overflow only when it must wait, bad types are TypeErrors', () => {
    const q = new Kind(1);
    expect(() => q.get(true, 0)).toThrow(Empty);
    q.put(1, true, 0);
    expect(() => q.put(1, true, 0)).toThrow(Full);
    expect(() => q.put(1, true, TIMEOUT_MAX * 2)).toThrow(OverflowError);
    expect(q.get(true, TIMEOUT_MAX * 2)).toBe(1);
    expect(() => q.get(true, TIMEOUT_MAX * 2)).toThrow(OverflowError);
    expect(() => q.get(true, '1' as any)).toThrow(TypeError);
    expect(() => q.get({ block: true, timeout: Number.NaN })).toThrow(TypeError);
    expect(() => new Kind('3' as any)).toThrow(TypeError);
  });

  it('accepts the options form: get({ block, timeout }), put(x, { block })', () => {
    const q = new Kind(1);
    q.put('a', { block: false });
    expect(() => q.put('b', { block: false })).toThrow(Full);
    expect(() => q.put('b', { timeout: 0.01 })).toThrow(Full);
    expect(q.get({ timeout: 0.5 })).toBe('a');
    expect(() => q.get({ block: false })).toThrow(Empty);
  });

  it('grows storage on demand: capacity is counted in items, not bytes', () => {
    const q = new Kind();
    const n = 20_000;
    for (let i = 0; i < n; i++) q.put(i % 2 ? [i, `item-${i}`] : [i]);
    expect(q.qsize()).toBe(n);
    let sum = 0;
    for (let i = 0; i < n; i++) sum += q.get()[0];
    expect(sum).toBe((n * (n - 1)) / 2);
    expect(q.empty()).toBe(true);
  });

  it('rejects values that cannot cross with the path, before touching the queue', () => {
    const q = new Kind();
    expect(() => q.put({ a: [1, () => 2] })).toThrow(DataCloneError);
    expect(() => q.put({ a: [1, () => 2] })).toThrow(/item\.a\[1\]/);
    expect(q.qsize()).toBe(0);
    expect(q.unfinishedTasks).toBe(0);
  });
});

describe('Queue item types (one thread)', () => {
  it('round-trips every kind of value FIFO', () => {
    const q = new Queue();
    const big = 'x'.repeat(3_000_000);
    const items: unknown[] = [
      0,
      -0,
      Number.NaN,
      Number.POSITIVE_INFINITY,
      1.5,
      2 ** 53,
      'hello',
      '',
      'héllo wörld',
      'snow ☃ man',
      '😀 astral',
      'y'.repeat(200),
      '☃'.repeat(200),
      true,
      false,
      null,
      undefined,
      12n,
      -(2n ** 63n),
      2n ** 100n,
      { a: 1, b: 'hello' },
      [1, [2, 3], { x: null }],
      { nested: { deep: [1, 2, { k: 'v' }] } },
      new Map([[1, { a: 2 }]]),
      new Set(['a', 'b']),
      new Date(12345),
      /re+/g,
      new Uint8Array([1, 2, 3]),
      { u: undefined },
      { z: -0 },
      [Number.NaN],
      big,
    ];
    for (const it of items) q.put(it);
    for (const it of items) {
      const got = q.get();
      if (typeof it === 'number' && Number.isNaN(it)) expect(got).toBeNaN();
      else expect(Object.is(got, it) || (typeof it === 'object' && it !== null)).toBe(true);
      expect(got).toEqual(it);
    }
    const holes = [1, 2, 3];
    delete holes[1]; // a hole must stay a hole
    q.put(holes);
    const back = q.get();
    expect(1 in back).toBe(false);
    expect(back.length).toBe(3);
  });

  it('keeps shared references and cycles (structured clone, not JSON)', () => {
    const q = new Queue();
    const inner = { v: 1 };
    q.put([inner, inner]);
    const [a, b] = q.get();
    expect(a).toBe(b);
    const cyc: any = { name: 'c' };
    cyc.self = cyc;
    q.put(cyc);
    const c = q.get();
    expect(c.self).toBe(c);
  });

  it('shared objects arrive working (a Lock keeps its state, a Queue its items)', () => {
    const q = new Queue();
    const lock = new Lock();
    lock.acquire();
    const inner = new Queue();
    inner.put('inside');
    q.put({ lock, inner, list: [lock] });
    const got = q.get();
    expect(got.lock).toBeInstanceOf(Lock);
    // One object per thread, as in Python: the lock comes back as itself.
    expect(got.lock).toBe(lock);
    expect(got.inner).toBe(inner);
    expect(got.lock.locked()).toBe(true);
    got.lock.release();
    expect(lock.locked()).toBe(false);
    expect(got.inner.get()).toBe('inside');
    expect(got.list[0].locked()).toBe(false);
  });
});

describe('PriorityQueue ordering', () => {
  function drain(q: PriorityQueue): unknown[] {
    const out: unknown[] = [];
    while (!q.empty()) out.push(q.get());
    return out;
  }

  it('orders numbers, strings (by code point) and [priority, data] arrays like Python tuples', () => {
    const q = new PriorityQueue();
    for (const x of [5, 3.5, -1, 8, 0, 3]) q.put(x);
    expect(drain(q)).toEqual([-1, 0, 3, 3.5, 5, 8]);
    for (const s of ['b', 'a', 'ab', '', 'B', '\uffff', '😀']) q.put(s);
    // Python: '' < 'B' < 'a' < 'ab' < 'b' < '\uffff' < '😀' (code points; JS `<` puts 😀 first)
    expect(drain(q)).toEqual(['', 'B', 'a', 'ab', 'b', '\uffff', '😀']);
    const tasks = [
      [2, 'write'],
      [1, 'read'],
      [3, 'sleep'],
      [1, 'eat'],
      [2, 'code', { detail: true }],
      [2, 'code'],
    ];
    for (const t of tasks) q.put(t);
    expect(drain(q)).toEqual([
      [1, 'eat'],
      [1, 'read'],
      [2, 'code'],
      [2, 'code', { detail: true }],
      [2, 'write'],
      [3, 'sleep'],
    ]);
  });

  it('matches heapq order on many random items (ints, ties, tuples)', () => {
    const q = new PriorityQueue();
    const xs: [number, number][] = [];
    let seed = 7;
    const rnd = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) % 50;
    for (let i = 0; i < 2000; i++) xs.push([rnd(), rnd()]);
    for (const x of xs) q.put(x);
    const sorted = [...xs].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    expect(drain(q)).toEqual(sorted);
  });

  it("incomparable items raise Python's TypeError and leave the queue intact", () => {
    const q = new PriorityQueue();
    q.put({ a: 1 });
    expect(() => q.put({ b: 2 })).toThrow(
      new TypeError("'<' not supported between instances of 'dict' and 'dict'"),
    );
    expect(q.qsize()).toBe(1);
    expect(q.unfinishedTasks).toBe(1);
    const r = new PriorityQueue();
    r.put([1, 'a']);
    expect(() => r.put(['x', 'a'])).toThrow(
      "'<' not supported between instances of 'str' and 'int'",
    );
    r.put([1, 'b']);
    expect(() => r.put(1)).toThrow(TypeError);
    // Equal first elements fall through to the second: a dict there is incomparable.
    const s = new PriorityQueue();
    s.put([1, { a: 1 }]);
    expect(() => s.put([1, { b: 1 }])).toThrow("'dict' and 'dict'");
    s.put([0, { b: 1 }]);
    expect(s.get()).toEqual([0, { b: 1 }]);
  });

  it('orders with a comparator (an inline target), for any items', () => {
    const q = new PriorityQueue(0, { comparator: (a: any, b: any) => a.priority - b.priority });
    for (const p of [3, 1, 2]) q.put({ priority: p, job: `job${p}` });
    expect(drain(q).map((x: any) => x.job)).toEqual(['job1', 'job2', 'job3']);
    const r = new PriorityQueue({ maxsize: 2, comparator: (a: any, b: any) => b - a });
    r.put(1);
    r.put(9);
    expect(r.full()).toBe(true);
    expect(r.get()).toBe(9);
    expect(() => new PriorityQueue(0, { comparator: 5 as any })).toThrow(TypeError);
  });

  it('LifoQueue and PriorityQueue are Queues', () => {
    expect(new LifoQueue()).toBeInstanceOf(Queue);
    expect(new PriorityQueue()).toBeInstanceOf(Queue);
  });
});

describe('async twins', () => {
  it('getAsync waits for a put without blocking the event loop', async () => {
    const q = new Queue();
    const pending = q.getAsync();
    setTimeout(() => q.put('later'), 20);
    expect(await pending).toBe('later');
  });

  it('putAsync waits for room; joinAsync for taskDone', async () => {
    const q = new Queue(1);
    await q.putAsync('a');
    const pending = q.putAsync('b');
    setTimeout(() => q.get(), 20);
    await pending;
    expect(q.get()).toBe('b');
    const joined = q.joinAsync();
    let done = false;
    void joined.then(() => {
      done = true;
    });
    q.taskDone();
    await new Promise((r) => setTimeout(r, 10));
    expect(done).toBe(false);
    q.taskDone();
    await joined;
  });

  it('async twins follow the same rules: Empty/Full, timeouts, ShutDown, ValueError', async () => {
    const q = new Queue(1);
    await expect(q.getAsync(false)).rejects.toThrow(Empty);
    await expect(q.getAsync(true, 0.02)).rejects.toThrow(Empty);
    await expect(q.getAsync(true, -1)).rejects.toThrow(ValueError);
    await q.putAsync(1);
    await expect(q.putAsync(2, { timeout: 0.02 })).rejects.toThrow(Full);
    const waiting = q.putAsync(3);
    const getter = new Queue().getAsync();
    q.shutdown();
    await expect(waiting).rejects.toThrow(ShutDown);
    expect(await q.getAsync()).toBe(1);
    await expect(q.getAsync()).rejects.toThrow(ShutDown);
    void getter.catch(() => {});
    await expect(q.putAsync(() => 1)).rejects.toThrow(DataCloneError);
  });

  it('an AbortSignal abandons the wait and leaves the queue consistent', async () => {
    const q = new Queue(1);
    const ac = new AbortController();
    const pending = q.getAsync({ signal: ac.signal });
    ac.abort(new Error('stop'));
    await expect(pending).rejects.toThrow('stop');
    q.put('x');
    const full = new AbortController();
    const putting = q.putAsync('y', true, null, { signal: full.signal });
    full.abort(new Error('no room'));
    await expect(putting).rejects.toThrow('no room');
    expect(q.qsize()).toBe(1);
    expect(q.get()).toBe('x');
    q.taskDone();
    const j = new AbortController();
    q.put(1);
    const joining = q.joinAsync({ signal: j.signal });
    j.abort(new Error('bored'));
    await expect(joining).rejects.toThrow('bored');
    const already = new AbortController();
    already.abort(new Error('before'));
    await expect(q.getAsync({ signal: already.signal })).rejects.toThrow('before');
    // Later waiters still work.
    const later = q.getAsync();
    expect(await later).toBe(1);
  });
});

describe('SimpleQueue (CPython BaseSimpleQueueTest, one thread)', () => {
  // A SimpleQueue's consumers subtract taken items from the shared count in batches
  // (queue/core.ts): qsize() and empty() must stay exact across a batch's edge.
  it('qsize() and empty() are exact across the batches of taken items', () => {
    const q = new SimpleQueue();
    for (let i = 0; i < 100; i++) q.put(i % 2 === 0 ? i : `s${i}`);
    for (let i = 0; i < 100; i++) {
      expect(q.qsize()).toBe(100 - i);
      expect(q.get()).toBe(i % 2 === 0 ? i : `s${i}`);
    }
    expect(q.qsize()).toBe(0);
    expect(q.empty()).toBe(true);
    expect(() => q.getNowait()).toThrow(Empty);
    q.put(7);
    expect(q.qsize()).toBe(1);
    expect(q.get(true, 0)).toBe(7);
    expect(() => q.get(true, 0)).toThrow(Empty);
  });

  it('test_basic', () => {
    const q = new SimpleQueue();
    expect(q.empty()).toBe(true);
    expect(q.qsize()).toBe(0);
    q.put(1);
    expect(q.empty()).toBe(false);
    expect(q.qsize()).toBe(1);
    q.put(2);
    q.putNowait(3);
    q.put(4);
    expect(q.qsize()).toBe(4);
    expect(q.get()).toBe(1);
    expect(q.qsize()).toBe(3);
    expect(q.getNowait()).toBe(2);
    expect(q.get(false)).toBe(3);
    expect(q.get(true, 0.1)).toBe(4);
    expect(q.empty()).toBe(true);
    expect(() => q.get(false)).toThrow(Empty);
    expect(() => q.get(true, 1e-3)).toThrow(Empty);
    expect(() => q.getNowait()).toThrow(Empty);
    expect(q.qsize()).toBe(0);
  });

  it('test_negative_timeout_raises_exception; put ignores block and timeout', () => {
    const q = new SimpleQueue();
    q.put(1, false, -5);
    expect(() => q.get(true, -1)).toThrow(ValueError);
    expect(q.get()).toBe(1);
    expect(() => new (SimpleQueue as any)(3)).toThrow(TypeError);
  });

  it('getAsync waits for a put', async () => {
    const q = new SimpleQueue();
    const p = q.getAsync();
    setTimeout(() => q.put({ ok: true }), 10);
    expect(await p).toEqual({ ok: true });
    await q.putAsync(5);
    expect(q.get()).toBe(5);
  });

  it('arrives working through another queue', () => {
    const carrier = new Queue();
    const sq = new SimpleQueue();
    sq.put('x');
    carrier.put(sq);
    const back = carrier.get();
    expect(back).toBeInstanceOf(SimpleQueue);
    expect(back.get()).toBe('x');
  });
});
