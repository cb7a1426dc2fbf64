/**
 * Strings in the arena (UTF-16, length-prefixed), so every thread of a process can read them:
 * thread and process names, pool task specs. A slot (a word holding a string's pointer) is
 * replaced under a word lock so that a reader never sees a freed string.
 */

import { alloc, arena, free } from '../memory/arena.js';
import { lockWord, unlockWord } from '../parking/word-lock.js';

/** Store `s` in a fresh arena block; returns its byte offset. */
export function storeString(s: string): number {
  const a = arena();
  const ptr = alloc(4 + s.length * 2);
  a.i32[ptr >> 2] = s.length;
  const base = (ptr + 4) >> 1;
  for (let i = 0; i < s.length; i++) a.u16[base + i] = s.charCodeAt(i);
  return ptr;
}

/** Read the string stored at `ptr` (0 = empty string). */
export function loadString(ptr: number): string {
  if (!ptr) return '';
  const a = arena();
  const len = a.i32[ptr >> 2];
  const base = (ptr + 4) >> 1;
  let s = '';
  for (let i = 0; i < len; i += 4096) {
    s += String.fromCharCode.apply(
      null,
      Array.from(a.u16.subarray(base + i, base + Math.min(len, i + 4096))),
    );
  }
  return s;
}

/** Replace the string pointer at word `slot`, guarded by the futex lock at word `lock`. */
export function writeStringSlot(lock: number, slot: number, s: string): void {
  const ptr = storeString(s);
  const i32 = arena().i32;
  lockWord(lock, Number.POSITIVE_INFINITY);
  const old = i32[slot];
  i32[slot] = ptr;
  unlockWord(lock);
  if (old) free(old);
}

/** Read the string whose pointer is at word `slot`, guarded by the lock at word `lock`. */
export function readStringSlot(lock: number, slot: number): string {
  lockWord(lock, Number.POSITIVE_INFINITY);
  try {
    return loadString(arena().i32[slot]);
  } finally {
    unlockWord(lock);
  }
}
