/**
 * Python's `with lock:` for every lockable: `using _ = lock.hold()`, `await using _ = await
 * lock.holdAsync()`, and `lock.withLock(fn)`. Implemented once over acquire/release.
 */
export interface Lockable {
  acquire(blocking?: boolean, timeout?: number | null): boolean;
  acquireAsync(options?: { signal?: AbortSignal }): Promise<boolean>;
  release(): void;
}

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

function held(lock: Lockable): Held {
  return new Hold(lock);
}

/** Acquire (blocking) and return a disposable that releases. */
export function holdSync(lock: Lockable): Held {
  lock.acquire();
  return held(lock);
}

/** Acquire without blocking the event loop and return a disposable that releases. */
export async function holdAsync(lock: Lockable, signal?: AbortSignal): Promise<Held> {
  await lock.acquireAsync({ signal });
  return held(lock);
}

/** Run `fn` while holding the lock; releases even when `fn` throws or rejects. */
export function withLock<R>(lock: Lockable, fn: () => R): R {
  lock.acquire();
  let result: R;
  try {
    result = fn();
  } catch (err) {
    lock.release();
    throw err;
  }
  if (result instanceof Promise) {
    return result.finally(() => lock.release()) as R;
  }
  lock.release();
  return result;
}
