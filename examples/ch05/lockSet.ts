/**
 * Original: Chapter 05/lockSet.py
 * Shows: a thread-safe set by subclassing: add(), remove() and `in` each hold the set's Lock.
 *
 * Fixes the book's two bugs: Lock was never imported, and `__contains__` dropped its result
 * (so `x in s` was always False). The set is threadkit's SharedSet, Python's set shared
 * between threads (lib/set-workout.ts moves the subclass across). Four threads then add,
 * check and remove numbers at the same moment (a Barrier starts them together): the
 * LockedSet always ends with exactly the odd numbers. So does the plain SharedSet here: each
 * of its methods is atomic, as a CPython set's are under the GIL; the Lock is what makes
 * a *sequence* of steps safe, and it is what a subclass that adds its own steps relies on.
 */
import { isMainThread } from 'node:worker_threads';
import {
  Barrier,
  currentThread,
  Lock,
  print,
  SharedSet,
  Thread,
  threadable,
} from '@threadkit/core';
import { attach, exercise, isOddsBelow, share, sorted } from '../lib/set-workout.js';

/** A set where add(), remove() and has() (Python's `in`) are thread-safe. */
export class LockedSet extends SharedSet<number> {
  _lock = new Lock();

  override add(elem: number): this {
    using _ = this._lock.hold();
    return super.add(elem);
  }

  override remove(elem: number): void {
    using _ = this._lock.hold();
    super.remove(elem);
  }

  override has(elem: number): boolean {
    using _ = this._lock.hold();
    return super.has(elem);
  }
}

const THREADS = 4;
const PER_THREAD = 500;

export const worker = threadable(
  import.meta.url,
  function worker(
    locked: boolean,
    fields: Record<string, unknown>,
    start: Barrier,
    t: number,
  ): void {
    const set = locked ? attach(LockedSet, fields) : attach(SharedSet<number>, fields);
    start.wait();
    try {
      const missing = exercise(set, t, PER_THREAD);
      if (missing > 0)
        print(`${currentThread().name}: ${missing} of my numbers were missing right after add()`);
    } catch (err) {
      print(
        `${currentThread().name}: ${(err as Error).name}: ${(err as Error).message} (a lost element)`,
      );
    }
  },
);

function run(set: SharedSet<number>): void {
  const locked = set instanceof LockedSet;
  const start = new Barrier(THREADS);
  const threads = Array.from(
    { length: THREADS },
    (_, t) => new Thread({ target: worker, args: [locked, share(set), start, t] }),
  );
  for (const thread of threads) thread.start();
  for (const thread of threads) thread.join();
  const values = sorted(set);
  const ok = isOddsBelow(values, THREADS * PER_THREAD);
  print(
    `${set.constructor.name}: ${values.length} elements; exactly the odd numbers below ${THREADS * PER_THREAD}: ${ok}`,
  );
}

if (isMainThread) {
  const set = new LockedSet();
  set.add(1);
  print(`1 in set: ${set.has(1)}, 2 in set: ${set.has(2)}`);
  set.remove(1);
  print(`${THREADS} threads each add ${PER_THREAD} numbers, check them, remove the even ones`);
  run(new LockedSet());
  run(new SharedSet<number>());
}
