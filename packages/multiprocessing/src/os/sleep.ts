/** A blocking sleep for any thread (the main thread included): `Atomics.wait` on a private word. */
const word = new Int32Array(new SharedArrayBuffer(4));

/** Block the calling thread for `ms` milliseconds (fractions allowed). */
export function sleepMs(ms: number): void {
  if (ms > 0) Atomics.wait(word, 0, 0, ms);
}

/**
 * Poll intervals for waits the kernel cannot time out for us (a timed read of a pipe, a child
 * that became a zombie while our event loop was blocked): short at first, so a quick answer
 * is seen quickly, then longer, so a long wait costs almost no CPU.
 */
export class Backoff {
  #ms: number;
  readonly #max: number;

  constructor(firstMs = 0.05, maxMs = 10) {
    this.#ms = firstMs;
    this.#max = maxMs;
  }

  /** The next interval, capped by the time left until `deadline` (performance.now() ms). */
  next(deadline: number): number {
    const ms = Math.min(this.#ms, Math.max(0, deadline - performance.now()));
    this.#ms = Math.min(this.#ms * 2, this.#max);
    return ms;
  }
}
