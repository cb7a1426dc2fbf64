import {
  DataCloneError,
  Empty,
  Full,
  JoinableQueue,
  Pipe,
  Process,
  Queue,
  SimpleQueue,
  ValueError,
} from '@threadkit/multiprocessing';
import { describe, expect, it } from 'vitest';

describe('process Queue within one process', () => {
  it('is FIFO over any structured-cloneable item; qsize/empty/full', () => {
    const q = new Queue(3);
    expect(q.maxsize).toBe(3);
    expect(q.empty()).toBe(true);
    q.put({ a: [1, 2] });
    q.put(new Map([['k', new Set([1])]]));
    q.putNowait('three');
    expect(q.qsize()).toBe(3);
    expect(q.full()).toBe(true);
    expect(q.get()).toEqual({ a: [1, 2] });
    expect(q.get()).toEqual(new Map([['k', new Set([1])]]));
    expect(q.getNowait()).toBe('three');
    expect(q.empty()).toBe(true);
    expect(new Queue().full()).toBe(false);
    q.close();
  });

  it("Empty / Full with Python's timeout rules", () => {
    const q = new Queue(1);
    expect(() => q.get(false)).toThrow(Empty);
    expect(() => q.getNowait()).toThrow(Empty);
    let t0 = performance.now();
    expect(() => q.get(true, 0.2)).toThrow(Empty);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(190);
    q.put(1);
    expect(() => q.put(2, false)).toThrow(Full);
    t0 = performance.now();
    expect(() => q.put(2, { timeout: 0.2 })).toThrow(Full);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(190);
    expect(() => q.get(true, -1)).toThrow(ValueError);
    expect(() => q.put(2, true, -1)).toThrow("'timeout' must be a non-negative number");
    expect(q.get({ block: true, timeout: 1 })).toBe(1);
    q.close();
  });

  it('rejects items that cannot cross, and use after close', () => {
    const q = new Queue();
    expect(() => q.put({ f: () => 0 })).toThrow(DataCloneError);
    expect(() => q.put({ f: () => 0 })).toThrow(/obj\.f/);
    expect(() => q.put(Pipe()[0])).toThrow(/only in its Process arguments/);
    q.close();
    expect(() => q.put(1)).toThrow(ValueError);
    expect(() => q.get()).toThrow(/is closed/);
    q.close();
  });

  it('keeps order when the queue grows large and is drained while it grows', () => {
    const q = new Queue();
    const blob = 'x'.repeat(1000);
    for (let i = 0; i < 3000; i++) q.put([i, blob]);
    for (let i = 0; i < 3000; i++) {
      expect((q.get() as [number])[0]).toBe(i);
      if (i < 1500) q.put([3000 + i, blob]);
    }
    for (let i = 3000; i < 4500; i++) expect((q.get() as [number])[0]).toBe(i);
    expect(q.qsize()).toBe(0);
    q.close();
  });

  it('async twins wait on the event loop and honour an AbortSignal', async () => {
    const q = new Queue(1);
    setTimeout(() => q.put('late'), 30);
    expect(await q.getAsync()).toBe('late');
    await expect(q.getAsync(true, 0.05)).rejects.toThrow(Empty);
    const ac = new AbortController();
    const p = q.getAsync({ signal: ac.signal });
    ac.abort(new Error('stop waiting'));
    await expect(p).rejects.toThrow('stop waiting');
    q.put(1);
    await expect(q.putAsync(2, true, 0.05)).rejects.toThrow(Full);
    const putting = q.putAsync(2);
    expect(q.get()).toBe(1);
    await putting;
    expect(q.get()).toBe(2);
    q.close();
  });

  it('SimpleQueue: put, get, empty', async () => {
    const q = new SimpleQueue();
    expect(q.empty()).toBe(true);
    q.put([1]);
    q.put(2);
    expect(q.empty()).toBe(false);
    expect(q.get()).toEqual([1]);
    expect(await q.getAsync()).toBe(2);
    expect(() => q.get(false)).toThrow(Empty);
    q.close();
  });

  it('JoinableQueue: taskDone too many times is a ValueError', () => {
    const q = new JoinableQueue();
    q.put(1);
    expect(q.unfinishedTasks).toBe(1);
    q.get();
    q.taskDone();
    q.join(); // returns at once: nothing unfinished
    expect(() => q.taskDone()).toThrow(new ValueError('task_done() called too many times'));
    q.close();
  });
});

