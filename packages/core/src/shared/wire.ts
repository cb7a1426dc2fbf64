/**
 * The wire format: how a value becomes arena bytes and back (queue and deque items, and later
 * pipe messages and future results).
 *
 * Every value lives in a fixed 64-byte *slot* (`[tag, length, 56 payload bytes]`), so that a
 * container of items is just an array of slots it can move around without decoding them.
 * The cheap cases never pay `v8.serialize` (2.6–5.4 µs, docs/NODE-NOTES.md):
 *   - numbers, booleans, null, undefined and 64-bit bigints sit inline in the slot;
 *   - strings are copied by hand, one byte a char when every char fits in Latin-1 (else two),
 *     inline up to 56 bytes, else in a separate arena block written natively;
 *   - flat plain objects (primitive fields, Latin-1 keys) that fit the slot are written field
 *     by field, a *record*; their keys are looked up in a per-thread cache when read back;
 *   - other plain objects and arrays that a walk proves JSON-safe (finite non-negative-zero
 *     numbers, strings, booleans, null; no holes, no undefined, no shared references, no
 *     class instances) travel as JSON text, which is 5–10× cheaper than v8 and loses nothing;
 *   - anything else goes through `v8.serialize(encodeShared(value))`, so shared objects arrive
 *     working and functions are rejected with the path error of `encodeShared`.
 *
 * Encoding happens in two steps so that containers can hold their mutex for as short a time
 * as possible: {@link prepare} (outside the lock: walks, stringifies, allocates and fills the
 * out-of-line block) and {@link storeSlot} (under the lock: a handful of word writes).
 * Decoding mirrors it: {@link takeSlot} under the lock, {@link finish} after unlocking.
 */
import v8 from 'node:v8';
import { DataCloneError } from '../errors.js';
import { alloc, free } from '../memory/arena.js';
import { type Views, views } from '../memory/views.js';
import { decodeShared, discardEncoded, encodeShared } from './protocol.js';

/** Bytes in one slot (8-byte aligned by construction). */
export const SLOT_BYTES = 64;
/** Int32 words in one slot. */
export const SLOT_WORDS = SLOT_BYTES >> 2;
const INLINE = SLOT_BYTES - 8;

const T_UNDEFINED = 1;
const T_NULL = 2;
const T_TRUE = 3;
const T_FALSE = 4;
const T_NUMBER = 5;
const T_BIGINT = 6;
const T_STRING = 7;
const T_JSON = 8;
const T_V8 = 9;
/** A flat plain object, field by field (see {@link recordBytes}). */
const T_RECORD = 10;
const TYPE = 0x0f;
/** Chars stored as UTF-16 code units (else one Latin-1 byte each). */
const WIDE = 0x10;
/** Payload in a separate arena block whose pointer is in the slot's third word. */
const OOL = 0x20;
/** A v8 payload that holds shared-object placeholders (others skip `decodeShared`). */
const HAS_SHARED = 0x40;

/** An encoded value ready to be stored; produced outside any lock by {@link prepare}. */
export class Prepared {
  constructor(
    /** Tag: type | WIDE | OOL. */
    public tag: number,
    /** Chars (strings, JSON) or bytes (v8). */
    public len = 0,
    public num = 0,
    public str = '',
    public bytes: Uint8Array | null = null,
    public big = 0n,
    /** Out-of-line block (owned by the slot once stored). */
    public ptr = 0,
  ) {}
}

function isLatin1(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0xff) return false;
  return true;
}

function prepareText(s: string, type: number): Prepared {
  const n = s.length;
  if (n <= INLINE && isLatin1(s)) return new Prepared(type, n, 0, s);
  if (n * 2 <= INLINE) return new Prepared(type | WIDE, n, 0, s);
  // Long text: one native write into its own block (ASCII as bytes, the rest as UTF-16).
  if (Buffer.byteLength(s, 'utf8') === n) {
    const ptr = alloc(n);
    views(ptr + n).buf.write(s, ptr, n, 'latin1');
    return new Prepared(type | OOL, n, 0, '', null, 0n, ptr);
  }
  const ptr = alloc(n * 2);
  views(ptr + n * 2).buf.write(s, ptr, n * 2, 'utf16le');
  return new Prepared(type | WIDE | OOL, n, 0, '', null, 0n, ptr);
}

