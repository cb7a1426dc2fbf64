/**
 * `threading.Barrier`: CPython's state machine (filling → draining → filling, with resetting
 * and broken), kept in two arena words and driven by a shared Condition over a Lock. The
 * action is a thread target (docs/CONTRACT.md §2): the creating thread calls the function itself,
 * other threads compile or look it up from the spec carried in the descriptor.
 */
import { BrokenBarrierError, ValueError } from '../errors.js';
import { arena } from '../memory/arena.js';
import { attach, takeAttached } from '../shared/attach.js';
import {
  adoptChild,
  childOf,
  createShared,
  defineLifetime,
  refFor,
  releaseRef,
} from '../shared/lifetime.js';
import {
  describeShared,
  registerSharedType,
  reviveShared,
  SHARED,
  type SharedDescriptor,
} from '../shared/protocol.js';
import {
  encodeFunction,
  explainInlineError,
  resolveTarget,
  resolveTargetSync,
  type TargetSpec,
} from '../targets/target.js';
import { describe, waitDeadline } from '../timeout.js';
import { Condition } from './condition.js';
import { Lock } from './lock.js';
import { type WaitOptions, waitArgs } from './wait-args.js';

/** A barrier owns a count on its Condition. */
const BARRIER = defineLifetime('Barrier', { free: (at) => releaseRef(childOf(at)) });
const STATE = 0;
const COUNT = 1;

const FILLING = 0;
const DRAINING = 1;
const RESETTING = -1;
const BROKEN = -2;

interface Extra {
  cond: SharedDescriptor;
  action: TargetSpec | null;
  timeout: number | null;
}

interface Attached {
  w: number;
  parties: number;
  cond: Condition;
  action: TargetSpec | null;
  timeout: number | null;
}

/**
 * A cyclic barrier (`threading.Barrier`) for a fixed number of threads: each `wait()` blocks
 * until `parties` threads are waiting, then all are released together, and the barrier can be
 * used again. Shared: pass it to threads; it arrives as the same barrier.
 */
export class Barrier {
  /** Word index of `[state, count]`. */
  readonly #w: number;
  readonly #parties: number;
  readonly #cond: Condition;
  readonly #timeout: number | null;
  readonly #actionSpec: TargetSpec | null;
  /** The callable action: the original in the creating thread, resolved lazily elsewhere. */
  #action: Function | null;
  /** Whether this instance was built by the constructor here (not revived from another thread). */
  readonly #createdHere: boolean;

