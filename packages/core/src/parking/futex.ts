/**
 * The futex layer: blocking and async waits on one arena word, with deadlines, plus the
 * event-loop keep-alive that async waits need (a pending `Atomics.waitAsync` does not keep
 * Node's event loop alive, so a program awaiting a lock would otherwise just exit).
 */
import { wordsFor } from '../memory/views.js';
import { type Deadline, remainingMs } from '../timeout.js';

export type WaitResult = 'ok' | 'not-equal' | 'timed-out';

/** Block until word `index` is woken or differs from `expected`, or until `deadline`. */
export function futexWait(index: number, expected: number, deadline: Deadline): WaitResult {
  const ms = remainingMs(deadline);
  if (ms <= 0) return Atomics.load(wordsFor(index), index) === expected ? 'timed-out' : 'not-equal';
  return Atomics.wait(
    wordsFor(index),
    index,
    expected,
    ms === Number.POSITIVE_INFINITY ? undefined : ms,
  );
}

/** Wake up to `count` waiters (blocking or async) on word `index`. */
export function futexWake(index: number, count = Number.POSITIVE_INFINITY): number {
  return Atomics.notify(wordsFor(index), index, count);
}

let keepAliveCount = 0;
let keepAliveTimer: NodeJS.Timeout | null = null;

/** Hold the event loop open while an async wait is pending (Python's program would wait too). */
function keepAlive(): () => void {
  if (keepAliveCount++ === 0) keepAliveTimer = setInterval(() => {}, 1 << 30);
  let released = false;
  return () => {
    if (released) return;
    released = true;
    if (--keepAliveCount === 0 && keepAliveTimer) {
      clearInterval(keepAliveTimer);
      keepAliveTimer = null;
    }
  };
}

/** Error thrown by async twins when their `AbortSignal` fires. */
export function abortError(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('This operation was aborted', 'AbortError');
}

/**
 * Async twin of {@link futexWait}. On abort, rejects with the signal's reason and wakes the
 * word so the orphaned `waitAsync` does not linger (callers re-check their state in a loop,
 * so the extra wake-up is harmless to them).
 */
export function futexWaitAsync(
  index: number,
  expected: number,
  deadline: Deadline,
  signal?: AbortSignal,
): Promise<WaitResult> {
  const i32 = wordsFor(index);
  const ms = remainingMs(deadline);
  if (signal?.aborted) return Promise.reject(abortError(signal));
  if (ms <= 0)
    return Promise.resolve(Atomics.load(i32, index) === expected ? 'timed-out' : 'not-equal');
  const res = Atomics.waitAsync(
    i32,
    index,
    expected,
    ms === Number.POSITIVE_INFINITY ? undefined : ms,
  );
  if (!res.async) return Promise.resolve(res.value);
  const release = keepAlive();
  if (!signal) {
    return res.value.then((v) => {
      release();
      return v;
    });
  }
  return new Promise<WaitResult>((resolve, reject) => {
    const onAbort = () => {
      release();
      reject(abortError(signal));
      Atomics.notify(i32, index); // release the orphaned waitAsync
    };
    signal.addEventListener('abort', onAbort, { once: true });
    res.value.then((v) => {
      signal.removeEventListener('abort', onAbort);
      release();
      resolve(v);
    });
  });
}
