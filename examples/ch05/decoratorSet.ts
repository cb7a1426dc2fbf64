/**
 * Original: Chapter 05/decoratorSet.py
 * Shows: a thread-safe set made with a method decorator, @lockedMethod (holds `this._lock`).
 *
 * A TypeScript (TC39) method decorator in place of Python's. Fixes the book's bugs: Lock was
 * never imported and add()/remove() used an undefined `elem`. The port decorates has() as
 * well: remove() moves elements around, so an unlocked lookup could miss one. The set is
 * threadkit's SharedSet (Python's set, shared between threads; lib/set-workout.ts moves the
 * subclass across); four threads use it at once and it ends with exactly the odd numbers.
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

/** Method decorator. Requires a lock object at `this._lock`. */
function lockedMethod<This extends { _lock: Lock }, A extends unknown[], R>(
  method: (this: This, ...args: A) => R,
  _context: ClassMethodDecoratorContext<This, (this: This, ...args: A) => R>,
) {
  return function newmethod(this: This, ...args: A): R {
    using _ = this._lock.hold();
    return method.call(this, ...args);
  };
}

export class DecoratorLockedSet extends SharedSet<number> {
  _lock = new Lock();

  @lockedMethod
  override add(elem: number): this {
    return super.add(elem);
  }

  @lockedMethod
  override remove(elem: number): void {
    super.remove(elem);
  }

  @lockedMethod
  override has(elem: number): boolean {
    return super.has(elem);
  }
}

const THREADS = 4;
const PER_THREAD = 500;

export const worker = threadable(
  import.meta.url,
  function worker(fields: Record<string, unknown>, start: Barrier, t: number): void {
    const set = attach(DecoratorLockedSet, fields);
    start.wait();
    const missing = exercise(set, t, PER_THREAD);
    print(
      `${currentThread().name}: added ${PER_THREAD}, removed ${PER_THREAD / 2}, ${missing} missing`,
    );
  },
);

if (isMainThread) {
  const set = new DecoratorLockedSet();
  const start = new Barrier(THREADS);
  const threads = Array.from(
    { length: THREADS },
    (_, t) => new Thread({ name: `Worker-${t}`, target: worker, args: [share(set), start, t] }),
  );
  for (const thread of threads) thread.start();
  for (const thread of threads) thread.join();
  const values = sorted(set);
  print(
    `DecoratorLockedSet: ${values.length} elements; exactly the odd numbers below ${THREADS * PER_THREAD}: ${isOddsBelow(values, THREADS * PER_THREAD)}`,
  );
}
