/** Python-style reprs of container items, for `toString` and error messages. */
import { isShared } from '../shared/protocol.js';
import { describe } from '../timeout.js';
import { reprKey } from './keys.js';

/** A short Python-like repr of any value (keys as Python prints them, objects as JSON). */
export function repr(x: unknown): string {
  if (x === null || typeof x !== 'object') return x === undefined ? 'None' : reprKey(x);
  if (Array.isArray(x)) return `[${x.map(repr).join(', ')}]`;
  if (isShared(x)) return String(x);
  try {
    return JSON.stringify(x) ?? describe(x);
  } catch {
    return describe(x);
  }
}