// --- Flat records -------------------------------------------------------------------------
// The commonest queue item is a small flat object (`{ id: 7, name: 'item', ok: true }`). JSON
// costs it a walk, a stringify and a parse (≈ 0.6 µs a round trip, more than the queue
// itself); a record is written field by field into the slot's 56 bytes: `[n]`, then per
// field `[key length][key bytes][kind][value]` (a number's 8 bytes, a string's length and
// bytes). Keys and short strings must be Latin-1. It is exact where JSON is not (-0, NaN,
// undefined values survive, as in structured clone); an object that does not fit falls back
// to JSON or v8.

const R_UNDEFINED = 0;
const R_NULL = 1;
const R_TRUE = 2;
const R_FALSE = 3;
const R_NUMBER = 4;
const R_STRING = 5;
/** Most fields in a record (the slot's bytes bound it anyway). */
const R_MAX_FIELDS = 16;

const scratchF64 = new Float64Array(1);
const scratchU8 = new Uint8Array(scratchF64.buffer);
const recordScratch = new Uint8Array(INLINE);

/** `o`'s record bytes, or null if it is not a flat plain object that fits inline. */
function recordBytes(o: object): Uint8Array | null {
  const proto = Object.getPrototypeOf(o);
  if (proto !== Object.prototype && proto !== null) return null;
  const buf = recordScratch;
  let at = 1;
  let n = 0;
  for (const k in o) {
    const kl = k.length;
    // `o[k] = v` with k '__proto__' would set the prototype: such keys go as JSON.
    if (++n > R_MAX_FIELDS || at + kl + 2 > INLINE || k === '__proto__') return null;
    buf[at++] = kl;
    for (let i = 0; i < kl; i++) {
      const c = k.charCodeAt(i);
      if (c > 0xff) return null;
      buf[at++] = c;
    }
    const v = (o as Record<string, unknown>)[k];
    switch (typeof v) {
      case 'number':
        if (at + 9 > INLINE) return null;
        buf[at++] = R_NUMBER;
        scratchF64[0] = v;
        for (let i = 0; i < 8; i++) buf[at++] = scratchU8[i];
        break;
      case 'string': {
        const sl = v.length;
        if (at + sl + 2 > INLINE) return null;
        buf[at++] = R_STRING;
        buf[at++] = sl;
        for (let i = 0; i < sl; i++) {
          const c = v.charCodeAt(i);
          if (c > 0xff) return null;
          buf[at++] = c;
        }
        break;
      }
      case 'boolean':
        buf[at++] = v ? R_TRUE : R_FALSE;
        break;
      case 'undefined':
        buf[at++] = R_UNDEFINED;
        break;
      case 'object':
        if (v !== null) return null;
        buf[at++] = R_NULL;
        break;
      default:
        return null;
    }
  }
  buf[0] = n;
  return buf.slice(0, at);
}

/** Keys seen by this thread, by a hash of their bytes: a record's keys are rarely new. */
const KEY_CACHE_SIZE = 1024;
const keyCache: Array<string | undefined> = new Array(KEY_CACHE_SIZE);

function readKey(buf: Buffer, at: number, n: number): string {
  let h = n;
  for (let i = 0; i < n; i++) h = (Math.imul(h, 31) + buf[at + i]) | 0;
  const slot = h & (KEY_CACHE_SIZE - 1);
  const cached = keyCache[slot];
  if (cached !== undefined && cached.length === n) {
    let i = 0;
    while (i < n && cached.charCodeAt(i) === buf[at + i]) i++;
    if (i === n) return cached;
  }
  const key = readText(buf, false, at, n);
  keyCache[slot] = key;
  return key;
}

/** Rebuild the object of a record whose bytes start at `at` of `buf`. */
function decodeRecord(buf: Buffer, at: number): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  const n = buf[at++];
  for (let f = 0; f < n; f++) {
    const kl = buf[at++];
    const key = readKey(buf, at, kl);
    at += kl;
    switch (buf[at++]) {
      case R_NUMBER:
        for (let i = 0; i < 8; i++) scratchU8[i] = buf[at++];
        o[key] = scratchF64[0];
        break;
      case R_STRING: {
        const sl = buf[at++];
        o[key] = readText(buf, false, at, sl);
        at += sl;
        break;
      }
      case R_TRUE:
        o[key] = true;
        break;
      case R_FALSE:
        o[key] = false;
        break;
      case R_NULL:
        o[key] = null;
        break;
      default:
        o[key] = undefined;
    }
  }
  return o;
}

