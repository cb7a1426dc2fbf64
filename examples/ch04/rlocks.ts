/**
 * Original: Chapter 04/rlocks.py
 * Shows: an RLock taken again by the thread that holds it: the count goes 1 → 2 → 1 → 0.
 *
 * `with self.rlock:` is `using _ = this.rlock.hold()`: released at the end of the block.
 * `_isOwned()` is the port of CPython's private `_is_owned()`; private here too, it is left out
 * of the published types, so `isOwned` below reaches it with a cast. The owner printed is the
 * holder's thread ident (threadkit's; CPython prints the pthread id).
 */
import { print, RLock } from '@threadkit/core';
import { nap } from '../lib/cli.js';

/** `rlock._is_owned()` in Python. */
const isOwned = (rlock: RLock): boolean => (rlock as unknown as { _isOwned(): boolean })._isOwned();

class MyWorker {
  a = 1;
  b = 2;
  rlock = new RLock();

  modifyA(): void {
    using _ = this.rlock.hold();
    print(`Modifying A : RLock Acquired: ${isOwned(this.rlock)}`);
    print(String(this.rlock));
    this.a = this.a + 1;
    nap(5);
  }

  modifyB(): void {
    using _ = this.rlock.hold();
    print(`Modifying B : RLock Acquired: ${isOwned(this.rlock)}`);
    print(String(this.rlock));
    this.b = this.b - 1;
    nap(5);
  }

  modifyBoth(): void {
    {
      using _ = this.rlock.hold();
      print('Rlock acquired, modifying A and B');
      print(String(this.rlock));
      this.modifyA();
      print(String(this.rlock));
      this.modifyB();
    }
    print(String(this.rlock));
  }
}

const workerA = new MyWorker();
workerA.modifyBoth();
print(`a = ${workerA.a}, b = ${workerA.b}`);
