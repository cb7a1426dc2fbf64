// The shared Deque: behaviours of CPython's Lib/test/test_deque.py that apply to a copied-item
// deque, Python's error classes and messages, and thread safety across real threads.

import { Deque, IndexError, Lock, Queue, RuntimeError, Thread, ValueError } from '@threadkit/core';
import { describe, expect, it } from 'vitest';

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}

describe('Deque (one thread)', () => {
  it('test_basics: append/appendleft/pop/popleft at both ends', () => {
    const d = new Deque(range(5125));
    for (let i = 0; i < 5125; i++) d.popleft();
    expect(d.length).toBe(0);
    for (let i = 200; i < 400; i++) d.append(i);
    for (let i = 199; i >= 0; i--) d.appendleft(i);
    expect(d.toArray()).toEqual(range(400));
    let left = 0;
    for (let i = 0; i < 250; i++) left = d.popleft();
    expect(left).toBe(249);
    expect(d.toArray()).toEqual(range(400).slice(250));
    let right = 0;
    for (let i = 0; i < 100; i++) right = d.pop();
    expect(right).toBe(300);
    expect(d.toArray()).toEqual(range(300).slice(250));
  });

  it('test_underflow: pop and popleft from an empty deque raise IndexError', () => {
    const d = new Deque();
    expect(() => d.pop()).toThrow(new IndexError('pop from an empty deque'));
    expect(() => d.popleft()).toThrow(new IndexError('pop from an empty deque'));
    expect(() => d.pop()).toThrow(IndexError);
  });

  it('test_maxlen: appending to a full deque drops from the other end', () => {
    expect(() => new Deque('abc', -1)).toThrow(new ValueError('maxlen must be non-negative'));
    expect(() => new Deque('abc', -2)).toThrow(ValueError);
    const it = range(10);
    const d = new Deque(it, 3);
    expect(String(d)).toBe('deque([7, 8, 9], maxlen=3)');
    expect(d.toArray()).toEqual([7, 8, 9]);
    expect(d.maxlen).toBe(3);
    d.appendleft(6);
    expect(d.toArray()).toEqual([6, 7, 8]);
    d.extend([10, 11]);
    expect(d.toArray()).toEqual([8, 10, 11]);
    d.extendleft([7, 6]);
    expect(d.toArray()).toEqual([6, 7, 8]);
    const zero = new Deque(range(10), { maxlen: 0 });
    zero.append(1);
    expect(zero.length).toBe(0);
    expect(String(zero)).toBe('deque([], maxlen=0)');
    expect(new Deque().maxlen).toBeNull();
  });

  it('test_count / test_contains / test_index compare by value, like ==', () => {
    const d = new Deque(['a', 'b', 'c', 'a', { k: [1] }, 1]);
    expect(d.count('a')).toBe(2);
    expect(d.count('z')).toBe(0);
    expect(d.count({ k: [1] })).toBe(1);
    expect(d.count(true)).toBe(1); // True == 1, as in Python
    expect(d.includes('c')).toBe(true);
    expect(d.includes({ k: [2] })).toBe(false);
    expect(d.index('a')).toBe(0);
    expect(d.index('a', 1)).toBe(3);
    expect(d.index('a', -3)).toBe(3);
    expect(() => d.index('a', 1, 3)).toThrow(new ValueError("'a' is not in deque"));
    expect(() => d.index(42)).toThrow(new ValueError('42 is not in deque'));
  });

  it('test_extend / test_extendleft (including extending with itself)', () => {
    const d = new Deque('a');
    d.extend('bcd');
    expect(d.toArray()).toEqual(['a', 'b', 'c', 'd']);
    d.extend(d);
    expect(d.toArray()).toEqual(['a', 'b', 'c', 'd', 'a', 'b', 'c', 'd']);
    const e = new Deque('a');
    e.extendleft('bcd');
    expect(e.toArray()).toEqual(['d', 'c', 'b', 'a']);
    e.extendleft(e);
    expect(e.toArray()).toEqual(['a', 'b', 'c', 'd', 'd', 'c', 'b', 'a']);
  });

  it('test_getitem / setitem: d[i], negative indices, IndexError out of range', () => {
    const n = 200;
    const d = new Deque(range(n));
    const l = range(n);
    for (let i = 0; i < n; i++) {
      d.popleft();
      l.shift();
      if (i % 2) {
        d.append(i);
        l.push(i);
      }
      for (let j = 1 - l.length; j < l.length; j++) {
        expect(d[j]).toBe(l.at(j));
      }
    }
    const e = new Deque('superman');
    expect(e[0]).toBe('s');
    expect(e[-1]).toBe('n');
    expect(e.at(-2)).toBe('a');
    expect(() => e[8]).toThrow(new IndexError('deque index out of range'));
    expect(() => e[-9]).toThrow(IndexError);
    e[0] = 'S';
    e[-1] = { n: 1 };
    expect(e[0]).toBe('S');
    expect(e[-1]).toEqual({ n: 1 });
    expect(() => {
      e[10] = 'x';
    }).toThrow(new IndexError('deque assignment index out of range'));
    expect(0 in e).toBe(true);
    expect(8 in e).toBe(false);
  });

  it('test_insert: list.insert positions, and a full bounded deque refuses', () => {
    const elements = 'ABCDEFGHI'.split('');
    for (let i = -elements.length - 2; i < elements.length + 2; i++) {
      const d = new Deque('ABCDEFGHI');
      const s = [...elements];
      d.insert(i, 'Z');
      const at = i < 0 ? Math.max(0, i + s.length) : Math.min(i, s.length);
      s.splice(at, 0, 'Z');
      expect(d.toArray()).toEqual(s);
    }
    const full = new Deque('AB', 2);
    expect(() => full.insert(1, 'x')).toThrow(new IndexError('deque already at its maximum size'));
    expect(full.toArray()).toEqual(['A', 'B']);
  });

  it('test_remove: first equal item; ValueError when missing', () => {
    const data = [...'abcdefghcij'];
    const d = new Deque(data);
    d.remove('c');
    expect(d.toArray()).toEqual([...'abdefghcij']);
    d.remove('c');
    expect(d.toArray()).toEqual([...'abdefghij']);
    expect(() => d.remove('c')).toThrow(new ValueError('deque.remove(x): x not in deque'));
    d.remove('j');
    d.remove('a');
    expect(d.toArray()).toEqual([...'bdefghi']);
  });

  it('test_rotate: right, left, larger than the length, and back', () => {
    const s = [...'abcde'];
    const n = s.length;
    const d = new Deque(s);
    d.rotate(1);
    expect(d.toArray().join('')).toBe('eabcd');
    d.rotate(-1);
    expect(d.toArray().join('')).toBe('abcde');
    d.rotate();
    expect(d.toArray().join('')).toBe('eabcd');
    d.rotate(-1);
    for (let i = 0; i < n * 3; i++) {
      const e = new Deque(s);
      e.rotate(i);
      const k = i % n;
      expect(e.toArray()).toEqual([...s.slice(n - k), ...s.slice(0, n - k)]);
      e.rotate(-i);
      expect(e.toArray()).toEqual(s);
    }
    const big = new Deque(range(1000));
    big.rotate(700);
    expect(big[0]).toBe(300);
    big.rotate(-700);
    expect(big[0]).toBe(0);
    new Deque().rotate(5); // no error on empty
    expect(() => d.rotate(1.5)).toThrow(TypeError);
  });

  it('test_reverse / test_clear / test_copy / test_repr / length', () => {
    const d = new Deque(range(10));
    d.reverse();
    expect(d.toArray()).toEqual(range(10).reverse());
    const c = d.copy();
    c.append(99);
    expect(d.length).toBe(10);
    expect(c.length).toBe(11);
    d.clear();
    expect(d.length).toBe(0);
    expect(d.toArray()).toEqual([]);
    expect(String(new Deque([1, 'a', null]))).toBe("deque([1, 'a', null])");
  });

  it('test_mutate_during_iteration: RuntimeError', () => {
    const d = new Deque(range(10));
    expect(() => {
      for (const x of d) d.append(x);
    }).toThrow(new RuntimeError('deque mutated during iteration'));
    expect([...new Deque('abc')]).toEqual(['a', 'b', 'c']);
  });

  it('items are copies; shared objects stay shared; functions are rejected with the path', () => {
    const obj = { a: 1 };
    const d = new Deque([obj]);
    obj.a = 2;
    expect(d[0]).toEqual({ a: 1 });
    const lock = new Lock();
    d.append(lock);
    d[-1].acquire();
    expect(lock.locked()).toBe(true);
    expect(() => d.append({ f: () => 1 })).toThrow(/item\.f/);
  });

  it('travels through a queue and stays the same deque', () => {
    const q = new Queue();
    const d = new Deque([1, 2]);
    q.put(d);
    const back = q.get();
    expect(back).toBeInstanceOf(Deque);
    back.append(3);
    expect(d.toArray()).toEqual([1, 2, 3]);
  });
});

