// multiprocessing's Value and Array: typecodes, ctypes conversions and errors, locks, and
// sharing across threads (the same memory everywhere, compound updates under getLock()).

import {
  IndexError,
  Lock,
  Queue,
  RLock,
  Array as SharedArray,
  Thread,
  Value,
  ValueError,
} from '@threadkit/core';
import { describe, expect, it } from 'vitest';

describe('Value', () => {
  it('holds each typecode with ctypes wrapping', () => {
    expect(Value('i', 5).value).toBe(5);
    expect(new Value('i').value).toBe(0);
    expect(Value('b', 127 + 1).value).toBe(-128);
    expect(Value('B', 256 + 7).value).toBe(7);
    expect(Value('h', -1).value).toBe(-1);
    expect(Value('H', -1).value).toBe(65535);
    expect(Value('I', -1).value).toBe(4294967295);
    expect(Value('q', 2 ** 40).value).toBe(2 ** 40);
    expect(Value('q', 2n ** 63n).value).toBe(-(2 ** 63));
    expect(Value('Q', -1n).value).toBe(2 ** 64);
    expect(Value('l', -5).value).toBe(-5);
    expect(Value('L').value).toBe(0);
    expect(Value('f', 0.1).value).toBeCloseTo(0.1, 6);
    expect(Value('d', 0.1).value).toBe(0.1);
    expect(Value('c', 'x').value).toBe('x');
    expect(Value('c').value).toBe('\0');
    expect(Value('c', 65).value).toBe('A');
    expect(Value('u', '☃').value).toBe('☃');
    expect(Value('u', '😀').value).toBe('😀');
    expect(Value('i', true).value).toBe(1);
  });

  it("rejects bad typecodes and values with ctypes' errors", () => {
    expect(() => Value('z' as any, 1)).toThrow(TypeError);
    expect(() => Value('z' as any, 1)).toThrow(/bad typecode 'z'/);
    expect(() => Value('i', 1.5)).toThrow(new TypeError('int expected instead of float'));
    expect(() => Value('i', 'a' as any)).toThrow(new TypeError('int expected instead of str'));
    expect(() => Value('d', 'a' as any)).toThrow(/must be real number/);
    expect(() => Value('c', 'ab')).toThrow(/one character bytes/);
    expect(() => Value('u', 'ab')).toThrow(TypeError);
    const v = Value('i', 1);
    expect(() => {
      v.value = 2.5;
    }).toThrow(TypeError);
    expect(v.value).toBe(1);
  });

  it('has an RLock by default, or the lock given, or none', () => {
    const v = Value('i', 0);
    expect(v.getLock()).toBeInstanceOf(RLock);
    const lock = new Lock();
    expect(Value('i', 0, { lock }).getLock()).toBe(lock);
    expect(() => Value('i', 0, { lock: false }).getLock()).toThrow(TypeError);
    expect(() => Value('i', 0, { lock: 'yes' as any })).toThrow(TypeError);
    v.getLock().withLock(() => {
      v.value += 1;
    });
    expect(v.value).toBe(1);
    expect(v.typecode).toBe('i');
    expect(String(v)).toBe('<Synchronized wrapper for c_int(1)>');
    expect(v).toBeInstanceOf(Value);
    expect(new Value('d', 1)).toBeInstanceOf(Value);
  });

  it('getObj() is a typed array over the same memory', () => {
    const v = Value('d', 1.5);
    const raw = v.getObj() as Float64Array;
    expect(raw).toBeInstanceOf(Float64Array);
    expect(raw.length).toBe(1);
    raw[0] = 2.5;
    expect(v.value).toBe(2.5);
  });

  it('4 threads × 2000 increments under getLock() add up; the lock crosses with the value', async () => {
    const counter = Value('i', 0);
    const threads = [0, 1, 2, 3].map(() => {
      const t = new Thread({
        daemon: true,
        target: (c: any) => {
          for (let i = 0; i < 2000; i++) {
            c.getLock().withLock(() => {
              c.value += 1;
            });
          }
        },
        args: [counter],
      });
      t.start();
      return t;
    });
    for (const t of threads) await t.joinAsync(60);
    expect(counter.value).toBe(8000);
  });

  it('travels through a queue', () => {
    const q = new Queue();
    const v = Value('d', 1.25);
    q.put({ v });
    const back = q.get().v;
    back.value = 9.5;
    expect(v.value).toBe(9.5);
    expect(back.getLock()).toBeInstanceOf(RLock);
  });
});

