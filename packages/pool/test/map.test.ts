// Executor.map's buffersize (Python 3.14): lazy, bounded consumption of the inputs, so an
// infinite generator is fine; argument checks; leaving the loop early cancels the rest.

import { AsyncExecutor, ThreadPoolExecutor, ValueError } from '@threadkit/pool';
import { describe, expect, it } from 'vitest';

function* naturals(pulled: { n: number }): Generator<number> {
  for (let i = 0; ; i++) {
    pulled.n = i + 1;
    yield i;
  }
}

for (const kind of ['ThreadPoolExecutor', 'AsyncExecutor'] as const) {
  describe(`${kind}.map with buffersize`, () => {
    const make = () =>
      kind === 'ThreadPoolExecutor' ? new ThreadPoolExecutor(2) : new AsyncExecutor(2);

    it('reads an infinite generator lazily, at most buffersize ahead', async () => {
      await using ex = make();
      const pulled = { n: 0 };
      const results: number[] = [];
      const it = ex.map((x: number) => x * x, naturals(pulled), { buffersize: 4 });
      expect(pulled.n).toBe(4); // buffersize calls submitted at the call
      for await (const r of it) {
        results.push(r);
        expect(pulled.n).toBeLessThanOrEqual(results.length + 4);
        if (results.length === 50) break;
      }
      expect(results).toEqual(Array.from({ length: 50 }, (_, i) => i * i));
      expect(pulled.n).toBeLessThanOrEqual(54);
    });

    it('zips several iterables, stopping at the shortest', async () => {
      await using ex = make();
      const pulled = { n: 0 };
      const out: number[] = [];
      for await (const r of ex.map(
        (a: number, b: number) => a + b,
        [10, 20, 30],
        naturals(pulled),
        { buffersize: 2 },
      )) {
        out.push(r);
      }
      expect(out).toEqual([10, 21, 32]);
    });

    it('checks buffersize', async () => {
      await using ex = make();
      expect(() => ex.map((x: number) => x, [1], { buffersize: 1.5 })).toThrow(
        new TypeError('buffersize must be an integer or None'),
      );
      expect(() => ex.map((x: number) => x, [1], { buffersize: 0 })).toThrow(
        new ValueError('buffersize must be None or > 0'),
      );
      expect(() => ex.map((x: number) => x, [1], { buffersize: -1 })).toThrow(ValueError);
    });

    it('without buffersize every call is submitted at the call', async () => {
      await using ex = make();
      const pulled = { n: 0 };
      const finite = (function* () {
        for (let i = 0; i < 20; i++) {
          pulled.n = i + 1;
          yield i;
        }
      })();
      const it = ex.map((x: number) => x, finite);
      expect(pulled.n).toBe(20);
      let count = 0;
      for await (const _ of it) count++;
      expect(count).toBe(20);
    });
  });
}

describe('leaving map early', () => {
  it('cancels the calls not started yet', async () => {
    const ex = new ThreadPoolExecutor(1);
    const seen = new Int32Array(new SharedArrayBuffer(4 * 100));
    const mark = (i: number, s: Int32Array) => {
      Atomics.store(s, i, 1);
      return i;
    };
    const args = Array.from({ length: 100 }, (_, i) => i);
    for await (const r of ex.map(mark, args, Array(100).fill(seen))) {
      if (r === 0) break;
    }
    await ex.shutdown();
    const ran = seen.reduce((a, b) => a + b, 0);
    expect(ran).toBeLessThan(100);
  });
});
