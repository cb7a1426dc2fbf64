// SharedDict: Python's dict semantics (ported from CPython's Lib/test/test_dict.py where they
// apply to a dict of copied keys and values), key rules, growth, and bad keys.

import { DataCloneError, KeyError, Lock, SharedDict, SharedList, SharedSet } from '@threadkit/core';
import { describe, expect, it } from 'vitest';

describe('SharedDict (one thread)', () => {
  it('test_constructor / test_bool / test_len: empty, from pairs, Map and object', () => {
    expect(new SharedDict().size).toBe(0);
    expect(String(new SharedDict())).toBe('{}');
    const d = new SharedDict([
      ['a', 1],
      ['b', 2],
    ]);
    expect(d.size).toBe(2);
    expect(new SharedDict(new Map([[1, 'x']])).get(1)).toBe('x');
    expect(new SharedDict({ x: 1, y: [2] }).copy()).toEqual(
      new Map<string, unknown>([
        ['x', 1],
        ['y', [2]],
      ]),
    );
    expect(() => new SharedDict([[1, 2, 3]] as any)).toThrow(
      /dictionary update sequence element #0/,
    );
  });

  it('test_keys / test_values / test_items / iteration keep insertion order', () => {
    const d = new SharedDict<string, number>();
    expect([...d.keys()]).toEqual([]);
    d.set('a', 1).set('b', 2).set('c', 3);
    d.set('a', 10); // an existing key keeps its place
    expect([...d.keys()]).toEqual(['a', 'b', 'c']);
    expect([...d.values()]).toEqual([10, 2, 3]);
    expect([...d.items()]).toEqual([
      ['a', 10],
      ['b', 2],
      ['c', 3],
    ]);
    expect([...d]).toEqual([...d.entries()]);
    const seen: [string, number][] = [];
    d.forEach((v, k) => {
      seen.push([k, v]);
    });
    expect(seen).toEqual([...d]);
    expect(String(d)).toBe("{'a': 10, 'b': 2, 'c': 3}");
  });

  it('test_contains / test_getitem / get with and without default', () => {
    const d = new SharedDict<any, any>({ a: 1, b: 2 });
    expect(d.has('a')).toBe(true);
    expect(d.has('c')).toBe(false);
    expect(d.get('c')).toBeUndefined();
    expect(d.get('c', 3)).toBe(3);
    expect(d.get('a', 3)).toBe(1);
    d.set('n', null);
    expect(d.get('n', 5)).toBeNull(); // a stored null is a value, not a miss
  });

  it('test_clear / delete', () => {
    const d = new SharedDict<number, number>([
      [1, 1],
      [2, 2],
      [3, 3],
    ]);
    expect(d.delete(2)).toBe(true);
    expect(d.delete(2)).toBe(false);
    expect([...d.keys()]).toEqual([1, 3]);
    d.clear();
    expect(d.size).toBe(0);
    expect([...d]).toEqual([]);
    d.set(4, 4);
    expect([...d]).toEqual([[4, 4]]);
  });

  it('test_update: pairs, Map, SharedDict and object; later pairs win', () => {
    const d = new SharedDict<any, any>();
    d.update({ 1: 100 });
    d.update({ 2: 20 });
    d.update({ 1: 1, 2: 2, 3: 3 });
    expect(d.copy()).toEqual(
      new Map([
        ['1', 1],
        ['2', 2],
        ['3', 3],
      ]),
    );
    d.update([
      ['x', 1],
      ['x', 2],
    ]);
    expect(d.get('x')).toBe(2);
    const other = new SharedDict<any, any>([['y', 'z']]);
    d.update(other);
    d.update(new Map([['m', 0]]));
    expect([...d.keys()]).toEqual(['1', '2', '3', 'x', 'y', 'm']);
    expect(() => d.update([[{}, 1]] as any)).toThrow(TypeError);
    expect(d.size).toBe(6); // nothing of a failed update is applied
  });

  it('test_setdefault', () => {
    const d = new SharedDict<string, any>();
    expect(d.setdefault('key0')).toBeUndefined();
    d.setdefault('key0', []);
    expect(d.get('key0')).toBeUndefined();
    expect(d.setdefault('key', [])).toEqual([]);
    expect(d.setdefault('key', [1])).toEqual([]); // already there: the stored value
    expect(d.size).toBe(2);
  });

  it('test_popitem: LIFO order, KeyError when empty', () => {
    const d = new SharedDict<number, string>();
    for (let i = 0; i < 20; i++) d.set(i, `v${i}`);
    d.delete(19);
    d.delete(5);
    for (let i = 18; i >= 0; i--) {
      if (i === 5) continue;
      expect(d.popitem()).toEqual([i, `v${i}`]);
    }
    expect(d.size).toBe(0);
    expect(() => d.popitem()).toThrow(new KeyError('popitem(): dictionary is empty'));
  });

  it('test_pop: value, default, KeyError naming the key', () => {
    const d = new SharedDict<any, any>([['abc', 'def']]);
    expect(() => d.pop('ghi')).toThrow(KeyError);
    expect(() => d.pop('ghi')).toThrow(/^'ghi'$/);
    expect(d.pop('abc')).toBe('def');
    expect(d.size).toBe(0);
    expect(() => d.pop('abc')).toThrow(KeyError);
    expect(d.pop('abc', 'dflt')).toBe('dflt');
    expect(d.pop('abc', undefined)).toBeUndefined();
    const err = (() => {
      try {
        d.pop([1, 'x']);
      } catch (e: any) {
        return e;
      }
    })();
    expect(err.name).toBe('KeyError');
    expect(err.message).toBe("[1, 'x']");
    expect(err.key).toEqual([1, 'x']);
  });

  it('Python key equality: 1, 1.0, 1n and true are one key; the first key is kept', () => {
    const d = new SharedDict<any, string>();
    d.set(1, 'a');
    d.set(true, 'b');
    d.set(1n, 'c');
    d.set(1.0, 'd');
    expect(d.size).toBe(1);
    expect([...d]).toEqual([[1, 'd']]);
    d.set(false, 'f');
    expect(d.get(0)).toBe('f');
    expect(d.get(-0)).toBe('f');
    expect([...d.keys()]).toEqual([1, false]);
    d.set(2 ** 60, 'big');
    expect(d.get(2n ** 60n)).toBe('big');
    d.set(2n ** 100n, 'huge');
    expect(d.get(2 ** 100)).toBe('huge');
    d.set(Number.NaN, 'nan');
    expect(d.get(Number.NaN)).toBe('nan');
    d.set(0.5, 'half');
    expect(d.get(0.5)).toBe('half');
    expect(d.has('1')).toBe(false);
    expect(d.has(null)).toBe(false);
    d.set(null, 'none');
    expect(d.get(null)).toBe('none');
  });

  it('tuple keys: arrays compared element-wise, nested, with mixed numbers', () => {
    const d = new SharedDict<any, number>();
    d.set([1, 'a'], 1);
    d.set([1, ['b', null]], 2);
    expect(d.get([1, 'a'])).toBe(1);
    expect(d.get([true, 'a'])).toBe(1);
    expect(d.get([1n, ['b', null]])).toBe(2);
    expect(d.get([1, 'a', 3])).toBeUndefined();
    expect(d.get(['a', 1])).toBeUndefined();
    d.set([], 0);
    expect(d.get([])).toBe(0);
    expect([...d.keys()]).toEqual([[1, 'a'], [1, ['b', null]], []]);
  });

  it('long and non-Latin-1 string keys compare in place', () => {
    const d = new SharedDict<string, number>();
    const long = 'x'.repeat(500);
    const wide = 'ключ';
    const longWide = 'дом'.repeat(100);
    d.set(long, 1).set(wide, 2).set(longWide, 3).set('', 4);
    expect(d.get(long)).toBe(1);
    expect(d.get(`${long}y`)).toBeUndefined();
    expect(d.get(wide)).toBe(2);
    expect(d.get(longWide)).toBe(3);
    expect(d.get('')).toBe(4);
    expect(d.pop(long)).toBe(1);
    expect(d.get(long)).toBeUndefined();
  });

  it('bad keys are rejected with a TypeError naming the part of the key', () => {
    const d = new SharedDict<any, any>();
    expect(() => d.set({}, 1)).toThrow(/unhashable type: 'dict' \(key:/);
    expect(() => d.set(() => 1, 1)).toThrow(/unhashable type: 'function' \(key:/);
    expect(() => d.set([1, [2, {}]], 1)).toThrow(/unhashable type: 'dict' \(key\[1\]\[1\]:/);
    expect(() => d.get(undefined)).toThrow(/unhashable type: 'undefined'/);
    expect(() => d.has(new Map() as any)).toThrow(/unhashable type: 'Map'/);
    expect(() => d.set('f', () => 1)).toThrow(DataCloneError);
    expect(d.size).toBe(0);
  });

  it('values: anything structured-cloneable, and shared objects by reference', () => {
    const d = new SharedDict<string, any>();
    const lock = new Lock();
    const inner = new SharedList([1, 2]);
    const date = new Date(5);
    d.set('m', new Map([[1, 2]]))
      .set('d', date)
      .set('u', undefined)
      .set('lock', lock)
      .set('list', inner)
      .set('deep', { a: [new SharedSet(['x'])] });
    expect(d.get('m')).toEqual(new Map([[1, 2]]));
    expect(d.get('d')).toEqual(date);
    expect(d.has('u')).toBe(true);
    d.get('lock').acquire();
    expect(lock.locked()).toBe(true); // the same lock, not a copy
    lock.release();
    d.get('list').append(3);
    expect(inner.toArray()).toEqual([1, 2, 3]);
    expect(d.get('deep').a[0].has('x')).toBe(true);
  });

  it('overwriting and deleting free what the entry held (no growth over churn)', () => {
    const d = new SharedDict<number, string>();
    const big = 'y'.repeat(1000);
    for (let round = 0; round < 50; round++) {
      for (let i = 0; i < 200; i++) d.set(i, big + round);
      for (let i = 0; i < 100; i++) d.delete(i);
      for (let i = 100; i < 200; i++) d.set(i, `short${round}`);
      for (let i = 100; i < 200; i++) expect(d.pop(i)).toBe(`short${round}`);
    }
    expect(d.size).toBe(0);
  });

  it('grows to 1 000 000 entries and shrinks back', () => {
    const d = new SharedDict<number, number>();
    const n = 1_000_000;
    for (let i = 0; i < n; i++) d.set(i, i * 2);
    expect(d.size).toBe(n);
    for (let i = 0; i < n; i += 997) expect(d.get(i)).toBe(i * 2);
    expect(d.get(n)).toBeUndefined();
    for (let i = 0; i < n; i++) if (i % 1000) d.delete(i);
    expect(d.size).toBe(1000);
    expect([...d.keys()].slice(0, 3)).toEqual([0, 1000, 2000]);
    d.clear();
  });
});

describe('container memory', () => {
  it('churn frees what it allocates: the arena stops growing after the first round', async () => {
    const { arena } = await import('@threadkit/core/internal');
    const bump = () => Atomics.load(arena().i32, 1); // the bump allocator's next free byte
    const d = new SharedDict<any, any>();
    const l = new SharedList<any>();
    const s = new SharedSet<any>();
    const long = 'z'.repeat(300);
    const round = (r: number) => {
      for (let i = 0; i < 2000; i++) {
        d.set(`${long}${i}`, { n: i, when: new Date(i), big: 2n ** 70n, s: long }); // out-of-line key and v8 value
        d.set(`${long}${i}`, [long, r]); // overwrite frees the old value
        l.append(`${long}${i}`);
        s.add([long, i]);
      }
      d.setdefault('k', long);
      for (let i = 0; i < 1000; i++) d.delete(`${long}${i}`);
      while (d.size > 0) d.popitem();
      l.insert(0, long);
      l.remove(long);
      while (l.length > 1000) l.pop(0);
      l.sort();
      l.reverse();
      l.clear();
      for (let i = 0; i < 1000; i++) s.discard([long, i]);
      while (s.size > 0) s.pop();
    };
    round(0);
    round(1);
    const after = bump();
    for (let r = 2; r < 8; r++) round(r);
    expect(bump()).toBe(after);
  });
});