describe('Array', () => {
  it('is built from a size (zeros), values, or a string for c/u', () => {
    const a = SharedArray('i', 3);
    expect([...a]).toEqual([0, 0, 0]);
    expect(a.length).toBe(3);
    const b = new SharedArray('d', [1.5, 2.5]);
    expect(b.toArray()).toEqual([1.5, 2.5]);
    const c = SharedArray('c', 'hello');
    expect(c.length).toBe(5);
    expect(c[0]).toBe('h');
    expect(c.value).toBe('hello');
    const u = SharedArray('u', 'h😀');
    expect(u.length).toBe(2);
    expect(u[1]).toBe('😀');
    expect(u.value).toBe('h😀');
    expect(SharedArray('B', new Uint8Array([1, 2])).toArray()).toEqual([1, 2]);
    expect(() => SharedArray('i', -1)).toThrow(new ValueError('Array length must be >= 0'));
    expect(() => SharedArray('x' as any, 1)).toThrow(/bad typecode 'x'/);
    expect(() => SharedArray('i', [1, 2.5])).toThrow(TypeError);
  });

  it('indexes like ctypes arrays: negative indices, IndexError, typed stores', () => {
    const a = SharedArray('i', [10, 20, 30]);
    expect(a[0]).toBe(10);
    expect(a[-1]).toBe(30);
    a[1] = 21;
    a[-3] = 11;
    expect(a.toArray()).toEqual([11, 21, 30]);
    expect(() => a[3]).toThrow(new IndexError('invalid index'));
    expect(() => a[-4]).toThrow(IndexError);
    expect(() => {
      a[0] = 1.5;
    }).toThrow(TypeError);
    expect(a.slice(1)).toEqual([21, 30]);
    expect(a.slice(-2, -1)).toEqual([21]);
    expect(a.slice(5)).toEqual([]);
    expect(Object.keys(a)).toEqual(['0', '1', '2']);
    expect(1 in a).toBe(true);
    expect(3 in a).toBe(false);
    expect(String(a)).toBe('<SynchronizedArray wrapper for c_int_Array_3([11,21,30])>');
  });

  it("char arrays have value (to the first NUL) and raw, with ctypes' length errors", () => {
    const c = SharedArray('c', 5);
    c.value = 'hi';
    expect(c.value).toBe('hi');
    expect([...c.raw]).toEqual([104, 105, 0, 0, 0]);
    expect(() => {
      c.value = 'toolong';
    }).toThrow(new ValueError('byte string too long'));
    c.raw = Buffer.from('abcde');
    expect(c.value).toBe('abcde');
    expect(() => SharedArray('i', 2).value).toThrow(TypeError);
  });

  it('getLock() and getObj(); threads write disjoint elements of the same memory', async () => {
    const arr = SharedArray('d', 8);
    expect(arr.getLock()).toBeInstanceOf(RLock);
    const threads = [0, 1, 2, 3].map((k) => {
      const t = new Thread({
        daemon: true,
        target: (a: any, k: number) => {
          a[2 * k] = k + 0.5;
          a[2 * k + 1] = -k;
        },
        args: [arr, k],
      });
      t.start();
      return t;
    });
    for (const t of threads) await t.joinAsync(60);
    expect(arr.toArray()).toEqual([0.5, -0, 1.5, -1, 2.5, -2, 3.5, -3]);
    const raw = arr.getObj() as Float64Array;
    raw[0] = 7;
    expect(arr[0]).toBe(7);
  });

  it('compound updates under getLock() from several threads add up', async () => {
    const arr = SharedArray('q', 2);
    const threads = [0, 1, 2].map(() => {
      const t = new Thread({
        daemon: true,
        target: (a: any) => {
          for (let i = 0; i < 1000; i++) {
            a.getLock().withLock(() => {
              a[0] = a[0] + 1;
              a[1] = a[1] + 2;
            });
          }
        },
        args: [arr],
      });
      t.start();
      return t;
    });
    for (const t of threads) await t.joinAsync(60);
    expect(arr.toArray()).toEqual([3000, 6000]);
  });
});
