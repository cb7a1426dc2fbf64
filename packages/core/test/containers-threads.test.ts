// SharedDict, SharedList and SharedSet across real threads: every mutating operation raced by
// four threads with exact results, and containers nested in each other and passed through
// Thread args and a Queue by reference.

import { Queue, SharedDict, SharedList, SharedSet, Thread } from '@threadkit/core';
import { describe, expect, it } from 'vitest';

const THREADS = 4;

/** Run `target(...args, k)` in THREADS real threads at once and wait for all of them. */
async function race(target: (...args: any[]) => void, ...args: unknown[]): Promise<void> {
  const threads = Array.from({ length: THREADS }, (_, k) => {
    const t = new Thread({ daemon: true, target, args: [...args, k] });
    t.start();
    return t;
  });
  for (const t of threads) await t.joinAsync(120);
  for (const t of threads) expect(t.isAlive()).toBe(false);
}

/** How many times each of 0…n-1 occurs in `xs` is exactly once. */
function eachOnce(xs: number[], n: number): void {
  const seen = new Int32Array(n);
  for (const x of xs) seen[x]++;
  expect(xs.length).toBe(n);
  expect(seen.every((c) => c === 1)).toBe(true);
}

describe('SharedList across threads', () => {
  it('appends and inserts from 4 threads lose and duplicate nothing', async () => {
    const l = new SharedList<number>();
    const n = 10_000;
    await race(
      (l: SharedList<number>, n: number, k: number) => {
        for (let i = 0; i < n; i++) {
          if (i % 4 === 0) l.insert(i % 3 === 0 ? 0 : -1, k * n + i);
          else if (i % 4 === 1) l.extend([k * n + i]);
          else l.append(k * n + i);
        }
      },
      l,
      n,
    );
    eachOnce(l.toArray(), THREADS * n);
  });

  it('pops from both ends (and the middle) hand out every item exactly once', async () => {
    const n = 40_000;
    const l = new SharedList(Array.from({ length: n }, (_, i) => i));
    const got = new SharedList<number[]>();
    await race(
      (l: SharedList<number>, got: SharedList<number[]>, k: number) => {
        const mine: number[] = [];
        for (;;) {
          try {
            mine.push(k === 0 ? l.pop() : k === 1 ? l.pop(0) : k === 2 ? l.pop(-2) : l.pop(1));
          } catch (e: any) {
            if (e.name !== 'IndexError') throw e;
            if (l.length === 0) break; // pop(-2)/pop(1) of a one-item list: the others take it
          }
        }
        got.append(mine);
      },
      l,
      got,
    );
    expect(got.length).toBe(THREADS);
    eachOnce(got.toArray().flat(), n);
  });

  it('remove races: each item removed by exactly one thread', async () => {
    const n = 4000;
    const l = new SharedList(Array.from({ length: n }, (_, i) => i));
    const removed = new Int32Array(new SharedArrayBuffer(4 * THREADS));
    await race(
      (l: SharedList<number>, removed: Int32Array, n: number, k: number) => {
        for (let i = 0; i < n; i++) {
          try {
            l.remove(i);
            removed[k]++;
          } catch (e: any) {
            if (e.name !== 'ValueError') throw e;
          }
        }
      },
      l,
      removed,
      n,
    );
    expect(removed.reduce((a, b) => a + b, 0)).toBe(n);
    expect(l.length).toBe(0);
  });
});

