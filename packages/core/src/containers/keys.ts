/**
 * Keys of SharedDict and SharedSet: which values may be keys, their hash and their equality.
 *
 * Python's rules, on the values that cross threads: strings, numbers, bigints, booleans, null
 * and arrays of those (Python's tuples, compared element-wise). Numbers of every kind compare
 * by value, so `1`, `1.0`, `1n` and `true` are one key with one hash, as `1 == 1.0 == True` in
 * Python; the key first stored is the one kept (`d.set(1, a); d.set(true, b)` leaves key `1`).
 * `-0` is `0`. NaN is equal to itself here (CPython finds a NaN key only through the very same
 * object, and copies have no identity; JS's Map makes the same choice).
 */
import { pyTypeName } from '../shared/compare.js';

/** What a SharedDict or SharedSet accepts as a key. */
export type Key = string | number | bigint | boolean | null | readonly Key[];

const MAX_DEPTH = 64;

/** Throw Python's "unhashable type" TypeError, naming where in the key the bad part sits. */
function unhashable(v: unknown, path: string): never {
  const what = typeof v === 'undefined' ? 'undefined' : pyTypeName(v);
  throw new TypeError(
    `unhashable type: '${what}' (${path}: a key must be a string, number, bigint, boolean, null or an array of those)`,
  );
}

/** Reject anything but a {@link Key}; `path` names the key in the error (`key`, `key[2][0]`). */
export function checkKey(key: unknown, path = 'key', depth = 0): asserts key is Key {
  switch (typeof key) {
    case 'string':
    case 'number':
    case 'bigint':
    case 'boolean':
      return;
    case 'object':
      if (key === null) return;
      if (Array.isArray(key) && depth < MAX_DEPTH) {
        for (let i = 0; i < key.length; i++) {
          if (!(i in key)) unhashable(undefined, `${path}[${i}]`);
          checkKey(key[i], `${path}[${i}]`, depth + 1);
        }
        return;
      }
  }
  unhashable(key, path);
}

// --- Hashing -------------------------------------------------------------------------------
const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);
const TWO32 = 2 ** 32;

function mix(h: number): number {
  // murmur3's finaliser: spreads every input bit over the word.
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) | 0;
}

function hashText(s: string, seed: number): number {
  let h = 0x811c9dc5 ^ seed;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return mix(h ^ s.length);
}

// mix(-1): the high half of a negative int32, below.
const MIXED_MINUS_ONE = mix(-1);

function hashInt(n: number): number {
  // An int32 (the usual key) has high half 0 (mix(0) is 0) or -1: the same hash, sooner.
  if ((n | 0) === n) return mix(n < 0 ? n ^ MIXED_MINUS_ONE : n);
  // A safe integer as two 32-bit halves (sign in the high one).
  const hi = Math.floor(n / TWO32);
  return mix((n - hi * TWO32) ^ mix(hi | 0));
}

function hashBig(b: bigint): number {
  const n = Number(b);
  return Number.isSafeInteger(n) ? hashInt(n) : hashText(b.toString(), 0x1b);
}

function hashNumber(n: number): number {
  if (Number.isInteger(n)) return Number.isSafeInteger(n) ? hashInt(n) : hashBig(BigInt(n));
  if (Number.isNaN(n)) return 0x7ff80000; // every NaN alike
  f64[0] = n;
  return mix(u32[0] ^ mix(u32[1]));
}

/** The 32-bit hash of a checked key, equal for keys that {@link keyEqual} calls equal. */
export function hashKey(key: Key): number {
  switch (typeof key) {
    case 'string':
      return hashText(key, 0);
    case 'number':
      return hashNumber(key);
    case 'boolean':
      return hashInt(key ? 1 : 0);
    case 'bigint':
      return hashBig(key);
  }
  if (key === null) return 0x2b992ddf;
  // A tuple: combine the element hashes in order (xxHash-like, as CPython's tuplehash).
  let h = 0x27d4eb2f ^ key.length;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ hashKey(key[i]), 0x9e3779b1) + i;
  return mix(h);
}

// --- Equality ------------------------------------------------------------------------------
function numeric(v: unknown): number | bigint | undefined {
  switch (typeof v) {
    case 'number':
    case 'bigint':
      return v;
    case 'boolean':
      return v ? 1 : 0;
    default:
      return undefined;
  }
}

/** Python's `==` between two keys (numbers by value, NaN equal to NaN, arrays element-wise). */
export function keyEqual(a: Key, b: Key): boolean {
  if (a === b) return true;
  if (typeof a === 'string' || typeof b === 'string') return false;
  if (a === null || b === null) return false;
  const x = numeric(a);
  if (x !== undefined) {
    const y = numeric(b);
    if (y === undefined) return false;
    // biome-ignore lint/suspicious/noDoubleEquals: number == bigint by value, as Python's 1 == 1.0
    return x == y || (Number.isNaN(x) && Number.isNaN(y));
  }
  if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!keyEqual(a[i], b[i])) return false;
  return true;
}

/** Python's repr of a key, for KeyError and ValueError messages. */
export function reprKey(key: unknown): string {
  if (typeof key === 'string') return `'${key}'`;
  if (typeof key === 'bigint') return key.toString();
  if (key === null) return 'None';
  if (key === true) return 'True';
  if (key === false) return 'False';
  if (Array.isArray(key)) return `[${key.map(reprKey).join(', ')}]`;
  return String(key);
}
