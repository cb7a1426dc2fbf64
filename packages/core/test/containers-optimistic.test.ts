// The containers' lock-free reads (containers/seqlock.ts): `l[i]`, `d.get`, `d.has` and
// `s.has` read inline values without the mutex and check a version afterwards. Here real
// threads rewrite, shift, grow and rebuild the containers while others read: every read
// must be a value that was stored whole (never a torn string), and keys that are never
// removed must always be found.

import { SharedDict, SharedList, SharedSet, Thread } from '@threadkit/core';
import { describe, expect, it } from 'vitest';

/** Start `target(...args, k)` for k = 0…n-1 in real threads and wait for all of them. */
async function inThreads(n: number, target: (...args: any[]) => void, ...args: unknown[]) {
  const threads = Array.from({ length: n }, (_, k) => {
    const t = new Thread({ daemon: true, target, args: [...args, k] });
    t.start();
    return t;
  });
  for (const t of threads) await t.joinAsync(120);
  for (const t of threads) expect(t.isAlive()).toBe(false);
}

// Counters: [reads done, bad reads, writer threads finished, reads so far (live)].
const READS = 0;
const BAD = 1;
const DONE = 2;

describe('optimistic reads', () => {
  it('find keys whose probe passes removed entries, and miss removed keys', () => {
    const d = new SharedDict<number | string, number>();
    const s = new SharedSet<number | string>();
    for (let i = 0; i < 1000; i++) {
      d.set(i, i);
      d.set(`k${i}`, i);
      s.add(i);
      s.add(`k${i}`);
    }
    for (let i = 0; i < 500; i++) {
      d.delete(i);
      d.delete(`k${i}`);
      s.discard(i);
      s.discard(`k${i}`);
    }
    for (let i = 0; i < 1000; i++) {
      const live = i >= 500;
      expect([d.get(i), d.get(`k${i}`), d.has(i), s.has(i), s.has(`k${i}`)]).toEqual(
        live ? [i, i, true, true, true] : [undefined, undefined, false, false, false],
      );
    }
    // Keys equal across types (1 == 1.0 == 1n == true) still meet (keyEqual, under the mutex).
    expect([d.get(600n as never), s.has(true as never), d.get(1n as never)]).toEqual([
      600,
      false,
      undefined,
    ]);
  });
});

describe('optimistic reads across threads', () => {
  it('l[i] never returns a torn item while threads rewrite, shift and grow the list', async () => {
    // Items are strings of one repeated char whose code fixes the length: Latin-1
    // ('c' × (c - 96)) and two-byte ('Ā'+c × (c + 1)), all stored inline in their slots.
    const l = new SharedList<string>(Array.from({ length: 8 }, () => 'a'));
    const counters = new Int32Array(new SharedArrayBuffer(16));
    await inThreads(
      4,
      (l: SharedList<string>, counters: Int32Array, k: number) => {
        const item = (c: number) =>
          c % 2 === 0
            ? String.fromCharCode(97 + (c % 26)).repeat((c % 26) + 1)
            : String.fromCharCode(0x100 + (c % 27)).repeat((c % 27) + 1);
        const whole = (x: unknown) => {
          if (typeof x !== 'string' || x.length === 0) return false;
          const c = x.charCodeAt(0);
          const n = c >= 0x100 ? c - 0x100 + 1 : c - 96;
          if (x.length !== n) return false;
          for (let i = 1; i < n; i++) if (x.charCodeAt(i) !== c) return false;
          return true;
        };
        if (k < 2) {
          for (let i = 0; i < 20_000 || Atomics.load(counters, 3) < 20_000; i++) {
            l[(i + k) & 7] = item(i);
            if (i % 3 === 0) {
              l.insert(0, item(i + 1)); // shifts every slot
              l.pop();
            }
            if (i % 64 === 0) {
              for (let j = 0; j < 100; j++) l.append(item(j)); // grows: the slots move
              for (let j = 0; j < 100; j++) l.pop(); // …and shrink back
            }
          }
          Atomics.add(counters, 2, 1);
        } else {
          let reads = 0;
          while (Atomics.load(counters, 2) < 2 || reads < 1000) {
            const x = l[reads & 7];
            if (!whole(x)) Atomics.add(counters, 1, 1);
            if (!whole(l.at(-1 - (reads & 7)))) Atomics.add(counters, 1, 1);
            reads++;
            Atomics.add(counters, 3, 1);
          }
          Atomics.add(counters, 0, reads);
        }
      },
      l,
      counters,
    );
    expect(counters[DONE]).toBe(2);
    expect(counters[READS]).toBeGreaterThanOrEqual(2000);
    expect(counters[BAD]).toBe(0);
    expect(l.length).toBe(8);
  });

  it('d.get / d.has / s.has always find keys never removed while threads rebuild the tables', async () => {
    const d = new SharedDict<number | string, number | string>();
    const s = new SharedSet<number | string>();
    for (let i = 0; i < 64; i++) {
      d.set(i, i * 10);
      d.set(`s${i}`, `v${i}`);
      s.add(i);
      s.add(`s${i}`);
    }
    const counters = new Int32Array(new SharedArrayBuffer(16));
    await inThreads(
      4,
      (
        d: SharedDict<number | string, number | string>,
        s: SharedSet<number | string>,
        counters: Int32Array,
        k: number,
      ) => {
        const long = (i: number) => `W${i}${'='.repeat(50)}`; // 53–54 chars: still inline
        if (k === 0) {
          // Rewrite the stable string keys' values between a short and a long form.
          for (let i = 0; i < 40_000 || Atomics.load(counters, 3) < 20_000; i++) {
            d.set(`s${i & 63}`, i & 1 ? `v${i & 63}` : long(i & 63));
          }
          Atomics.add(counters, 2, 1);
        } else if (k === 1) {
          // Grow each table past its capacity and empty it again (rebuilds both ways).
          for (let round = 0; round < 12 || Atomics.load(counters, 3) < 20_000; round++) {
            for (let i = 0; i < 300; i++) {
              d.set(1000 + i, i);
              d.set(`x${i}`, `y${i}`);
              s.add(1000 + i);
            }
            for (let i = 0; i < 300; i++) {
              d.delete(1000 + i);
              d.delete(`x${i}`);
              s.discard(1000 + i);
            }
          }
          Atomics.add(counters, 2, 1);
        } else {
          let reads = 0;
          while (Atomics.load(counters, 2) < 2 || reads < 1000) {
            const i = reads & 63;
            if (d.get(i) !== i * 10) Atomics.add(counters, 1, 1);
            const v = d.get(`s${i}`);
            if (v !== `v${i}` && v !== long(i)) Atomics.add(counters, 1, 1);
            if (!d.has(i) || !s.has(i) || !s.has(`s${i}`)) Atomics.add(counters, 1, 1);
            if (d.get(-1 - i) !== undefined || s.has(-1 - i)) Atomics.add(counters, 1, 1);
            reads++;
            Atomics.add(counters, 3, 1);
          }
          Atomics.add(counters, 0, reads);
        }
      },
      d,
      s,
      counters,
    );
    expect(counters[DONE]).toBe(2);
    expect(counters[READS]).toBeGreaterThanOrEqual(2000);
    expect(counters[BAD]).toBe(0);
    expect(d.size).toBe(128);
    expect(s.size).toBe(128);
  });
});
