// The wire format (shared/wire.ts): every value round-trips through arena bytes exactly as
// structured clone would copy it; the JSON fast path is taken only when it is exact; shared
// objects travel by reference; uncloneable values are rejected with their path.

import { DataCloneError, Lock, Queue, Thread } from '@threadkit/core';
import { wire } from '@threadkit/core/internal';
import { describe, expect, it } from 'vitest';

function roundTrip(v: unknown): unknown {
  return wire.decodeBlock(wire.encodeBlock(v, 'value'));
}

describe('wire round trips', () => {
  it('numbers, booleans, null, undefined and bigints, inline', () => {
    for (const v of [
      0,
      1,
      -1,
      0.1,
      2 ** 53 + 2,
      Number.MAX_VALUE,
      Number.MIN_VALUE,
      Number.POSITIVE_INFINITY,
    ]) {
      expect(roundTrip(v)).toBe(v);
    }
    expect(Object.is(roundTrip(-0), -0)).toBe(true);
    expect(roundTrip(Number.NaN)).toBeNaN();
    for (const v of [
      true,
      false,
      null,
      undefined,
      0n,
      -1n,
      2n ** 63n - 1n,
      -(2n ** 63n),
      2n ** 64n,
      -(10n ** 40n),
    ]) {
      expect(roundTrip(v)).toBe(v);
    }
  });

  it('strings: short and long, Latin-1 and UTF-16, lone surrogates', () => {
    const cases = [
      '',
      'a',
      'hello',
      'é'.repeat(56),
      'é'.repeat(57),
      '☃'.repeat(28),
      '☃'.repeat(29),
      'x'.repeat(10_000),
      'ü'.repeat(10_000),
      '😀'.repeat(1000),
      '\ud800',
      'a\udc00b',
      '\0\0nul',
    ];
    for (const s of cases) expect(roundTrip(s)).toBe(s);
  });

  it('plain data takes the JSON path only when JSON is exact', () => {
    const safe = [
      { a: 1, b: 'hello' },
      [1, 'two', [3], { four: null }],
      {},
      [],
      { nested: { x: [true, false] } },
    ];
    for (const v of safe) {
      expect(wire.isJsonSafe(v)).toBe(true);
      expect(roundTrip(v)).toEqual(v);
    }
    const sharedRef = { k: 1 };
    const cyclic: any = {};
    cyclic.self = cyclic;
    const holey = [1, 2];
    holey.length = 3;
    const named: any = [1];
    named.extra = 'kept';
    const unsafe: unknown[] = [
      { u: undefined },
      { z: -0 },
      { n: Number.NaN },
      { i: Number.POSITIVE_INFINITY },
      [sharedRef, sharedRef],
      cyclic,
      holey,
      named,
      { d: new Date(0) },
      { big: 1n },
      Object.create({ inherited: 1 }),
    ];
    for (const v of unsafe) expect(wire.isJsonSafe(v as object)).toBe(false);
    const [a, b] = roundTrip([sharedRef, sharedRef]) as object[];
    expect(a).toBe(b);
    const c = roundTrip(cyclic) as any;
    expect(c.self).toBe(c);
    const h = roundTrip(holey) as unknown[];
    expect(h.length).toBe(3);
    expect(2 in h).toBe(false);
    expect((roundTrip(named) as any).extra).toBe('kept');
    expect(Object.is((roundTrip({ z: -0 }) as any).z, -0)).toBe(true);
    expect(Object.hasOwn(roundTrip({ u: undefined }) as object, 'u')).toBe(true);
    const nullProto = Object.assign(Object.create(null), { a: 1 });
    expect(wire.isJsonSafe(nullProto)).toBe(true);
    expect(roundTrip(nullProto)).toEqual({ a: 1 });
  });

  it('flat objects (records) come back exactly as structured clone copies them', () => {
    const cases: Record<string, unknown>[] = [
      { id: 7, name: 'item', ok: true },
      { z: -0, n: Number.NaN, inf: Number.NEGATIVE_INFINITY, u: undefined, nul: null, f: false },
      { 2: 'two', 1: 'one', b: 'b', a: 'a' }, // integer keys first, then insertion order
      { '': 0, ÿé: 'àü', s: '' },
      {},
      // Too big for a slot, a wide char, a nested object, a '__proto__' own key: not records.
      Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`k${i}`, i])),
      { snow: '☃' },
      { '☃': 1 },
      { nested: { x: 1 } },
      JSON.parse('{"__proto__": 1, "a": 2}'),
    ];
    for (const v of cases) {
      const back = roundTrip(v) as Record<string, unknown>;
      const clone = structuredClone(v);
      expect(Object.getPrototypeOf(back)).toBe(Object.prototype);
      expect(Object.keys(back)).toEqual(Object.keys(clone));
      for (const k of Object.keys(clone)) {
        if (typeof clone[k] === 'object' && clone[k] !== null) expect(back[k]).toEqual(clone[k]);
        else expect(Object.is(back[k], clone[k])).toBe(true);
      }
    }
    // Many distinct keys (the key cache evicts and collides): each comes back as written.
    for (let i = 0; i < 5000; i++) {
      const key = `key${i}`;
      expect(roundTrip({ [key]: i, x: `v${i}` })).toEqual({ [key]: i, x: `v${i}` });
    }
    // A record may not carry what it cannot copy: the usual path errors.
    expect(() => wire.encodeBlock({ f: () => 1 }, 'item')).toThrow(/item\.f/);
    expect(() => wire.encodeBlock({ s: Symbol('s') }, 'item')).toThrow(DataCloneError);
  });

  it('records read back in another thread (its own key cache)', async () => {
    const q = new Queue();
    const out = new Queue();
    for (let i = 0; i < 200; i++) q.put({ id: i, [`k${i % 7}`]: -0, name: 'item' });
    const t = new Thread({
      target: (from: Queue, to: Queue) => {
        for (let i = 0; i < 200; i++) {
          const o = from.get() as Record<string, unknown>;
          // Sent back as [keys, is the second value -0, the id]: all plain, checked here.
          to.put([Object.keys(o), Object.is(Object.values(o)[1], -0), o.id]);
        }
      },
      args: [q, out],
      daemon: true,
    });
    t.start();
    await t.joinAsync(60);
    for (let i = 0; i < 200; i++) {
      expect(out.get(false)).toEqual([['id', `k${i % 7}`, 'name'], true, i]);
    }
  });

  it('everything structured clone copies: Map, Set, Date, RegExp, typed arrays, errors', () => {
    const vals = [
      new Map<unknown, unknown>([
        ['a', 1],
        [2, { b: [3] }],
      ]),
      new Set([1, 'x']),
      new Date(1e12),
      /ab+c/gi,
      new Uint8Array([1, 2, 255]),
      new Float64Array([0.5, -1]),
      new ArrayBuffer(8),
    ];
    for (const v of vals) expect(roundTrip(v)).toEqual(v);
    const err = roundTrip(new RangeError('bad')) as Error;
    expect(err).toBeInstanceOf(RangeError);
    expect(err.message).toBe('bad');
  });

  it('shared objects travel by reference at any depth', () => {
    const lock = new Lock();
    const q = new Queue();
    const v = roundTrip({ deep: [new Map([['lock', lock]])], q }) as any;
    const lock2 = v.deep[0].get('lock');
    expect(lock2).toBeInstanceOf(Lock);
    lock2.acquire();
    expect(lock.locked()).toBe(true);
    lock.release();
    v.q.put(1);
    expect(q.get()).toBe(1);
  });

  it('rejects functions, symbols and class instances with the path', () => {
    expect(() => wire.encodeBlock({ a: { b: [0, () => 1] } }, 'item')).toThrow(DataCloneError);
    expect(() => wire.encodeBlock({ a: { b: [0, () => 1] } }, 'item')).toThrow(/item\.a\.b\[1\]/);
    expect(() => wire.encodeBlock(Symbol('s'), 'item')).toThrow(/item cannot be sent/);
    class Point {
      x = 1;
    }
    expect(() => wire.encodeBlock({ p: new Point() }, 'args[0]')).toThrow(/args\[0\]\.p.*Point/);
    expect(() => wire.encodeBlock(new WeakMap(), 'item')).toThrow(DataCloneError);
  });

  it('big values (megabytes) and freeBlock', () => {
    const big = new Uint8Array(8 << 20).fill(7);
    const back = roundTrip(big) as Uint8Array;
    expect(back.length).toBe(8 << 20);
    expect(back[back.length - 1]).toBe(7);
    const text = 'word '.repeat(1_000_000);
    expect(roundTrip(text)).toBe(text);
    const obj = { rows: Array.from({ length: 50_000 }, (_, i) => ({ i, s: `r${i}` })) };
    expect(roundTrip(obj)).toEqual(obj);
    wire.freeBlock(wire.encodeBlock(text));
  });
});
