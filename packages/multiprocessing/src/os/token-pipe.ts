/**
 * A counting semaphore that works across processes: the count is the number of bytes waiting
 * in a pipe. `take` reads one byte (the kernel parks the caller until there is one and hands
 * each byte to exactly one reader), `give(n)` writes n. With one byte it is a mutex; with
 * zero it is a wake-up channel for condition-variable style waits.
 */

import { OSError } from '../errors.js';
import { AsyncReader } from './async-reader.js';
import { openNonBlocking, readFully, readNow, writeFully } from './fd.js';
import type { FifoFds } from './fifo.js';
import { ReadinessProbe } from './readiness.js';
import { sleepMs } from './sleep.js';

const ONE = new Uint8Array(1);

/** Descriptors of a token pipe as they cross to a thread or a child process. */
export interface TokenFds {
  r: number;
  w: number;
}

/** A semaphore whose count is the number of bytes in a pipe. */
export class TokenPipe {
  readonly r: number;
  readonly w: number;
  #nb: number;
  #reader: AsyncReader | null = null;
  #probe: ReadinessProbe | null = null;
  readonly #byte = new Uint8Array(1);

  constructor(fds: TokenFds | FifoFds) {
    this.r = fds.r;
    this.w = fds.w;
    this.#nb = 'nb' in fds ? fds.nb : -1;
  }

  #nonBlocking(): number {
    if (this.#nb < 0) this.#nb = openNonBlocking(this.r);
    return this.#nb;
  }

  /** Take a token without waiting; false if there is none. */
  tryTake(): boolean {
    const n = readNow(this.#nonBlocking(), this.#byte, 0, 1);
    if (n === 0) throw new OSError('token pipe closed');
    return n === 1;
  }

  /**
   * Take a token, waiting until `deadline` (performance.now() ms; Infinity = forever).
   * Both sleep in the kernel: an untimed wait in the read itself, a timed one (a read cannot
   * be given a timeout) in the kernel's readiness wait, then tries to take what it saw
   * (another waiter may have taken it first: then it waits again).
   */
  take(deadline: number): boolean {
    if (deadline === Number.POSITIVE_INFINITY) {
      if (readFully(this.r, this.#byte, 0, 1) !== 1) throw new OSError('token pipe closed');
      return true;
    }
    for (;;) {
      if (this.tryTake()) return true;
      const left = deadline - performance.now();
      if (left <= 0) return false;
      this.#probe ??= new ReadinessProbe(this.#nonBlocking());
      this.#probe.wait(left);
    }
  }

  /** Async twin of {@link take}: never blocks the event loop. */
  async takeAsync(deadline: number, signal?: AbortSignal): Promise<boolean> {
    if (this.tryTake()) return true;
    if (performance.now() >= deadline) return false;
    this.#reader ??= new AsyncReader(this.r);
    const res = await this.#reader.read(1, deadline, signal);
    if (res.status === 'ok') return true;
    if (res.status === 'eof') throw new OSError('token pipe closed');
    if (res.status === 'aborted')
      throw signal?.reason ?? new DOMException('This operation was aborted', 'AbortError');
    return false;
  }

  /** Add `n` tokens (wakes up to `n` waiters). */
  give(n = 1): void {
    if (n <= 0) return;
    writeFully(this.w, n === 1 ? ONE : new Uint8Array(n));
  }

  /** Release this thread's private descriptors (not the shared ones). */
  dispose(): void {
    this.#reader?.close();
    this.#reader = null;
    this.#probe = null;
  }

  /** This thread's non-blocking description, if it opened one (closed by the owner). */
  get privateFd(): number {
    return this.#nb;
  }
}

/** Sleep helper re-exported for waits that poll something other than a pipe. */
export { sleepMs };
