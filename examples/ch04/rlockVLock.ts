/**
 * Original: Chapter 04/rlockVLock.py
 * Shows: Lock vs RLock: a Lock cannot be taken again by the thread that holds it; an RLock can.
 *
 * The book's file does not run (a missing `:`, and `_is_owned()` does not exist on a Lock).
 * The port runs the same nested methods twice. With a Lock, the nested acquire in modifyA()
 * would wait forever for a lock its own thread holds; the port acquires with a timeout so it
 * can say so and go on. With an RLock the nested acquires succeed.
 */
import { Lock, print, RLock } from '@threadkit/core';
import { nap, scaled } from '../lib/cli.js';

class MyWorker {
  a = 1;
  b = 2;
  constructor(readonly lock: Lock | RLock) {}

  modify(which: 'A' | 'B'): void {
    if (!this.lock.acquire(true, scaled(1))) {
      print(`Modifying ${which} : could not acquire the lock: this thread already holds it`);
      print(
        `  (without a timeout this acquire would block forever: ${this.lock.constructor.name} is not re-entrant)`,
      );
      return;
    }
    try {
      print(`Modifying ${which} : Lock Acquired: ${this.lock.locked()}`);
      print(String(this.lock));
      if (which === 'A') this.a = this.a + 1;
      else this.b = this.b - 1;
      nap(1);
    } finally {
      this.lock.release();
    }
  }

  modifyBoth(): void {
    {
      using _ = this.lock.hold();
      print('lock acquired, modifying A and B');
      print(String(this.lock));
      this.modify('A');
      print(String(this.lock));
      this.modify('B');
    }
    print(String(this.lock));
  }
}

for (const lock of [new Lock(), new RLock()]) {
  print(`--- with a ${lock.constructor.name} ---`);
  const workerA = new MyWorker(lock);
  workerA.modifyBoth();
  print(`a = ${workerA.a}, b = ${workerA.b}`);
}
