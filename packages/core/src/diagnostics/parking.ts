/**
 * The slow path of Lock and RLock acquires: the fast compare-exchange failed, so the thread
 * records what it is about to wait for (blocked.ts) around the word lock's spin-then-park.
 */
import { lockWord } from '../parking/word-lock.js';
import type { Deadline } from '../timeout.js';
import { enterBlocked, LOCK_ACQUIRE, leaveBlocked } from './blocked.js';
import { noteHolder } from './holders.js';

/** lockWord(w, deadline), shown in dumps as blocked in `kind` on the object at word `w`. */
export function lockSlowly(kind: number, w: number, deadline: Deadline | null): boolean {
  if (deadline === null) {
    const got = lockWord(w, null);
    if (got && kind === LOCK_ACQUIRE) noteHolder(w);
    return got;
  }
  enterBlocked(kind, w, deadline !== Number.POSITIVE_INFINITY);
  let got: boolean;
  try {
    got = lockWord(w, deadline);
  } finally {
    leaveBlocked();
  }
  if (got && kind === LOCK_ACQUIRE) noteHolder(w);
  return got;
}
