/**
 * A FIFO queue of parked waiters in the arena, the heart of Condition: each waiter parks on a
 * word of its own (a node from `alloc`), so `notify(n)` wakes exactly the n oldest waiters and
 * nobody else — no thundering herd, no spurious wake-ups.
 *
 * Queue: 3 permanent words `[mutex, head, tail]`. Node: 3 words `[state, next, prev]`.
 * Links are word indices (0 = none; the arena header guarantees no node sits at 0).
 * The mutex guards the links and the WAITING → NOTIFIED transition, so a waiter that timed
 * out and a notifier never both claim the same node.
 *
 * Wake-ups can be deferred ({@link notifyDeferred}), as parking_lot requeues a notified waiter
 * onto the mutex instead of waking it: a waiter woken while its notifier still holds the lock
 * would only spin and park again on the lock, a second sleep and wake-up per hand-off. The
 * notifier marks the nodes (UNWOKEN) and wakes them once it has released the lock
 * ({@link flushWakes}); a node whose waiter left meanwhile (timeout) is freed by the flush.
 */
import { alloc, free } from '../memory/arena.js';
import { allWords, wordsFor } from '../memory/views.js';
import { stateSlot } from '../thread-state.js';
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
/** Notified, its wake-up deferred to {@link flushWakes}. */
const UNWOKEN = 2;
/** Left by its waiter while UNWOKEN: the flush frees it. */
const ABANDONED = 3;
/** Being woken by a flush outside the queue's mutex: NOTIFIED once the wake-up is sent. */
const WAKING = 4;
/** Left by its waiter while WAKING: the flush frees it once its wake-up is sent. */
const LEFT_WAKING = 5;

/** This thread's deferred wake-ups: queue and node word indices, in pairs. */
const deferred = stateSlot('deferredWakes', () => ({ list: [] as number[] }));

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
  const state = i32[node + STATE];
  // Still in its notifier's deferred list, or being woken by it: that flush frees it.
  let flushFrees = false;
  if (state === WAITING) unlink(i32, q, node);
  else if (state === UNWOKEN) {
    i32[node + STATE] = ABANDONED;
    flushFrees = true;
  } else if (state === WAKING) {
    flushFrees = Atomics.compareExchange(i32, node + STATE, WAKING, LEFT_WAKING) === WAKING;
  }
  unlockWord(q + MUTEX);
  if (!flushFrees) free(node << 2);
  return state !== WAITING;
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

/**
 * As {@link wake}, but the woken nodes' wake-ups wait in this thread's deferred list until
 * {@link flushWakes}: for a notifier that holds the waiters' lock and will release it soon.
 * The caller must make sure a flush follows (every release of that lock flushes).
 */
export function notifyDeferred(q: number, n: number): number {
  let woken = 0;
  const list = deferred.list;
  lockWord(q + MUTEX, FOREVER);
  const i32 = allWords();
  while (woken < n) {
    const node = i32[q + HEAD];
    if (!node) break;
    unlink(i32, q, node);
    Atomics.store(i32, node + STATE, UNWOKEN);
    list.push(q, node);
    woken++;
  }
  unlockWord(q + MUTEX);
  return woken;
}

/** Whether this thread has deferred wake-ups to flush (one load: on lock release paths). */
export function hasDeferredWakes(): boolean {
  return deferred.list.length !== 0;
}

/** Wake every node of this thread's deferred list (free those their waiters left). */
export function flushWakes(): void {
  const list = deferred.list;
  if (list.length === 0) return;
  deferred.list = [];
  for (let k = 0; k < list.length; k += 2) {
    const q = list[k];
    const node = list[k + 1];
    lockWord(q + MUTEX, FOREVER);
    let i32 = allWords();
    const state = i32[node + STATE];
    if (state === UNWOKEN) Atomics.store(i32, node + STATE, WAKING);
    unlockWord(q + MUTEX);
    if (state === ABANDONED) free(node << 2);
    else if (state === UNWOKEN) {
      // Outside the mutex, so the woken thread's leave() does not find it held; a leave()
      // that comes first hands the node's freeing to us.
      futexWake(node + STATE, 1);
      i32 = allWords();
      // Its waiter may have left meanwhile (LEFT_WAKING): then the node is ours to free.
      if (Atomics.compareExchange(i32, node + STATE, WAKING, NOTIFIED) !== WAKING) free(node << 2);
    }
  }
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