// --- The JSON-safety walk ---------------------------------------------------------------
// JSON round-trips a value exactly when it is a tree (no object reached twice: structured
// clone keeps shared references, JSON would duplicate them) of plain objects and dense arrays
// holding strings, booleans, null and finite numbers other than -0.
const MAX_NODES = 4096;
const MAX_DEPTH = 64;
let budget = 0;
let seen: Set<object> | null = null;

function safeValue(v: unknown, depth: number): boolean {
  switch (typeof v) {
    case 'string':
    case 'boolean':
      return true;
    case 'number':
      return Number.isFinite(v) && !(v === 0 && 1 / v < 0);
    case 'object':
      return v === null || safeObject(v, depth + 1);
    default:
      return false;
  }
}

function safeObject(o: object, depth: number): boolean {
  if (depth > MAX_DEPTH) return false;
  if (depth > 1) {
    // Only nested objects can be reached twice; the top level needs no bookkeeping.
    seen ??= new Set();
    if (seen.has(o)) return false;
    seen.add(o);
  }
  const proto = Object.getPrototypeOf(o);
  if (Array.isArray(o)) {
    if (proto !== Array.prototype) return false;
    const n = o.length;
    if ((budget -= n + 1) < 0) return false;
    for (let i = 0; i < n; i++) if (!safeValue(o[i], depth)) return false; // holes read as undefined
    // Named properties on an array survive structured clone but not JSON.
    return Object.keys(o).length === n;
  }
  if (proto !== Object.prototype && proto !== null) return false;
  for (const k in o) {
    if (--budget < 0) return false;
    if (!safeValue((o as Record<string, unknown>)[k], depth)) return false;
  }
  return true;
}

/** Whether `o` (an object) survives `JSON.parse(JSON.stringify(o))` exactly as structured clone. */
export function isJsonSafe(o: object): boolean {
  budget = MAX_NODES;
  try {
    return safeObject(o, 1);
  } finally {
    seen = null;
  }
}

function prepareV8(value: unknown, path: string): Prepared {
  const encoded = encodeShared(value, path); // throws DataCloneError with the path
  const type = encoded === value ? T_V8 : T_V8 | HAS_SHARED;
  let bytes: Buffer;
  try {
    bytes = v8.serialize(encoded);
  } catch (err) {
    discardEncoded(encoded); // give back the counts encodeShared took
    throw new DataCloneError(`${path} cannot be sent to another thread: ${(err as Error).message}`);
  }
  const n = bytes.length;
  if (n <= INLINE) return new Prepared(type, n, 0, '', bytes);
  const ptr = alloc(n);
  views(ptr + n).u8.set(bytes, ptr);
  return new Prepared(type | OOL, n, 0, '', null, 0n, ptr);
}

/**
 * Encode `value` (outside any lock). `path` names it in errors (`item`, `args[1]`).
 * The result must be given to {@link storeSlot} or {@link release}.
 */
export function prepare(value: unknown, path = 'value'): Prepared {
  switch (typeof value) {
    case 'number':
      return new Prepared(T_NUMBER, 0, value);
    case 'string':
      return prepareText(value, T_STRING);
    case 'boolean':
      return new Prepared(value ? T_TRUE : T_FALSE);
    case 'undefined':
      return new Prepared(T_UNDEFINED);
    case 'bigint':
      if (BigInt.asIntN(64, value) === value) return new Prepared(T_BIGINT, 0, 0, '', null, value);
      return prepareV8(value, path);
    case 'object':
      if (value === null) return new Prepared(T_NULL);
      if (!Array.isArray(value)) {
        const record = recordBytes(value);
        if (record) return new Prepared(T_RECORD, record.length, 0, '', record);
      }
      if (isJsonSafe(value)) return prepareText(JSON.stringify(value), T_JSON);
      return prepareV8(value, path);
    default:
      return prepareV8(value, path);
  }
}

/**
 * Write a number inline into the slot at `base` (what `storeSlot(base, prepare(n))` does,
 * without the intermediate object: the hot path of appending numbers).
 */
export function storeNumber(base: number, n: number): void {
  storeNumberIn(views(base + SLOT_BYTES), base, n);
}

/** {@link storeNumber} through views `a` the caller already holds (they must cover the slot). */
export function storeNumberIn(a: Views, base: number, n: number): void {
  a.i32[base >> 2] = T_NUMBER;
  a.i32[(base >> 2) + 1] = 0;
  a.f64[(base + 8) >> 3] = n;
}

