/**
 * Python's typecodes for `multiprocessing.Value`/`Array` (the `array` module's letters, mapped
 * to ctypes as on 64-bit Linux: `l`/`L` are 8 bytes, `u` is a 4-byte wchar_t), and the
 * conversions between JS values and the stored numbers.
 */
import { arena } from '../memory/arena.js';
import { pyTypeName } from '../shared/compare.js';
import { describe } from '../timeout.js';

/** A typecode letter. */
export type Typecode =
  | 'b'
  | 'B'
  | 'h'
  | 'H'
  | 'i'
  | 'I'
  | 'l'
  | 'L'
  | 'q'
  | 'Q'
  | 'f'
  | 'd'
  | 'c'
  | 'u';

/** A typed-array constructor, as used here: over shared memory, with offset and length. */
type Ctor = new (buffer: ArrayBufferLike, byteOffset: number, length: number) => Raw;

/** A typed array of any of the element types. */
export type Raw =
  | Int8Array
  | Uint8Array
  | Int16Array
  | Uint16Array
  | Int32Array
  | Uint32Array
  | BigInt64Array
  | BigUint64Array
  | Float32Array
  | Float64Array;

/** How values of one typecode are stored and converted. */
export interface TypeInfo {
  readonly code: Typecode;
  readonly size: number;
  readonly ctor: Ctor;
  /** 'int' (Atomics), 'big' (64-bit ints, Atomics on bigints), 'float', 'char' (bytes), 'wchar'. */
  readonly kind: 'int' | 'big' | 'float' | 'char' | 'wchar';
  /** ctypes' name, for toString. */
  readonly ctype: string;
}

const TABLE: Record<Typecode, TypeInfo> = {
  b: { code: 'b', size: 1, ctor: Int8Array, kind: 'int', ctype: 'c_byte' },
  B: { code: 'B', size: 1, ctor: Uint8Array, kind: 'int', ctype: 'c_ubyte' },
  h: { code: 'h', size: 2, ctor: Int16Array, kind: 'int', ctype: 'c_short' },
  H: { code: 'H', size: 2, ctor: Uint16Array, kind: 'int', ctype: 'c_ushort' },
  i: { code: 'i', size: 4, ctor: Int32Array, kind: 'int', ctype: 'c_int' },
  I: { code: 'I', size: 4, ctor: Uint32Array, kind: 'int', ctype: 'c_uint' },
  l: { code: 'l', size: 8, ctor: BigInt64Array, kind: 'big', ctype: 'c_long' },
  L: { code: 'L', size: 8, ctor: BigUint64Array, kind: 'big', ctype: 'c_ulong' },
  q: { code: 'q', size: 8, ctor: BigInt64Array, kind: 'big', ctype: 'c_longlong' },
  Q: { code: 'Q', size: 8, ctor: BigUint64Array, kind: 'big', ctype: 'c_ulonglong' },
  f: { code: 'f', size: 4, ctor: Float32Array, kind: 'float', ctype: 'c_float' },
  d: { code: 'd', size: 8, ctor: Float64Array, kind: 'float', ctype: 'c_double' },
  c: { code: 'c', size: 1, ctor: Uint8Array, kind: 'char', ctype: 'c_char' },
  u: { code: 'u', size: 4, ctor: Uint32Array, kind: 'wchar', ctype: 'c_wchar' },
};

/** The info for `typecode`, or TypeError naming it. */
export function typeInfo(typecode: unknown): TypeInfo {
  if (typeof typecode === 'string' && Object.hasOwn(TABLE, typecode))
    return TABLE[typecode as Typecode];
  throw new TypeError(
    `bad typecode ${typeof typecode === 'string' ? `'${typecode}'` : describe(typecode)} ` +
      '(must be b, B, h, H, i, I, l, L, q, Q, f, d, c or u)',
  );
}

/**
 * A fixed-length view of the arena for one element type, covering `[0, end)`. Fixed views are
 * several times faster than the arena's length-tracking ones; re-made when memory beyond their
 * end is needed.
 */
const cache = new Map<Ctor, Raw>();
export function viewOf(info: TypeInfo, end: number): Raw {
  const v = cache.get(info.ctor);
  if (v !== undefined && end <= v.byteLength) return v;
  const sab = arena().sab;
  const len = Math.floor(sab.byteLength / info.size);
  const fresh = new info.ctor(sab, 0, len);
  cache.set(info.ctor, fresh);
  return fresh;
}

/** Read element `idx` of `view` as the JS value Python would give (numbers, 1-char strings). */
export function load(info: TypeInfo, view: Raw, idx: number): number | string {
  switch (info.kind) {
    case 'int':
      return Atomics.load(view as Int32Array, idx);
    case 'big':
      return Number(Atomics.load(view as BigInt64Array, idx));
    case 'float':
      return view[idx] as number;
    case 'char':
      return String.fromCharCode(Atomics.load(view as Uint8Array, idx));
    case 'wchar':
      return String.fromCodePoint(Atomics.load(view as Uint32Array, idx));
  }
}

function intExpected(v: unknown): never {
  throw new TypeError(`int expected instead of ${pyTypeName(v)}`);
}

/** Convert `v` for storage; TypeError with ctypes' wording when it does not fit the type. */
export function convert(info: TypeInfo, v: unknown): number | bigint {
  switch (info.kind) {
    case 'int':
      if (typeof v === 'boolean') return v ? 1 : 0;
      if (typeof v === 'bigint') return Number(BigInt.asIntN(32, v)); // wraps like ctypes
      if (typeof v !== 'number' || !Number.isInteger(v)) intExpected(v);
      return v;
    case 'big':
      if (typeof v === 'bigint') return v;
      if (typeof v === 'boolean') return v ? 1n : 0n;
      if (typeof v !== 'number' || !Number.isInteger(v)) intExpected(v);
      return BigInt(v);
    case 'float':
      if (typeof v === 'number') return v;
      if (typeof v === 'bigint' || typeof v === 'boolean') return Number(v);
      throw new TypeError(`must be real number, not ${pyTypeName(v)}`);
    case 'char':
      if (typeof v === 'string' && v.length === 1 && v.charCodeAt(0) < 256) return v.charCodeAt(0);
      if (v instanceof Uint8Array && v.length === 1) return v[0];
      if (typeof v === 'number' && Number.isInteger(v) && v >= 0 && v < 256) return v;
      throw new TypeError('one character bytes, bytearray or integer expected');
    case 'wchar': {
      if (typeof v === 'string') {
        const cp = v.codePointAt(0);
        if (cp !== undefined && String.fromCodePoint(cp).length === v.length) return cp;
      }
      throw new TypeError(`unicode string of length 1 expected, not ${pyTypeName(v)}`);
    }
  }
}

/** Store a converted value at element `idx`. */
export function store(info: TypeInfo, view: Raw, idx: number, x: number | bigint): void {
  if (info.kind === 'float') view[idx] = x as number;
  else if (info.kind === 'big') Atomics.store(view as BigInt64Array, idx, x as bigint);
  else Atomics.store(view as Int32Array, idx, x as number);
}