describe('process Queue across processes', () => {
  it('collects items from several producer processes, each in its order', () => {
    const q = new Queue();
    const producers = [0, 1, 2].map(
      (id) =>
        new Process({
          target: (q: any, id: number) => {
            for (let k = 0; k < 300; k++) q.put({ id, k, pad: 'p'.repeat(k % 50) });
          },
          args: [q, id],
        }),
    );
    for (const p of producers) p.start();
    const next = [0, 0, 0];
    const take = () => {
      try {
        return q.get(true, 30) as { id: number; k: number };
      } catch {
        // Say why: a producer that failed, or items lost.
        for (const p of producers) p.join(1);
        throw new Error(
          `no item after 30 s; received ${next}; exit codes ${producers.map((p) => p.exitcode)}`,
        );
      }
    };
    for (let i = 0; i < 900; i++) {
      const { id, k } = take();
      expect(k).toBe(next[id]);
      next[id]++;
    }
    expect(next).toEqual([300, 300, 300]);
    for (const p of producers) p.join();
    expect(producers.map((p) => p.exitcode)).toEqual([0, 0, 0]);
    expect(q.empty()).toBe(true);
    q.close();
  });

  it('feeds consumer processes blocked in get(), and JoinableQueue.join waits for their taskDone', () => {
    const tasks = new JoinableQueue();
    const results = new Queue();
    const consumers = [0, 1].map(
      () =>
        new Process({
          target: (tasks: any, results: any) => {
            for (;;) {
              const n = tasks.get();
              if (n === null) {
                tasks.taskDone();
                return;
              }
              results.put(n * n);
              tasks.taskDone();
            }
          },
          args: [tasks, results],
        }),
    );
    for (const c of consumers) c.start();
    for (let i = 1; i <= 50; i++) tasks.put(i);
    tasks.put(null);
    tasks.put(null);
    tasks.join();
    expect(tasks.unfinishedTasks).toBe(0);
    const got: number[] = [];
    for (let i = 0; i < 50; i++) got.push(results.get(false) as number);
    expect(got.sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => (i + 1) ** 2));
    for (const c of consumers) c.join();
    tasks.close();
    results.close();
  });

  it('a bounded queue makes a fast producer process wait for the consumer', () => {
    const q = new Queue(2);
    const p = new Process({
      target: (q: any) => {
        for (let i = 0; i < 20; i++) q.put(i);
        q.put('done');
      },
      args: [q],
    });
    p.start();
    const got: unknown[] = [];
    for (;;) {
      expect(q.qsize()).toBeLessThanOrEqual(2);
      const v = q.get(true, 30);
      if (v === 'done') break;
      got.push(v);
    }
    expect(got).toEqual(Array.from({ length: 20 }, (_, i) => i));
    p.join();
    q.close();
  });

  it('a timed get() waiting in the kernel is woken by a put() from a child; a timed put() by a get()', () => {
    const q = new Queue(1);
    const back = new Queue();
    // The child must not get its own item back before the parent does: it waits for `go`.
    const go = new Queue();
    const p = new Process({
      target: (q: any, back: any, go: any) => {
        q.put('from the child'); // the parent is in get(true, 30) by now (a child starts slowly)
        go.get();
        back.put(q.get(true, 30)); // the parent is (or soon will be) in put(…, true, 30)
      },
      args: [q, back, go],
    });
    p.start();
    expect(q.get(true, 30)).toBe('from the child');
    q.put('for the child');
    go.put(1);
    q.put('fills it', true, 30); // waits until the child took the first one
    expect(back.get(true, 30)).toBe('for the child');
    expect(q.get(true, 30)).toBe('fills it');
    p.join();
    expect(p.exitcode).toBe(0);
  });

  it('reaches a grandchild through its parent, and back to the top', () => {
    const q = new Queue();
    const p = new Process({
      target: async (q: any) => {
        const { Process } = await import('@threadkit/multiprocessing');
        const child = new Process({
          target: async (q: any) => {
            const { currentProcess, parentProcess } = await import('@threadkit/multiprocessing');
            q.put({ me: currentProcess().name, parent: parentProcess()!.name });
          },
          args: [q],
        });
        child.start();
        child.join();
        q.put({ joined: child.exitcode });
      },
      args: [q],
    });
    p.start();
    const first = q.get(true, 30) as { me: string; parent: string };
    expect(first).toEqual({ me: `${p.name}:1`, parent: p.name });
    expect(q.get(true, 30)).toEqual({ joined: 0 });
    p.join();
    q.close();
  });
});