/** Give back what {@link prepare} allocated, when the value is not stored after all. */
export function release(p: Prepared): void {
  if (p.tag & HAS_SHARED) {
    // The encoded copy never made it into a slot: drop the counts it holds.
    discardEncoded(
      v8.deserialize(p.bytes ?? views(p.ptr + p.len).u8.subarray(p.ptr, p.ptr + p.len)),
    );
    p.tag &= ~HAS_SHARED;
  }
  if (p.tag & OOL) {
    free(p.ptr);
    p.ptr = 0;
    p.tag &= ~OOL;
  }
}

/** Write a prepared value into the slot at byte offset `base` (cheap; meant for under a lock). */
export function storeSlot(base: number, p: Prepared): void {
  const a = views(base + SLOT_BYTES);
  const w = base >> 2;
  const tag = p.tag;
  a.i32[w] = tag;
  a.i32[w + 1] = p.len;
  if (tag & OOL) {
    a.i32[w + 2] = p.ptr;
    return;
  }
  switch (tag & TYPE) {
    case T_NUMBER:
      a.f64[(base + 8) >> 3] = p.num;
      return;
    case T_BIGINT:
      a.big64[(base + 8) >> 3] = p.big;
      return;
    case T_STRING:
    case T_JSON: {
      const s = p.str;
      const n = s.length;
      if (tag & WIDE) {
        const u16 = a.u16;
        const at = (base + 8) >> 1;
        for (let i = 0; i < n; i++) u16[at + i] = s.charCodeAt(i);
      } else {
        const u8 = a.u8;
        const at = base + 8;
        for (let i = 0; i < n; i++) u8[at + i] = s.charCodeAt(i);
      }
      return;
    }
    case T_V8:
    case T_RECORD:
      a.u8.set(p.bytes!, base + 8);
      return;
  }
}

// Buffer's per-encoding slicers skip `toString`'s argument checks and encoding lookup (a
// third of the cost for short strings); they are not documented, so fall back if absent.
interface Slicers {
  latin1Slice?(start: number, end: number): string;
  ucs2Slice?(start: number, end: number): string;
}
const proto = Buffer.prototype as unknown as Slicers;
const latin1Slice = proto.latin1Slice;
const ucs2Slice = proto.ucs2Slice;

function readText(buf: Buffer, wide: boolean, at: number, n: number): string {
  if (wide) {
    return ucs2Slice
      ? ucs2Slice.call(buf, at, at + n * 2)
      : buf.toString('utf16le', at, at + n * 2);
  }
  return latin1Slice ? latin1Slice.call(buf, at, at + n) : buf.toString('latin1', at, at + n);
}

function decodeV8(tag: number, bytes: Uint8Array, own: boolean): unknown {
  const v = v8.deserialize(bytes);
  // Taking an item moves its counts into this thread; peeking leaves them in the slot.
  return tag & HAS_SHARED ? decodeShared(v, own) : v;
}

/**
 * Decode the slot at byte `base` of `v` (the arena's views, or a local copy). An out-of-line
 * payload is read from the arena, and freed when `own` is set.
 */
function decodeAt(v: Views, base: number, own: boolean): unknown {
  const w = base >> 2;
  const tag = v.i32[w];
  const len = v.i32[w + 1];
  const type = tag & TYPE;
  const wide = (tag & WIDE) !== 0;
  if (tag & OOL) {
    const ptr = v.i32[w + 2];
    try {
      const buf = views(ptr + (type === T_V8 ? len : wide ? len * 2 : len)).buf;
      if (type === T_V8) return decodeV8(tag, buf.subarray(ptr, ptr + len), own);
      const text = readText(buf, wide, ptr, len);
      return type === T_JSON ? JSON.parse(text) : text;
    } finally {
      if (own) free(ptr);
    }
  }
  switch (type) {
    case T_UNDEFINED:
      return undefined;
    case T_NULL:
      return null;
    case T_TRUE:
      return true;
    case T_FALSE:
      return false;
    case T_NUMBER:
      return v.f64[(base + 8) >> 3];
    case T_BIGINT:
      return v.big64[(base + 8) >> 3];
    case T_STRING:
      return readText(v.buf, wide, base + 8, len);
    case T_JSON:
      return JSON.parse(readText(v.buf, wide, base + 8, len));
    case T_V8:
      return decodeV8(tag, v.buf.subarray(base + 8, base + 8 + len), own);
    case T_RECORD:
      return decodeRecord(v.buf, base + 8);
    default:
      throw new Error(`threadkit: corrupt slot (tag ${tag})`);
  }
}

/**
 * A slot's content moved out of the arena into thread-local memory by {@link takeSlot}, so
 * that it can be decoded after the lock is released. Opaque; give it to {@link finish}.
 */
