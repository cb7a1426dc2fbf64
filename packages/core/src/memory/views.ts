/**
 * Fixed-length views of the arena, for hot paths.
 *
 * The arena's own views are length-tracking (they follow `grow()`), and on Node 20 every
 * access through a length-tracking view of a growable SharedArrayBuffer costs 3–5× a plain
 * one (≈ 20 ns more per access, measured; reading `sab.byteLength` costs ≈ 10 ns). Queues
 * make dozens of accesses per item, so they use these fixed views instead and re-create
 * them only when they need a byte beyond their end: memory that another thread allocated
 * after the views were made (the arena only grows, so fresh views then cover it).
 */
import { arena } from './arena.js';

/** Fixed-length views over the whole arena as it was when they were made. */
export interface Views {
  readonly len: number;
  readonly i32: Int32Array;
  readonly u8: Uint8Array;
  readonly u16: Uint16Array;
  readonly f64: Float64Array;
  readonly big64: BigInt64Array;
  readonly buf: Buffer;
}

function make(): Views {
  const sab = arena().sab;
  const len = sab.byteLength & ~7;
  return {
    len,
    i32: new Int32Array(sab, 0, len >> 2),
    u8: new Uint8Array(sab, 0, len),
    u16: new Uint16Array(sab, 0, len >> 1),
    f64: new Float64Array(sab, 0, len >> 3),
    big64: new BigInt64Array(sab, 0, len >> 3),
    buf: Buffer.from(sab, 0, len),
  };
}

let current: Views | null = null;

/** Views that cover at least bytes `[0, end)` (`end` must be allocated memory). */
export function views(end: number): Views {
  const v = current;
  if (v !== null && end <= v.len) return v;
  current = make();
  if (end > current.len) throw new RangeError(`threadkit: offset ${end} is outside the arena`);
  return current;
}

/**
 * The fixed Int32Array view covering word `w` (lock words, futexes): the same views as
 * {@link views}, so one set of fixed views serves every hot path.
 */
export function wordsFor(w: number): Int32Array {
  const v = current;
  if (v !== null && w < v.i32.length) return v.i32;
  return views((w + 1) * 4).i32;
}

/**
 * The fixed Int32Array view covering the whole arena as it is now: for walking links to
 * blocks that other threads allocated (a waiter list), where no single index is known first.
 */
export function allWords(): Int32Array {
  return views(arena().sab.byteLength & ~7).i32;
}