  /**
   * `parties` threads meet at the barrier (`< 1` → `ValueError`). `action`, if given, is called
   * once per cycle by the last thread to arrive, before any is released; it is a thread target
   * (self-contained inline function, or a `threadable` module function). `timeout` (seconds)
   * is the default for `wait()`.
   */
  constructor(
    parties: number,
    action?: ((...args: never[]) => unknown) | null,
    timeout?: number | null,
  ) {
    const attached = takeAttached<Attached>();
    if (attached) {
      this.#w = attached.w;
      this.#parties = attached.parties;
      this.#cond = attached.cond;
      this.#actionSpec = attached.action;
      this.#timeout = attached.timeout;
      this.#action = null;
      this.#createdHere = false;
      return;
    }
    if (typeof parties !== 'number' || !Number.isInteger(parties)) {
      throw new TypeError(`parties must be an integer, not ${describe(parties)}`);
    }
    if (parties < 1) throw new ValueError('parties must be >= 1');
    if (timeout != null && (typeof timeout !== 'number' || Number.isNaN(timeout))) {
      throw new TypeError(`timeout must be a number or null, not ${describe(timeout)}`);
    }
    this.#parties = parties;
    this.#timeout = timeout ?? null;
    this.#actionSpec = action == null ? null : encodeFunction(action, 'action');
    this.#action = action ?? null;
    this.#createdHere = true;
    this.#cond = new Condition(new Lock());
    const at = createShared(this, BARRIER, 8);
    adoptChild(at, refFor(this.#cond));
    this.#w = at >> 2;
  }

  /**
   * Wait until all parties have called `wait()`. Returns this thread's arrival index,
   * `0 … parties-1`, distinct in each cycle. `timeout` (seconds) defaults to the barrier's;
   * when it expires the barrier breaks. Throws `BrokenBarrierError` if the barrier is or becomes
   * broken (timeout, `abort()`, `reset()`, a failing action) while waiting. If this thread
   * arrives last it runs the action here, synchronously: an async action needs `waitAsync()`.
   */
  wait(timeout?: number | null): number {
    const t = timeout ?? this.#timeout;
    waitDeadline(t); // validate now, before touching the state
    const cond = this.#cond;
    cond.acquire();
    try {
      while (this.#state === DRAINING || this.#state === RESETTING) cond.wait();
      if (this.#state < 0) throw new BrokenBarrierError();
      const index = this.#count;
      this.#count = index + 1;
      try {
        if (index + 1 === this.#parties) {
          this.#runAction();
        } else if (!cond.waitFor(() => this.#state !== FILLING, t)) {
          this.#break();
          throw new BrokenBarrierError();
        } else if (this.#state < 0) {
          throw new BrokenBarrierError();
        }
        return index;
      } finally {
        this.#count = this.#count - 1;
        this.#exit();
      }
    } finally {
      cond.release();
    }
  }

  /**
   * Async twin of {@link wait}: waits without blocking the event loop. An async action is
   * awaited. An aborted `signal` breaks the barrier (as a timeout does) and rejects with
   * the signal's reason.
   */
  async waitAsync(timeout?: number | null | WaitOptions, options?: WaitOptions): Promise<number> {
    const a = waitArgs(timeout, options);
    const t = a.timeout ?? this.#timeout;
    waitDeadline(t);
    // Module actions may need importing in this thread: do it before taking the lock.
    if (this.#action === null && this.#actionSpec !== null) {
      this.#action = await resolveTarget(this.#actionSpec);
    }
    const cond = this.#cond;
    await cond.acquireAsync({ signal: a.signal });
    try {
      while (this.#state === DRAINING || this.#state === RESETTING) {
        await cond.waitAsync({ signal: a.signal });
      }
      if (this.#state < 0) throw new BrokenBarrierError();
      const index = this.#count;
      this.#count = index + 1;
      try {
        if (index + 1 === this.#parties) {
          await this.#runActionAsync();
        } else {
          let passed: boolean;
          try {
            passed = await cond.waitForAsync(() => this.#state !== FILLING, t, {
              signal: a.signal,
            });
          } catch (err) {
            this.#break(); // a party that gives up breaks the barrier for everyone
            throw err;
          }
          if (!passed) {
            this.#break();
            throw new BrokenBarrierError();
          }
          if (this.#state < 0) throw new BrokenBarrierError();
        }
        return index;
      } finally {
        this.#count = this.#count - 1;
        this.#exit();
      }
    } finally {
      cond.release();
    }
  }

  /**
   * Return the barrier to its empty state. Threads waiting on it get `BrokenBarrierError`;
   * a broken barrier becomes usable again once they have left.
   */
  reset(): void {
    this.#cond.withLock(() => {
      if (this.#count > 0) {
        // Waiters leave with BrokenBarrierError; the last one out refills the barrier.
        if (this.#state === FILLING || this.#state === BROKEN) this.#state = RESETTING;
      } else {
        this.#state = FILLING;
      }
      this.#cond.notifyAll();
    });
  }

  /**
   * Break the barrier: current and future `wait()` calls throw `BrokenBarrierError` until
   * `reset()`. Use it when a party cannot arrive, so the others do not wait forever.
   */
  abort(): void {
    this.#cond.withLock(() => this.#break());
  }

  /** The number of threads required to pass the barrier. */
  get parties(): number {
    return this.#parties;
  }

  /** The number of threads currently waiting (0 while the barrier drains or is broken). */
  get nWaiting(): number {
    return this.#state === FILLING ? this.#count : 0;
  }

  /** Whether the barrier is broken. */
  get broken(): boolean {
    return this.#state === BROKEN;
  }

  /** @internal The shared-object description (carries the action's target spec). */
  [SHARED](): SharedDescriptor {
    const x: Extra = {
      cond: describeShared(this.#cond),
      action: this.#actionSpec,
      timeout: this.#timeout,
    };
    return { type: 'Barrier', words: [this.#w, this.#parties], extra: x };
  }

  /** Like CPython's repr: `<threadkit.Barrier at 0x…: waiters=K/N>` or `broken>`. */
  toString(): string {
    const where = `threadkit.Barrier at 0x${(this.#w * 4).toString(16)}`;
    if (this.broken) return `<${where}: broken>`;
    return `<${where}: waiters=${this.nWaiting}/${this.#parties}>`;
  }

  get #state(): number {
    return Atomics.load(arena().i32, this.#w + STATE);
  }

  set #state(value: number) {
    Atomics.store(arena().i32, this.#w + STATE, value);
  }

  get #count(): number {
    return Atomics.load(arena().i32, this.#w + COUNT);
  }

  set #count(value: number) {
    Atomics.store(arena().i32, this.#w + COUNT, value);
  }

  /** The action as a function of this thread (resolved from its spec on first use). */
  #resolveAction(): Function | null {
    if (this.#action === null && this.#actionSpec !== null) {
      this.#action = resolveTargetSync(this.#actionSpec);
    }
    return this.#action;
  }

  /** Errors of a compiled inline action get the captured-variable hint. */
  #explain(err: unknown): unknown {
    return this.#createdHere || this.#actionSpec === null
      ? err
      : explainInlineError(err, this.#actionSpec);
  }

  /** Last arrival: run the action, then release everyone; a failing action breaks the barrier. */
  #runAction(): void {
    try {
      const action = this.#resolveAction();
      if (action) {
        if (isAsyncFunction(action)) {
          throw new TypeError(
            'the Barrier action is an async function: the parties must use waitAsync()',
          );
        }
        try {
          action();
        } catch (err) {
          throw this.#explain(err);
        }
      }
      this.#state = DRAINING;
      this.#cond.notifyAll();
    } catch (err) {
      this.#break();
      throw err;
    }
  }

  async #runActionAsync(): Promise<void> {
    try {
      const action = this.#resolveAction();
      if (action) {
        try {
          await action();
        } catch (err) {
          throw this.#explain(err);
        }
      }
      this.#state = DRAINING;
      this.#cond.notifyAll();
    } catch (err) {
      this.#break();
      throw err;
    }
  }

  /** A thread leaves: the last one out of a draining or resetting barrier refills it. */
  #exit(): void {
    if (this.#count === 0 && (this.#state === RESETTING || this.#state === DRAINING)) {
      this.#state = FILLING;
      this.#cond.notifyAll();
    }
  }

  #break(): void {
    this.#state = BROKEN;
    this.#cond.notifyAll();
  }
}

function isAsyncFunction(fn: Function): boolean {
  const kind = fn.constructor?.name;
  return kind === 'AsyncFunction' || kind === 'AsyncGeneratorFunction';
}

registerSharedType('Barrier', (d) => {
  const x = d.extra as Extra;
  const cond = reviveShared(x.cond) as Condition;
  const data: Attached = {
    w: d.words[0],
    parties: d.words[1],
    cond,
    action: x.action,
    timeout: x.timeout,
  };
  return attach(data, () => new Barrier(0));
});