export interface Taken {
  readonly local: Views;
}

function localViews(): Views {
  const ab = new ArrayBuffer(SLOT_BYTES);
  return {
    len: SLOT_BYTES,
    i32: new Int32Array(ab),
    u8: new Uint8Array(ab),
    u16: new Uint16Array(ab),
    f64: new Float64Array(ab),
    big64: new BigInt64Array(ab),
    buf: Buffer.from(ab),
  };
}

// Local copies are recycled: a take and its finish are nearly always back to back.
const pool: Taken[] = [];

/**
 * Move the value out of the slot at `base` (cheap: sixteen word copies; meant for under a
 * lock). Ownership of an out-of-line block moves with it; the slot may be reused at once.
 */
export function takeSlot(base: number): Taken {
  const t = pool.pop() ?? { local: localViews() };
  const from = views(base + SLOT_BYTES).i32;
  const to = t.local.i32;
  const w = base >> 2;
  for (let i = 0; i < SLOT_WORDS; i++) to[i] = from[w + i];
  return t;
}

/** Decode a value from {@link takeSlot} (outside the lock), freeing its out-of-line block. */
export function finish(t: Taken): unknown {
  try {
    return decodeAt(t.local, 0, true);
  } finally {
    if (pool.length < 8) pool.push(t);
  }
}

/** Decode the slot at `base` without taking it (for comparisons and searches). */
export function peekSlot(base: number): unknown {
  return decodeAt(views(base + SLOT_BYTES), base, false);
}

/** What {@link peekPlain} returns for a slot it does not decode. */
export const NOT_PLAIN: unique symbol = Symbol('threadkit.notPlain');

/**
 * Decode the slot at `base` only if it holds an inline primitive (a number, boolean, null,
 * undefined, 64-bit bigint or short string), else {@link NOT_PLAIN}. Safe on a slot that
 * another thread is rewriting (an optimistic read, containers/seqlock.ts): it reads nothing
 * outside the slot, allocates nothing in the arena and takes no counts, so a torn read gives
 * at worst a wrong value for the caller to discard.
 */
export function peekPlain(base: number): unknown {
  const a = views(0);
  if (base < 0 || base + SLOT_BYTES > a.len) return NOT_PLAIN;
  const w = base >> 2;
  const tag = a.i32[w];
  switch (tag) {
    case T_NUMBER:
      return a.f64[(base + 8) >> 3];
    case T_STRING: {
      const n = a.i32[w + 1];
      return n >= 0 && n <= INLINE ? readText(a.buf, false, base + 8, n) : NOT_PLAIN;
    }
    case T_STRING | WIDE: {
      const n = a.i32[w + 1];
      return n >= 0 && n * 2 <= INLINE ? readText(a.buf, true, base + 8, n) : NOT_PLAIN;
    }
    case T_TRUE:
      return true;
    case T_FALSE:
      return false;
    case T_NULL:
      return null;
    case T_UNDEFINED:
      return undefined;
    case T_BIGINT:
      return a.big64[(base + 8) >> 3];
    default:
      return NOT_PLAIN;
  }
}

/**
 * Whether the slot at `base` holds `key` (a number or a string), compared in place and, as
 * {@link peekPlain}, safe on a slot another thread is rewriting: 1 it does, 0 it holds an
 * inline value of the same type that differs, -1 it cannot tell (another type, out-of-line).
 * NaN matches NaN (containers/keys.ts).
 */
export function plainMatch(base: number, key: number | string): 1 | 0 | -1 {
  const a = views(0);
  if (base < 0 || base + SLOT_BYTES > a.len) return -1;
  const w = base >> 2;
  const tag = a.i32[w];
  if (typeof key === 'number') {
    if (tag !== T_NUMBER) return -1;
    const n = a.f64[(base + 8) >> 3];
    return n === key || (Number.isNaN(n) && Number.isNaN(key)) ? 1 : 0;
  }
  const len = key.length;
  if (tag === T_STRING) {
    if (a.i32[w + 1] !== len) return 0;
    if (len > INLINE) return -1;
    const u8 = a.u8;
    const at = base + 8;
    for (let i = 0; i < len; i++) if (u8[at + i] !== key.charCodeAt(i)) return 0;
    return 1;
  }
  if (tag === (T_STRING | WIDE)) {
    if (a.i32[w + 1] !== len) return 0;
    if (len * 2 > INLINE) return -1;
    const u16 = a.u16;
    const at = (base + 8) >> 1;
    for (let i = 0; i < len; i++) if (u16[at + i] !== key.charCodeAt(i)) return 0;
    return 1;
  }
  return -1;
}

