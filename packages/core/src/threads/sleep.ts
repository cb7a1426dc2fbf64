/** `time.sleep` for any thread: blocks the calling thread (not just the event loop). */
import { parkedIn, SLEEP } from '../diagnostics/blocked.js';
import { ValueError } from '../errors.js';

const cell = new Int32Array(new SharedArrayBuffer(4));

function checkSeconds(seconds: number): number {
  if (typeof seconds !== 'number' || Number.isNaN(seconds)) {
    throw new TypeError(`sleep() expects a number of seconds, not ${typeof seconds}`);
  }
  if (seconds < 0) throw new ValueError('sleep length must be non-negative');
  return seconds * 1000;
}

/** Block the calling thread for `seconds` (Python's `time.sleep`). */
export function sleep(seconds: number): void {
  const ms = checkSeconds(seconds);
  if (ms > 0) parkedIn(SLEEP, 0, true, () => Atomics.wait(cell, 0, 0, ms));
}

/** Wait `seconds` without blocking the event loop. */
export function sleepAsync(seconds: number, options?: { signal?: AbortSignal }): Promise<void> {
  const ms = checkSeconds(seconds);
  const signal = options?.signal;
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
