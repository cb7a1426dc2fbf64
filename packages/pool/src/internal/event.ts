/**
 * A one-thread, promise-based event (the `_Waiter.event` of CPython's `wait()` and
 * `as_completed()`): `set()` wakes every pending `wait()`.
 */
import { callAt } from './timer.js';

export class AsyncEvent {
  #set = false;
  #wakers: Array<() => void> = [];

  isSet(): boolean {
    return this.#set;
  }

  set(): void {
    this.#set = true;
    const wakers = this.#wakers;
    this.#wakers = [];
    for (const wake of wakers) wake();
  }

  clear(): void {
    this.#set = false;
  }

  /** Resolves with the flag once set, or at `deadline` (`performance.now()` ms; null: never). */
  wait(deadline: number | null): Promise<boolean> {
    if (this.#set) return Promise.resolve(true);
    if (deadline !== null && deadline <= performance.now()) return Promise.resolve(false);
    return new Promise<boolean>((resolve) => {
      let cancelTimer = () => {};
      const wake = () => {
        cancelTimer();
        resolve(this.#set);
      };
      this.#wakers.push(wake);
      if (deadline !== null) {
        cancelTimer = callAt(deadline, () => {
          const i = this.#wakers.indexOf(wake);
          if (i >= 0) this.#wakers.splice(i, 1);
          resolve(this.#set);
        });
      }
    });
  }
}