/**
 * Drop the value in a slot without decoding it: frees its out-of-line block and drops the
 * counts its shared objects hold (so those may be freed).
 */
export function discardSlot(base: number): void {
  const a = views(base + SLOT_BYTES);
  const w = base >> 2;
  dropOwned(a.i32[w], a.i32[w + 1], a.i32[w + 2], a.u8, base + 8);
  a.i32[w] = 0;
}

/**
 * Free what a slot with words `tag, len, ool` owns: the counts its shared objects hold and its
 * out-of-line block. `inline[at…]` holds its inline bytes (in the arena, or a taken copy).
 */
function dropOwned(tag: number, len: number, ool: number, inline: Uint8Array, at: number): void {
  try {
    if (tag & HAS_SHARED) {
      const bytes =
        tag & OOL ? views(ool + len).u8.subarray(ool, ool + len) : inline.subarray(at, at + len);
      discardEncoded(v8.deserialize(bytes));
    }
  } finally {
    if (tag & OOL) free(ool);
  }
}

/** Whether the slot at `base` owns more than its words (an out-of-line block, or counts). */
export function slotOwnsMemory(base: number): boolean {
  return (views(base + SLOT_BYTES).i32[base >> 2] & (OOL | HAS_SHARED)) !== 0;
}

/**
 * Drop a value from {@link takeSlot} without decoding it, as {@link discardSlot} drops one in
 * place: frees its out-of-line block and drops the counts its shared objects hold.
 */
export function discardTaken(t: Taken): void {
  const a = t.local;
  try {
    dropOwned(a.i32[0], a.i32[1], a.i32[2], a.u8, 8);
  } finally {
    if (pool.length < 8) pool.push(t);
  }
}

/** Copy a slot (within the arena); ownership of any out-of-line block moves with it. */
export function moveSlot(from: number, to: number, words = SLOT_WORDS): void {
  const i32 = views(Math.max(from, to) + words * 4).i32;
  const f = from >> 2;
  i32.copyWithin(to >> 2, f, f + words);
}

// --- Stand-alone blocks, for one value at a time (future results, pipe messages) ----------

/** Encode `value` into a fresh arena block; returns its offset, for {@link decodeBlock}. */
export function encodeBlock(value: unknown, path = 'value'): number {
  const p = prepare(value, path);
  let ptr: number;
  try {
    ptr = alloc(SLOT_BYTES);
  } catch (err) {
    release(p);
    throw err;
  }
  storeSlot(ptr, p);
  return ptr;
}

/** Decode and free a block from {@link encodeBlock}. */
export function decodeBlock(ptr: number): unknown {
  let t: Taken;
  try {
    t = takeSlot(ptr);
  } finally {
    free(ptr);
  }
  return finish(t);
}

/** Free a block from {@link encodeBlock} without decoding it. */
export function freeBlock(ptr: number): void {
  discardSlot(ptr);
  free(ptr);
}

// --- In-place comparisons, for hash-table keys (no decoding on the hot path) ------------------

/** Whether the slot at `base` holds exactly the string `s` (compared without decoding). */
export function slotHoldsString(base: number, s: string): boolean {
  const a = views(base + SLOT_BYTES);
  const w = base >> 2;
  const tag = a.i32[w];
  const n = s.length;
  if ((tag & TYPE) !== T_STRING || a.i32[w + 1] !== n) return false;
  const wide = (tag & WIDE) !== 0;
  if (tag & OOL) {
    const ptr = a.i32[w + 2];
    return readText(views(ptr + (wide ? n * 2 : n)).buf, wide, ptr, n) === s;
  }
  if (wide) {
    const u16 = a.u16;
    const at = (base + 8) >> 1;
    for (let i = 0; i < n; i++) if (u16[at + i] !== s.charCodeAt(i)) return false;
  } else {
    const u8 = a.u8;
    const at = base + 8;
    for (let i = 0; i < n; i++) if (u8[at + i] !== s.charCodeAt(i)) return false;
  }
  return true;
}

/** The number held inline in the slot at `base`, or undefined if it holds something else. */
export function slotNumber(base: number): number | undefined {
  const a = views(base + SLOT_BYTES);
  return (a.i32[base >> 2] & TYPE) === T_NUMBER ? a.f64[(base + 8) >> 3] : undefined;
}
