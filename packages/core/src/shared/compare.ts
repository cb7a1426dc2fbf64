/**
 * Python's `<` and `==` for the values that cross threads, so that a PriorityQueue orders
 * `[priority, data]` items as Python orders tuples, and a Deque finds items as `==` would.
 * Items are copies in shared memory, so identity means nothing here: equality is structural.
 */
import { isShared, SHARED } from './protocol.js';

/** Python's type name for a JS value, for "'<' not supported between instances of …". */
export function pyTypeName(v: unknown): string {
  if (v === null || v === undefined) return 'NoneType';
  switch (typeof v) {
    case 'boolean':
      return 'bool';
    case 'number':
      return Number.isInteger(v) ? 'int' : 'float';
    case 'bigint':
      return 'int';
    case 'string':
      return 'str';
    case 'function':
      return 'function';
    case 'symbol':
      return 'symbol';
  }
  if (Array.isArray(v)) return 'list';
  const proto = Object.getPrototypeOf(v);
  if (proto === Object.prototype || proto === null) return 'dict';
  return (v as object).constructor?.name ?? 'object';
}

function isNumeric(v: unknown): v is number | bigint | boolean {
  const t = typeof v;
  return t === 'number' || t === 'bigint' || t === 'boolean';
}

function num(v: number | bigint | boolean): number | bigint {
  return typeof v === 'boolean' ? (v ? 1 : 0) : v;
}

function isBytes(v: unknown): v is Uint8Array {
  return v instanceof Uint8Array;
}

/** Python's `a == b` on copied data: numbers by value, containers by content. */
export function pyEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a == null || b == null) return a == null && b == null; // None == None
  // biome-ignore lint/suspicious/noDoubleEquals: number == bigint by value (1 == 1n), as Python's 1 == True
  if (isNumeric(a)) return isNumeric(b) && num(a) == num(b);
  if (typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!pyEqual(a[i], b[i])) return false;
    return true;
  }
  if (isShared(a) || isShared(b)) {
    if (!isShared(a) || !isShared(b)) return false;
    const da = a[SHARED]();
    const db = b[SHARED]();
    return (
      da.type === db.type &&
      da.words.length === db.words.length &&
      da.words.every((x, i) => x === db.words[i])
    );
  }
  if (a instanceof Date) return b instanceof Date && a.getTime() === b.getTime();
  if (isBytes(a)) {
    if (!isBytes(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
    return true;
  }
  if (a instanceof Map) {
    if (!(b instanceof Map) || a.size !== b.size) return false;
    for (const [k, v] of a) if (!b.has(k) || !pyEqual(v, b.get(k))) return false;
    return true;
  }
  if (a instanceof Set) {
    if (!(b instanceof Set) || a.size !== b.size) return false;
    for (const v of a) if (!b.has(v)) return false;
    return true;
  }
  const pa = Object.getPrototypeOf(a);
  const pb = Object.getPrototypeOf(b);
  const plainA = pa === Object.prototype || pa === null;
  const plainB = pb === Object.prototype || pb === null;
  if (!plainA || !plainB) return false;
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  for (const k of ka) {
    if (!Object.hasOwn(b, k) || !pyEqual((a as any)[k], (b as any)[k])) return false;
  }
  return true;
}

/** Compare two strings by code point, as Python does (JS `<` compares UTF-16 units). */
function strLess(a: string, b: string): boolean {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    // Only surrogates disagree between the two orders; codePointAt settles them.
    if ((x & 0xf800) === 0xd800 || (y & 0xf800) === 0xd800)
      return a.codePointAt(i)! < b.codePointAt(i)!;
    return x < y;
  }
  return a.length < b.length;
}

/**
 * Python's `a < b`: numbers (and booleans, bigints) with each other, strings by code point,
 * arrays element by element like tuples, Dates, bytes. Anything else is a TypeError worded
 * as Python's: "'<' not supported between instances of 'dict' and 'dict'".
 */
export function pyLess(a: unknown, b: unknown): boolean {
  if (typeof a === 'number' && typeof b === 'number') return a < b;
  if (isNumeric(a) && isNumeric(b)) return num(a) < num(b);
  if (typeof a === 'string' && typeof b === 'string') return strLess(a, b);
  if (Array.isArray(a) && Array.isArray(b)) {
    const n = Math.min(a.length, b.length);
    for (let i = 0; i < n; i++) {
      if (!pyEqual(a[i], b[i])) return pyLess(a[i], b[i]);
    }
    return a.length < b.length;
  }
  if (a instanceof Date && b instanceof Date) return a.getTime() < b.getTime();
  if (isBytes(a) && isBytes(b)) {
    const n = Math.min(a.length, b.length);
    for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i] < b[i];
    return a.length < b.length;
  }
  throw new TypeError(
    `'<' not supported between instances of '${pyTypeName(a)}' and '${pyTypeName(b)}'`,
  );
}
