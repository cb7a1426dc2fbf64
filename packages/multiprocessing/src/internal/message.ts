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
/** Past this many nodes a value is "large": v8's binary format is then the better choice. */
const BUDGET = 256;

/** Whether `value` survives a JSON round trip exactly (and is small). */
export function isPlainJson(value: unknown): boolean {
  let budget = BUDGET;
  const seen = new Set<object>();
  const walk = (v: unknown): boolean => {
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
          for (const e of v) if (!walk(e)) return false;
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
  };
  return walk(value);
}

/** Encode a value already checked to be cloneable (see checkCrossProcess). */
export function encodeMessage(value: unknown): Buffer {
  return isPlainJson(value) ? Buffer.from(JSON.stringify(value), 'utf8') : serialize(value);
}

/** Decode bytes made by {@link encodeMessage}. */
export function decodeMessage(bytes: Uint8Array): unknown {
  if (bytes.length > 0 && bytes[0] === V8_TAG) return deserialize(bytes);
  return JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8'));
}
