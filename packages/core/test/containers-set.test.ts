// SharedSet: Python's set semantics (ported from CPython's Lib/test/test_set.py where they
// apply to a set of copied elements), the set algebra to plain Sets, growth.

import { KeyError, SharedSet } from '@threadkit/core';
import { describe, expect, it } from 'vitest';

describe('SharedSet (one thread)', () => {
  it('test_uniquification / test_len / test_repr', () => {
    const s = new SharedSet('simsalabim');
    expect([...s].sort()).toEqual(['a', 'b', 'i', 'l', 'm', 's']);
    expect(s.size).toBe(6);
    expect(String(new SharedSet())).toBe('set()');
    expect(String(new SharedSet([1, 'a']))).toBe("{1, 'a'}");
  });

  it('test_add / test_contains with Python equality (1 == 1.0 == True)', () => {
    const s = new SharedSet<any>();
    s.add('Q');
    expect(s.has('Q')).toBe(true);
    s.add(1);
    s.add(true);
    s.add(1n);
    s.add(1.0);
    expect(s.size).toBe(2);
    expect(s.has(true)).toBe(true);
    s.add([1, 'x']);
    expect(s.has([true, 'x'])).toBe(true);
    expect(s.has([1, 'y'])).toBe(false);
    expect(() => s.add({} as any)).toThrow(/unhashable type: 'dict' \(element:/);
    expect(() => s.has([1, [() => 1]] as any)).toThrow(
      /unhashable type: 'function' \(element\[1\]\[0\]:/,
    );
  });

  it('test_remove / test_discard / test_pop / test_clear', () => {
    const s = new SharedSet(['a', 'b', 'c']);
    s.remove('a');
    expect(s.has('a')).toBe(false);
    expect(() => s.remove('Q')).toThrow(KeyError);
    expect(() => s.remove('Q')).toThrow(/^'Q'$/);
    expect(s.discard('b')).toBe(true);
    expect(s.discard('Z')).toBe(false);
    expect(s.delete('c')).toBe(true);
    expect(s.size).toBe(0);
    expect(() => s.pop()).toThrow(new KeyError('pop from an empty set'));
    const t = new SharedSet<number>([1, 2, 3]);
    const popped = new Set([t.pop(), t.pop(), t.pop()]);
    expect(popped).toEqual(new Set([1, 2, 3]));
    expect(t.size).toBe(0);
    t.update([4, 5], [5, 6]);
    expect(t.size).toBe(3);
    t.clear();
    expect([...t]).toEqual([]);
  });

  it('test_union / test_intersection / test_difference / test_symmetric_difference', () => {
    const s = new SharedSet(['a', 'b', 'c', 'd']);
    expect(s.union('cdef')).toEqual(new Set(['a', 'b', 'c', 'd', 'e', 'f']));
    expect(s.union('ab', 'xy')).toEqual(new Set(['a', 'b', 'c', 'd', 'x', 'y']));
    expect(s.intersection('cdef')).toEqual(new Set(['c', 'd']));
    expect(s.intersection('cd', 'c')).toEqual(new Set(['c']));
    expect(s.difference('cdef')).toEqual(new Set(['a', 'b']));
    expect(s.difference('a', 'b')).toEqual(new Set(['c', 'd']));
    expect(s.symmetricDifference('cdef')).toEqual(new Set(['a', 'b', 'e', 'f']));
    const n = new SharedSet<any>([1, 2]);
    expect(n.intersection([true, 2.0])).toEqual(new Set([1, 2]));
    expect(n.union([1n, 3])).toEqual(new Set([1, 2, 3]));
    expect(n.union(new SharedSet([7]))).toEqual(new Set([1, 2, 7]));
  });

  it('test_issubset / issuperset / isdisjoint', () => {
    const p = new SharedSet(['a', 'b']);
    expect(p.isSubset('abc')).toBe(true);
    expect(p.isSubset('ac')).toBe(false);
    expect(p.isSuperset('a')).toBe(true);
    expect(p.isSuperset('ax')).toBe(false);
    expect(p.isDisjoint('cd')).toBe(true);
    expect(p.isDisjoint('bd')).toBe(false);
    expect(new SharedSet().isSubset([])).toBe(true);
  });

  it('iteration walks a snapshot, in insertion order', () => {
    const s = new SharedSet([3, 1, 2]);
    const seen: number[] = [];
    for (const x of s) {
      seen.push(x);
      s.add(x + 10); // Python raises "Set changed size during iteration"
    }
    expect(seen).toEqual([3, 1, 2]);
    expect(s.size).toBe(6);
    expect(s.copy()).toEqual(new Set([3, 1, 2, 13, 11, 12]));
  });

  it('grows to 1 000 000 elements', () => {
    const s = new SharedSet<string>();
    for (let i = 0; i < 1_000_000; i++) s.add(`k${i}`);
    expect(s.size).toBe(1_000_000);
    expect(s.has('k999999')).toBe(true);
    expect(s.has('k1000000')).toBe(false);
    for (let i = 0; i < 1_000_000; i++) s.discard(`k${i}`);
    expect(s.size).toBe(0);
  });
});