describe('SharedDict across threads', () => {
  it('set of distinct keys from 4 threads, then pop of every key exactly once', async () => {
    const d = new SharedDict<string, number>();
    const n = 10_000;
    await race(
      (d: SharedDict<string, number>, n: number, k: number) => {
        for (let i = 0; i < n; i++) d.set(`k${k * n + i}`, k * n + i);
      },
      d,
      n,
    );
    expect(d.size).toBe(THREADS * n);
    const got = new SharedList<number[]>();
    await race(
      (d: SharedDict<string, number>, got: SharedList<number[]>, n: number, k: number) => {
        const mine: number[] = [];
        for (let i = 0; i < n * 4; i++) {
          const v = k % 2 ? d.pop(`k${i}`, -1) : d.pop(`k${n * 4 - 1 - i}`, -1);
          if (v >= 0) mine.push(v);
        }
        got.append(mine);
      },
      d,
      got,
      n,
    );
    expect(d.size).toBe(0);
    eachOnce(got.toArray().flat(), THREADS * n);
  });

  it('setdefault races: every thread sees the one value that won', async () => {
    const d = new SharedDict<number, number>();
    const n = 5000;
    const seen = new Int32Array(new SharedArrayBuffer(4 * THREADS * n));
    await race(
      (d: SharedDict<number, number>, seen: Int32Array, n: number, k: number) => {
        for (let i = 0; i < n; i++) seen[k * n + i] = d.setdefault(i, k);
      },
      d,
      seen,
      n,
    );
    expect(d.size).toBe(n);
    for (let i = 0; i < n; i++) {
      const winner = d.get(i)!;
      for (let k = 0; k < THREADS; k++) expect(seen[k * n + i]).toBe(winner);
    }
  });

  it('popitem and update races: each entry handed out once', async () => {
    const d = new SharedDict<number, number>();
    const n = 5000;
    await race(
      (d: SharedDict<number, number>, n: number, k: number) => {
        const batch: [number, number][] = [];
        for (let i = 0; i < n; i++) {
          batch.push([k * n + i, i]);
          if (batch.length === 50) d.update(batch.splice(0));
        }
      },
      d,
      n,
    );
    expect(d.size).toBe(THREADS * n);
    const got = new SharedList<number[]>();
    await race(
      (d: SharedDict<number, number>, got: SharedList<number[]>, _k: number) => {
        const mine: number[] = [];
        for (;;) {
          try {
            mine.push(d.popitem()[0]);
          } catch (e: any) {
            if (e.name !== 'KeyError') throw e;
            break;
          }
        }
        got.append(mine);
      },
      d,
      got,
    );
    eachOnce(got.toArray().flat(), THREADS * n);
  });
});

describe('SharedSet across threads', () => {
  it('add and discard races: exact size, each element discarded exactly once', async () => {
    const s = new SharedSet<number>();
    const n = 8000;
    await race(
      (s: SharedSet<number>, n: number, k: number) => {
        // Every thread adds all of them, in different orders.
        for (let i = 0; i < n; i++) s.add(k % 2 ? i : n - 1 - i);
      },
      s,
      n,
    );
    expect(s.size).toBe(n);
    const wins = new Int32Array(new SharedArrayBuffer(4 * n));
    await race(
      (s: SharedSet<number>, wins: Int32Array, n: number, k: number) => {
        for (let i = 0; i < n; i++) {
          const x = (i + k * 997) % n;
          if (s.discard(x)) Atomics.add(wins, x, 1);
          if (k === 3 && i % 10 === 0) s.add(n + i); // adds racing the discards
        }
      },
      s,
      wins,
      n,
    );
    expect(wins.every((c) => c === 1)).toBe(true);
    expect(s.size).toBe(n / 10);
    const popped = new SharedList<number>();
    await race(
      (s: SharedSet<number>, popped: SharedList<number>) => {
        for (;;) {
          try {
            popped.append(s.pop());
          } catch (e: any) {
            if (e.name !== 'KeyError') throw e;
            return;
          }
        }
      },
      s,
      popped,
    );
    expect(popped.toArray().sort((a, b) => a - b)).toEqual(
      Array.from({ length: n / 10 }, (_, i) => n + i * 10),
    );
  });
});

describe('nesting and passing by reference', () => {
  it('containers inside containers, through Thread args and a Queue, at any depth', async () => {
    const visited = new SharedSet<string>();
    const results = new SharedDict<string, any>();
    const jobs = new SharedList<string>(['a', 'b']);
    results.set('meta', { visited, jobs: [jobs] });
    const q = new Queue();
    const inner = new SharedDict<string, SharedList<number>>([['nums', new SharedList([1])]]);
    q.put({ deep: [[inner]] });
    const t = new Thread({
      daemon: true,
      target: (results: SharedDict<string, any>, q: Queue, fresh: SharedList<string>) => {
        const meta = results.get('meta');
        meta.visited.add('from-thread');
        meta.jobs[0].append('c');
        const got = q.get();
        got.deep[0][0].get('nums').append(2);
        fresh.append('filled in thread');
        got.deep[0][0].set('back', fresh);
        results.set('inner', got.deep[0][0]);
      },
      args: [results, q, new SharedList<string>()],
    });
    t.start();
    await t.joinAsync(60);
    expect(visited.has('from-thread')).toBe(true);
    expect(jobs.toArray()).toEqual(['a', 'b', 'c']);
    expect(inner.get('nums')!.toArray()).toEqual([1, 2]);
    expect((inner.get('back') as any).toArray()).toEqual(['filled in thread']);
    // The dict that came back is the same shared dict.
    results.get('inner').set('x', new SharedList([9]));
    expect(inner.get('x')!.toArray()).toEqual([9]);
  });
});
