/**
 * A FIFO queue of parked waiters in the arena, the heart of Condition: each waiter parks on a
 * word of its own (a node from `alloc`), so `notify(n)` wakes exactly the n oldest waiters and
 * nobody else — no thundering herd, no spurious wake-ups.
 *
 * Queue: 3 permanent words `[mutex, head, tail]`. Node: 3 words `[state, next, prev]`.
 * Links are word indices (0 = none; the arena header guarantees no node sits at 0).
 * The mutex guards the links and the WAITING → NOTIFIED transition, so a waiter that timed
 * out and a notifier never both claim the same node.
 */
import { alloc, free } from '../memory/arena.js';
import { allWords, wordsFor } from '../memory/views.js';
import type { Deadline } from '../timeout.js';
import { futexWait, futexWaitAsync, futexWake } from './futex.js';
import { lockWord, unlockWord } from './word-lock.js';

/** Words a queue header needs (allocate `QUEUE_WORDS * 4` zeroed bytes). */
export const QUEUE_WORDS = 3;

const MUTEX = 0;
const HEAD = 1;
const TAIL = 2;

const STATE = 0;
const NEXT = 1;
const PREV = 2;

const WAITING = 0;
const NOTIFIED = 1;

const FOREVER = Number.POSITIVE_INFINITY;

/** Append a new waiting node for the calling thread; returns the node's word index. */
export function enqueue(q: number): number {
  const node = alloc(12) >> 2;
  lockWord(q + MUTEX, FOREVER);
  const i32 = allWords(); // after the mutex: covers our node and the tail, wherever they are
  i32[node + STATE] = WAITING;
  i32[node + NEXT] = 0;
  const tail = i32[q + TAIL];
  i32[node + PREV] = tail;
  if (tail) i32[tail + NEXT] = node;
  else i32[q + HEAD] = node;
  i32[q + TAIL] = node;
  unlockWord(q + MUTEX);
  return node;
}

function unlink(i32: Int32Array, q: number, node: number): void {
  const next = i32[node + NEXT];
  const prev = i32[node + PREV];
  if (prev) i32[prev + NEXT] = next;
  else i32[q + HEAD] = next;
  if (next) i32[next + PREV] = prev;
  else i32[q + TAIL] = prev;
}

/** Block until the node is notified or `deadline` passes; true if notified. */
export function park(node: number, deadline: Deadline): boolean {
  const i32 = wordsFor(node + PREV);
  for (;;) {
    if (Atomics.load(i32, node + STATE) !== WAITING) return true;
    // Loop on 'ok' too: a stray wake (a recycled node word) must not end the wait.
    if (futexWait(node + STATE, WAITING, deadline) === 'timed-out') {
      return Atomics.load(i32, node + STATE) !== WAITING;
    }
  }
}

/** Async twin of {@link park}; rejects with the signal's reason on abort. */
export async function parkAsync(
  node: number,
  deadline: Deadline,
  signal?: AbortSignal,
): Promise<boolean> {
  const i32 = wordsFor(node + PREV);
  for (;;) {
    if (Atomics.load(i32, node + STATE) !== WAITING) return true;
    if ((await futexWaitAsync(node + STATE, WAITING, deadline, signal)) === 'timed-out') {
      return Atomics.load(i32, node + STATE) !== WAITING;
    }
  }
}

/**
 * Done with a node, however the wait ended: leave the queue if still in it, free the node.
 * Returns true if the node was notified (possibly just after a timeout or an abort).
 */
export function leave(q: number, node: number): boolean {
  // Always under the mutex: a notifier wakes the node while holding it, so once we have it
  // nobody touches the node again and it can be freed (and reused for anything).
  lockWord(q + MUTEX, FOREVER);
  const i32 = allWords(); // after the mutex: covers the neighbours, wherever they were allocated
  const notified = i32[node + STATE] === NOTIFIED;
  if (!notified) unlink(i32, q, node);
  unlockWord(q + MUTEX);
  free(node << 2);
  return notified;
}

/** Wake the `n` oldest waiters (all with `Infinity`); returns how many were woken. */
export function wake(q: number, n: number): number {
  let woken = 0;
  lockWord(q + MUTEX, FOREVER);
  const i32 = allWords(); // after the mutex: covers every node linked so far
  while (woken < n) {
    const node = i32[q + HEAD];
    if (!node) break;
    unlink(i32, q, node);
    Atomics.store(i32, node + STATE, NOTIFIED);
    futexWake(node + STATE, 1);
    woken++;
  }
  unlockWord(q + MUTEX);
  return woken;
}

/** How many waiters are queued (for `toString`). */
export function count(q: number): number {
  let n = 0;
  lockWord(q + MUTEX, FOREVER);
  const i32 = allWords();
  for (let node = i32[q + HEAD]; node; node = i32[node + NEXT]) n++;
  unlockWord(q + MUTEX);
  return n;
}
