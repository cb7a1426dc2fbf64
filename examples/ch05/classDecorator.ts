/**
 * Original: Chapter 05/classDecorator.py
 * Shows: a thread-safe set made with a class decorator, @lockClass(['add', ...], lockFactory).
 *
 * The decorator wraps the named methods so each holds the instance's lock; locking a method
 * twice is a TypeError.
 *
 * A TypeScript (TC39) class decorator in place of Python's: it returns a subclass that gives
 * each instance its lock (the book's `newinit`) and whose named methods are wrapped by
 * lockMethod. The book wraps add and remove; the port wraps has() too (remove() moves
 * elements around, so an unlocked lookup could miss one). The set is threadkit's
 * SharedSet (Python's set, shared between threads; lib/set-workout.ts moves the subclass
 * across); four threads use it at once and it ends with exactly the odd numbers.
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

const IS_LOCKED = Symbol('isLocked');
type Method = ((this: any, ...args: any[]) => any) & { [IS_LOCKED]?: boolean };

/** Wrap `method` so it runs holding `this._lock`; usable as a method decorator too. */
function lockMethod<M extends Method>(method: M, _context?: ClassMethodDecoratorContext): M {
  if (method[IS_LOCKED]) throw new TypeError(`Method ${method.name} is already locked!`);
  const lockedMethod: Method = function (this: { _lock: Lock }, ...args: unknown[]) {
    using _ = this._lock.hold();
    return method.apply(this, args);
  };
  Object.defineProperty(lockedMethod, 'name', { value: `lock_method(${method.name})` });
  lockedMethod[IS_LOCKED] = true;
  return lockedMethod as M;
}

/** Class decorator: give each instance a lock from `lockfactory`, lock the named methods. */
function lockClass(methodnames: string[], lockfactory: () => Lock) {
  return <C extends new (...args: any[]) => object>(
    cls: C,
    _context?: ClassDecoratorContext<C>,
  ): C => {
    const threadsafe = class extends cls {
      _lock = lockfactory();
    };
    for (const methodname of methodnames) {
      const oldmethod = (cls.prototype as Record<string, Method>)[methodname];
      (threadsafe.prototype as unknown as Record<string, Method>)[methodname] =
        lockMethod(oldmethod);
    }
    Object.defineProperty(threadsafe, 'name', { value: cls.name });
    return threadsafe;
  };
}

@lockClass(['add', 'remove', 'has'], () => new Lock())
export class ClassDecoratorLockedSet extends SharedSet<number> {
  declare _lock: Lock;

  @lockMethod // if you double-lock a method, a TypeError is thrown
  lockedMethod(): void {
    print(`This section of our code is thread safe (lock held: ${this._lock.locked()})`);
  }
}

const THREADS = 4;
const PER_THREAD = 500;

export const worker = threadable(
  import.meta.url,
  function worker(fields: Record<string, unknown>, start: Barrier, t: number): void {
    const set = attach(ClassDecoratorLockedSet, fields);
    start.wait();
    const missing = exercise(set, t, PER_THREAD);
    if (t === 0) set.lockedMethod();
    print(
      `${currentThread().name}: added ${PER_THREAD}, removed ${PER_THREAD / 2}, ${missing} missing`,
    );
  },
);

if (isMainThread) {
  const set = new ClassDecoratorLockedSet();
  print(`add is now ${set.add.name}, has is now ${set.has.name}`);
  try {
    lockClass(['lockedMethod'], () => new Lock())(ClassDecoratorLockedSet);
  } catch (err) {
    print(`Locking lockedMethod a second time: ${(err as Error).name}: ${(err as Error).message}`);
  }

  const start = new Barrier(THREADS);
  const threads = Array.from(
    { length: THREADS },
    (_, t) => new Thread({ name: `Worker-${t}`, target: worker, args: [share(set), start, t] }),
  );
  for (const thread of threads) thread.start();
  for (const thread of threads) thread.join();
  const values = sorted(set);
  print(
    `ClassDecoratorLockedSet: ${values.length} elements; exactly the odd numbers below ${THREADS * PER_THREAD}: ${isOddsBelow(values, THREADS * PER_THREAD)}`,
  );
}
