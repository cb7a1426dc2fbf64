/**
 * Python's `with lock:` for every lockable (Lock, RLock, Condition, Semaphore): `using _ =
 * lock.hold()`, `await using _ = await lock.holdAsync()`, and `lock.withLock(fn)`, written
 * once in a base class over the subclass's acquire/release.
 */

/** What `hold()` returns: releases on dispose (once). */
export interface Held extends Disposable, AsyncDisposable {
  /** Release now (same as disposing). */
  release(): void;
}

/** One small object per hold (methods on the prototype: `with lock:` is a hot path). */
class Hold implements Held {
  #lock: Lockable | null;

  constructor(lock: Lockable) {
    this.#lock = lock;
  }

  release(): void {
    const lock = this.#lock;
    if (lock === null) return;
    this.#lock = null;
    lock.release();
  }

  [Symbol.dispose](): void {
    this.release();
  }

  [Symbol.asyncDispose](): Promise<void> {
    this.release();
    return Promise.resolve();
  }
}

/** The base of every lockable: the context-manager forms over `acquire`/`release`. */
export abstract class Lockable {
  /** Acquire, blocking the calling thread. */
  abstract acquire(blocking?: boolean, timeout?: number | null): boolean;
  /** Acquire without blocking the event loop. */
  abstract acquireAsync(options?: { signal?: AbortSignal }): Promise<boolean>;
  /** Release once. */
  abstract release(): void;

  /** `with lock:` — `using _ = lock.hold()`: acquire now, release when disposed. */
  hold(): Held {
    this.acquire();
    return new Hold(this);
  }

  /** `async with`-style: `await using _ = await lock.holdAsync()`. */
  async holdAsync(options?: { signal?: AbortSignal }): Promise<Held> {
    await this.acquireAsync({ signal: options?.signal });
    return new Hold(this);
  }

  /** Run `fn` holding the lock; returns its result and releases even if it throws or rejects. */
  withLock<R>(fn: () => R): R {
    this.acquire();
    let result: R;
    try {
      result = fn();
    } catch (err) {
      this.release();
      throw err;
    }
    if (result instanceof Promise) {
      return result.finally(() => this.release()) as R;
    }
    this.release();
    return result;
  }
}