describe('Deque across threads', () => {
  it('concurrent appends and pops from several threads lose and duplicate nothing', async () => {
    const d = new Deque();
    const n = 5000;
    const counts = new Int32Array(new SharedArrayBuffer(4 * n * 4));
    const producers = [0, 1, 2, 3].map((p) => {
      const t = new Thread({
        daemon: true,
        target: (d: Deque, p: number, n: number) => {
          for (let i = 0; i < n; i++) {
            if (i % 2) d.append(p * n + i);
            else d.appendleft(p * n + i);
          }
        },
        args: [d, p, n],
      });
      t.start();
      return t;
    });
    for (const t of producers) await t.joinAsync(60);
    expect(d.length).toBe(4 * n);
    const consumers = [0, 1, 2, 3].map((c) => {
      const t = new Thread({
        daemon: true,
        target: (d: Deque, counts: Int32Array, c: number) => {
          for (;;) {
            let x: number;
            try {
              x = c % 2 ? d.pop() : d.popleft();
            } catch (e: any) {
              if (e.name === 'IndexError') return;
              throw e;
            }
            Atomics.add(counts, x, 1);
          }
        },
        args: [d, counts, c],
      });
      t.start();
      return t;
    });
    for (const t of consumers) await t.joinAsync(60);
    expect(d.length).toBe(0);
    expect(counts.every((x) => x === 1)).toBe(true);
  });

  it('a bounded deque used as a sliding window by a thread', async () => {
    const d = new Deque([], 5);
    const t = new Thread({
      daemon: true,
      target: (d: Deque) => {
        for (let i = 0; i < 1000; i++) d.append(i);
      },
      args: [d],
    });
    t.start();
    await t.joinAsync(60);
    expect(d.toArray()).toEqual([995, 996, 997, 998, 999]);
  });
});
