// Python's `==` between containers, by content (CPython's test_list/test_dict/test_set
// comparisons): equals() against the shared and the plain kinds, with Python's number
// equality (1 == 1.0 == True == 1n), nested values, order rules and other types.
import { type Key, SharedDict, SharedList, SharedSet } from '@threadkit/core';
import { describe, expect, it } from 'vitest';

describe('equals: Python == by content', () => {
  it('SharedList == list: same items in order, numbers by value, nested arrays by content', () => {
    const l = new SharedList<unknown>([1, 'a', [2, [3]], null]);
    expect(l.equals([1, 'a', [2, [3]], null])).toBe(true);
    expect(l.equals(new SharedList([true, 'a', [2n, [3.0]], null]))).toBe(true);
    expect(l.equals([1, 'a', [2, [3]]])).toBe(false); // shorter
    expect(l.equals(['a', 1, [2, [3]], null])).toBe(false); // order matters
    expect(l.equals([1, 'a', [2, [4]], null])).toBe(false);
    expect(new SharedList().equals([])).toBe(true);
    expect(l.equals(new Set([1]) as never)).toBe(false);
  });

  it('SharedDict == dict: same pairs in any order, Python key equality', () => {
    const d = new SharedDict<Key, unknown>([
      [1, 'one'],
      ['b', [1, 2]],
      [[1, 'x'], { v: 3 }],
    ]);
    const same = new Map<unknown, unknown>([
      [[1, 'x'], { v: 3 }],
      ['b', [1, 2]],
      [1n, 'one'],
    ]);
    expect(d.equals(same as never)).toBe(true);
    expect(d.equals(new SharedDict(same as never))).toBe(true);
    expect(d.equals(new Map([[1, 'one']]) as never)).toBe(false); // fewer
    same.set('b', [1, 3]);
    expect(d.equals(same as never)).toBe(false); // a value differs
    expect(
      d.equals(
        new Map<unknown, unknown>([
          [{}, 1],
          ['b', 2],
          [3, 4],
        ]) as never,
      ),
    ).toBe(false);
    expect(new SharedDict().equals(new Map())).toBe(true);
    expect(d.equals([[1, 'one']] as never)).toBe(false);
  });

  it('SharedSet == set: same elements, 1 == 1.0 == True; never equal to a list', () => {
    const s = new SharedSet<unknown>([1, 'a', [2, 3]]);
    expect(s.equals(new Set<unknown>([true, 'a', [2, 3]]))).toBe(true);
    expect(s.equals(new SharedSet<unknown>([[2, 3], 'a', 1n]))).toBe(true);
    expect(s.equals(new Set<unknown>([1, 'a']))).toBe(false);
    expect(s.equals(new Set<unknown>([1, 'a', [2, 3], 4]))).toBe(false);
    expect(s.equals(new Set<unknown>([1, 'a', {}]))).toBe(false);
    expect(s.equals([1, 'a', [2, 3]] as never)).toBe(false);
    expect(new SharedSet().equals(new Set())).toBe(true);
  });
});
