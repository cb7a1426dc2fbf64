// SharedList: Python's list semantics (ported from CPython's Lib/test/list_tests.py and
// seq_tests.py where they apply to a list of copied items), index access, growth.

import { IndexError, SharedList, ValueError } from '@threadkit/core';
import { describe, expect, it, vi } from 'vitest';

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}

describe('SharedList (one thread)', () => {
  it('test_init / test_len / test_repr', () => {
    expect(new SharedList().length).toBe(0);
    expect(String(new SharedList())).toBe('[]');
    const l = new SharedList([0, 'a', null, [1, true]]);
    expect(l.length).toBe(4);
    expect(String(l)).toBe("[0, 'a', None, [1, True]]");
    expect(new SharedList('abc').toArray()).toEqual(['a', 'b', 'c']);
  });

  it('test_getitem / test_setitem with negative indices; IndexError out of range', () => {
    const l = new SharedList<any>([0, 1, 2, 3]);
    expect(l[0]).toBe(0);
    expect(l[-1]).toBe(3);
    expect(l.at(-4)).toBe(0);
    expect(l.get(2)).toBe(2);
    expect(() => l[4]).toThrow(new IndexError('list index out of range'));
    expect(() => l.at(-5)).toThrow(IndexError);
    l[-1] = 30;
    l.set(0, 'zero');
    expect(l.toArray()).toEqual(['zero', 1, 2, 30]);
    expect(() => {
      l[4] = 1;
    }).toThrow(new IndexError('list assignment index out of range'));
    expect(() => l.at(1.5)).toThrow(/list indices must be integers/);
    expect(0 in l).toBe(true);
    expect(4 in l).toBe(false);
    expect(Object.keys(l).slice(0, 4)).toEqual(['0', '1', '2', '3']);
  });

  it('test_append / test_extend (extend by itself too)', () => {
    const l = new SharedList<any>();
    l.append(0);
    l.append(1);
    l.append(2);
    expect(l.toArray()).toEqual([0, 1, 2]);
    l.extend([3, 4]);
    l.extend(l);
    expect(l.toArray()).toEqual([0, 1, 2, 3, 4, 0, 1, 2, 3, 4]);
    l.extend('ab');
    expect(l.slice(-2)).toEqual(['a', 'b']);
  });

  it('test_insert: clamped, negative from the end', () => {
    const a = new SharedList([0, 1, 2]);
    a.insert(0, -2);
    a.insert(1, -1);
    a.insert(2, 0);
    expect(a.toArray()).toEqual([-2, -1, 0, 0, 1, 2]);
    const b = new SharedList<any>(a.toArray());
    b.insert(-2, 'foo');
    b.insert(-200, 'left');
    b.insert(200, 'right');
    expect(b.toArray()).toEqual(['left', -2, -1, 0, 0, 'foo', 1, 2, 'right']);
    expect(() => a.insert(0.5, 1)).toThrow(TypeError);
  });

  it('test_pop: from the end, at an index, IndexError', () => {
    const a = new SharedList([-1, 0, 1]);
    expect(a.pop()).toBe(1);
    expect(a.toArray()).toEqual([-1, 0]);
    expect(a.pop(0)).toBe(-1);
    expect(a.toArray()).toEqual([0]);
    expect(() => a.pop(5)).toThrow(new IndexError('pop index out of range'));
    expect(a.pop(0)).toBe(0);
    expect(() => a.pop()).toThrow(new IndexError('pop from empty list'));
    const b = new SharedList(range(10));
    expect(b.pop(-3)).toBe(7);
    expect(b.toArray()).toEqual([0, 1, 2, 3, 4, 5, 6, 8, 9]);
  });

  it('test_remove: first equal item, ValueError when none', () => {
    const a = new SharedList([0, 0, 1]);
    a.remove(1);
    expect(a.toArray()).toEqual([0, 0]);
    a.remove(0);
    expect(a.toArray()).toEqual([0]);
    a.remove(0);
    expect(a.toArray()).toEqual([]);
    expect(() => a.remove(0)).toThrow(new ValueError('list.remove(x): x not in list'));
    const b = new SharedList<any>([{ k: 1 }, [1, 2], 'x']);
    b.remove([1, 2]); // by value, as ==
    expect(b.toArray()).toEqual([{ k: 1 }, 'x']);
  });

  it('test_index: start and stop, negative bounds, ValueError', () => {
    const u = new SharedList([0, 1]);
    expect(u.index(0)).toBe(0);
    expect(u.index(1)).toBe(1);
    expect(() => u.index(2)).toThrow(new ValueError('2 is not in list'));
    const v = new SharedList([-2, -1, 0, 0, 1, 2]);
    expect(v.index(0)).toBe(2);
    expect(v.index(0, 3)).toBe(3);
    expect(v.index(0, -3)).toBe(3);
    expect(v.index(0, 3, 4)).toBe(3);
    expect(() => v.index(2, 0, -10)).toThrow(ValueError);
    expect(v.index(true)).toBe(4); // True == 1
    expect(() => v.index('x')).toThrow(new ValueError("'x' is not in list"));
  });

  it('test_count / includes', () => {
    const a = new SharedList([0, 0, 0, 1, 1, 2, 2, 2, 2, 3, 3, 3]);
    expect(a.count(0)).toBe(3);
    expect(a.count(1)).toBe(2);
    expect(a.count(3)).toBe(3);
    expect(a.count(4)).toBe(0);
    expect(a.includes(2)).toBe(true);
    expect(a.includes(5)).toBe(false);
  });

  it('test_reverse', () => {
    const u = new SharedList([-2, -1, 0, 1, 2]);
    u.reverse();
    expect(u.toArray()).toEqual([2, 1, 0, -1, -2]);
    u.reverse();
    expect(u.toArray()).toEqual([-2, -1, 0, 1, 2]);
    const e = new SharedList();
    e.reverse();
    expect(e.toArray()).toEqual([]);
  });

  it('test_sort: Python order, comparator, key and reverse (stable)', () => {
    const u = new SharedList([1, 0]);
    u.sort();
    expect(u.toArray()).toEqual([0, 1]);
    const v = new SharedList(range(10).reverse());
    v.sort();
    expect(v.toArray()).toEqual(range(10));
    const s = new SharedList(['b', 'a', 'B', 'é', 'A']);
    s.sort();
    expect(s.toArray()).toEqual(['A', 'B', 'a', 'b', 'é']);
    const t = new SharedList([
      [2, 'a'],
      [1, 'b'],
      [2, 'A'],
      [1, 'a'],
    ]);
    t.sort();
    expect(t.toArray()).toEqual([
      [1, 'a'],
      [1, 'b'],
      [2, 'A'],
      [2, 'a'],
    ]);
    const w = new SharedList([10, 2, 33, 4]);
    w.sort((a, b) => b - a);
    expect(w.toArray()).toEqual([33, 10, 4, 2]);
    // key + reverse keep equal items in their original order (test_stability).
    const pairs = new SharedList([
      ['x', 1],
      ['y', 2],
      ['z', 1],
      ['w', 2],
    ]);
    pairs.sort({ key: (p) => p[1], reverse: true });
    expect(pairs.toArray()).toEqual([
      ['y', 2],
      ['w', 2],
      ['x', 1],
      ['z', 1],
    ]);
    const mixed = new SharedList<any>([1, 'a']);
    expect(() => mixed.sort()).toThrow("'<' not supported between instances of 'str' and 'int'");
    expect(mixed.toArray()).toEqual([1, 'a']);
  });

  it('test_modify_during_sort: ValueError, the list is left as it was changed to', () => {
    const l = new SharedList([3, 1, 2]);
    expect(() =>
      l.sort((a, b) => {
        if (l.length === 3) l.append(0);
        return a - b;
      }),
    ).toThrow(new ValueError('list modified during sort'));
    expect(l.toArray()).toEqual([3, 1, 2, 0]);
  });

  it('test_slice: bounds, negative, step', () => {
    const l = new SharedList(range(10));
    expect(l.slice()).toEqual(range(10));
    expect(l.slice(2, 5)).toEqual([2, 3, 4]);
    expect(l.slice(-3)).toEqual([7, 8, 9]);
    expect(l.slice(-100, 100)).toEqual(range(10));
    expect(l.slice(5, 2)).toEqual([]);
    expect(l.slice(undefined, undefined, 3)).toEqual([0, 3, 6, 9]);
    expect(l.slice(undefined, undefined, -1)).toEqual(range(10).reverse());
    expect(l.slice(8, 2, -2)).toEqual([8, 6, 4]);
    expect(l.slice(-1, -4, -1)).toEqual([9, 8, 7]);
    expect(() => l.slice(0, 1, 0)).toThrow(new ValueError('slice step cannot be zero'));
  });

  it('iteration walks a snapshot taken when it starts', () => {
    const l = new SharedList([1, 2, 3]);
    const seen: number[] = [];
    for (const x of l) {
      seen.push(x);
      l.append(x * 10); // Python would loop on; the snapshot ends
    }
    expect(seen).toEqual([1, 2, 3]);
    expect(l.toArray()).toEqual([1, 2, 3, 10, 20, 30]);
    l.clear();
    expect(l.length).toBe(0);
    expect([...l]).toEqual([]);
  });

  it('a method replaced or spied on after use is the one called (bound methods are cached)', () => {
    const l = new SharedList<number>([1]);
    l.append(2); // caches the bound append
    const spy = vi.spyOn(l, 'append');
    l.append(3);
    expect(spy).toHaveBeenCalledWith(3);
    expect(spy).toHaveBeenCalledTimes(1);
    spy.mockRestore();
    l.append(4);
    expect(l.toArray()).toEqual([1, 2, 3, 4]);
    Object.defineProperty(l, 'at', { value: () => 'mine', configurable: true });
    expect(l.at(0)).toBe('mine');
    delete (l as { at?: unknown }).at;
    expect([l.at(0), l[-1]]).toEqual([1, 4]);
  });

  it('grows to 1 000 000 items', () => {
    const l = new SharedList<number>();
    for (let i = 0; i < 1_000_000; i++) l.append(i);
    expect(l.length).toBe(1_000_000);
    expect(l[-1]).toBe(999_999);
    expect(l[500_000]).toBe(500_000);
    for (let i = 0; i < 999_990; i++) l.pop();
    expect(l.toArray()).toEqual(range(10));
  });
});
