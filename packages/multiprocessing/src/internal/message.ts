/**
 * Bytes of a message (a `send`, a queue item, a manager call). Structured clone
 * (`v8.serialize`) carries every cloneable value but costs a few microseconds even for a tiny
 * object; JSON is several times cheaper and exact for small plain data. So a small value made
 * only of plain objects, dense arrays, strings, finite numbers, booleans and null — without
 * shared references — travels as JSON; anything else as v8 serialization. The reader tells
 * them apart by the first byte: v8's output always starts with its version tag 0xFF, which
 * UTF-8 JSON never does.
 */
import { deserialize, serialize } from 'node:v8';

const V8_TAG = 0xff;
/** Bytes of a frame's length prefix. */
export const HEADER = 4;
/** Past this many nodes a value is "large": v8's binary format is then the better choice. */
const BUDGET = 256;

// The walk's state lives at module level so that a check allocates nothing; a getter that
// sends a message while we walk (re-entry) gets a fresh Set.
let seen = new Set<object>();
let walking = false;
let budget = 0;

function walk(v: unknown): boolean {
  if (--budget < 0) return false;
  switch (typeof v) {
    case 'string':
    case 'boolean':
      return true;
    case 'number':
      return Number.isFinite(v) && !Object.is(v, -0);
    case 'object': {
      if (v === null) return true;
      if (seen.has(v)) return false; // structured clone keeps aliasing; JSON would not
      seen.add(v);
      if (Array.isArray(v)) {
        if (Object.keys(v).length !== v.length) return false; // holes or extra properties
        for (let i = 0; i < v.length; i++) if (!walk(v[i])) return false;
        return true;
      }
      const proto = Object.getPrototypeOf(v);
      if (proto !== Object.prototype && proto !== null) return false;
      for (const k in v) {
        const e = (v as Record<string, unknown>)[k];
        if (e === undefined || !walk(e)) return false;
      }
      return Object.getOwnPropertySymbols(v).length === 0;
    }
    default:
      return false;
  }
}

/** A JSON-exact primitive: string, boolean, null, or a finite number other than -0. */
function isPlainLeaf(v: unknown): boolean {
  const t = typeof v;
  return (
    t === 'string' ||
    t === 'boolean' ||
    v === null ||
    (t === 'number' && Number.isFinite(v) && !Object.is(v, -0))
  );
}

/**
 * The common message — a plain object or array whose members are all primitives — decided
 * without recursion or a Set of seen objects (nothing in it can alias). `undefined`: the value
 * nests objects, so the full walk decides.
 */
function isFlatPlain(v: object): boolean | undefined {
  if (Array.isArray(v)) {
    if (v.length > BUDGET) return false;
    for (let i = 0; i < v.length; i++) {
      const e = v[i];
      if (!isPlainLeaf(e)) return typeof e === 'object' && e !== null ? undefined : false;
    }
    return Object.keys(v).length === v.length; // no holes or extra properties
  }
  const proto = Object.getPrototypeOf(v);
  if (proto !== Object.prototype && proto !== null) return false;
  let n = 0;
  for (const k in v) {
    const e = (v as Record<string, unknown>)[k];
    if (++n > BUDGET || e === undefined) return false;
    if (!isPlainLeaf(e)) return typeof e === 'object' && e !== null ? undefined : false;
  }
  return Object.getOwnPropertySymbols(v).length === 0;
}

/**
 * Whether `value` survives a JSON round trip exactly (and is small). Such a value also
 * passes checkCrossProcess, so a sender that finds it plain need not check it again.
 */
export function isPlainJson(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return walk(value);
  const flat = isFlatPlain(value);
  if (flat !== undefined) return flat;
  const outer = seen;
  const nested = walking;
  if (nested) seen = new Set();
  walking = true;
  budget = BUDGET;
  try {
    return walk(value);
  } finally {
    seen.clear();
    seen = outer;
    walking = nested;
  }
}

/** Encode a value already checked to be cloneable (see checkCrossProcess). */
export function encodeMessage(value: unknown): Buffer {
  return isPlainJson(value) ? Buffer.from(JSON.stringify(value), 'utf8') : serialize(value);
}

/**
 * Encode a value as a frame — a 4-byte big-endian length, then the message — into `scratch`
 * when it fits, or else into a new buffer; returns the buffer holding the frame (its length
 * is `HEADER + buf.readUInt32BE(0)`). `check` runs first on values that are not plain JSON
 * (it may reject them).
 */
export function encodeFrame(
  value: unknown,
  scratch: Buffer,
  check: (value: unknown) => void,
): Buffer {
  let body: Uint8Array;
  if (isPlainJson(value)) {
    const text = JSON.stringify(value);
    // UTF-8 takes at most 3 bytes per UTF-16 unit.
    if (text.length * 3 + HEADER <= scratch.length) {
      scratch.writeUInt32BE(scratch.write(text, HEADER, 'utf8'), 0);
      return scratch;
    }
    body = Buffer.from(text, 'utf8');
  } else {
    check(value);
    body = serialize(value);
  }
  return frameOf(body, scratch);
}

/** `body` as a frame (length, then body): in `scratch` when it fits, else in a new buffer. */
export function frameOf(body: Uint8Array, scratch: Buffer): Buffer {
  const frame =
    body.length + HEADER <= scratch.length ? scratch : Buffer.allocUnsafe(body.length + HEADER);
  frame.writeUInt32BE(body.length, 0);
  frame.set(body, HEADER);
  return frame;
}

/** Decode bytes made by {@link encodeMessage}. */
export function decodeMessage(bytes: Uint8Array): unknown {
  if (bytes.length > 0 && bytes[0] === V8_TAG) return deserialize(bytes);
  return JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8'));
}

/**
 * Decode the first `len` bytes of `buf`, a buffer that will be reused (so v8's format reads
 * from a copy); the JSON path makes no view of it.
 */
export function decodeReused(buf: Buffer, len: number): unknown {
  if (len > 0 && buf[0] === V8_TAG) return deserialize(Buffer.from(buf.subarray(0, len)));
  return JSON.parse(buf.toString('utf8', 0, len));
}
