/**
 * The owner side of a thread executor's shared-memory task path: it pushes tasks into the
 * task ring (task-ring.ts), starts serve loops (worker/serve.ts) on piscina threads when more
 * tasks wait than threads do, and settles results — every result reported since the last
 * wake-up in one go, from one `Atomics.waitAsync`. piscina still starts, names and ends the
 * threads; it sees one long task per thread instead of a message per call.
 */
import { MessageChannel, type MessagePort, receiveMessageOnPort } from 'node:worker_threads';
import { alloc, arena, free, type TargetSpec, wire } from '@threadkit/core/internal';
import type { SpecStore } from './spec-store.js';
import { crossesAsWireData } from './targets.js';
import { RESULT_CANCELLED, TASK_FETCH, TaskRing } from './task-ring.js';
import type { PoolThreads } from './thread-workers.js';
import type { Outcome, ServeUp, TaskMsg } from './wire.js';

/** How long a serve loop waits on an empty ring before it ends (its thread stays, idle). */
const IDLE_MS = 50;

/** What the loops report to their executor. */
export interface ServeLoopsOptions {
  /** Most loops at once (the executor's `maxWorkers`). */
  max: number;
  threads(): PoolThreads;
  /** How the task with `word` ended. */
  settle(word: number, outcome: Outcome): void;
  /** The thread running the task with `word` died. */
  lost(word: number, error: unknown): void;
  /** Whether a task with `word` is still waiting for its outcome. */
  pending(word: number): boolean;
  /** Tasks waiting for their outcome. */
  inFlight(): number;
}

interface Loop {
  port: MessagePort;
  /** Arena word pair: [word of the task it runs, started]. */
  ctl: number;
}

interface Queued {
  word: number;
  spec: number;
  flags: number;
  args: wire.Prepared | null;
}

/** Serve loops of one executor and the rings they share. */
export class ServeLoops {
  readonly #opts: ServeLoopsOptions;
  readonly #ring = TaskRing.create();
  /** Tasks that did not fit the ring yet, in order. */
  #backlog: Queued[] = [];
  #backHead = 0;
  /** Tasks a loop fetches by word (those a cell cannot hold). */
  readonly #fetch = new Map<number, TaskMsg>();
  readonly #loops = new Map<Loop, Promise<void>>();
  #pumping = false;
  #closed = false;
  /** Terminating: no loop starts any more. */
  #halted = false;

  constructor(options: ServeLoopsOptions) {
    this.#opts = options;
  }

  /**
   * Queue the call `spec(...args)`: into a ring cell when its arguments cross as wire data (no
   * message), else as a message that the thread which takes it fetches (an instance's state,
   * a SharedArrayBuffer…, which cross by structured clone).
   */
  pushCall(word: number, spec: TargetSpec, args: unknown, specs: SpecStore): void {
    if (spec.kind !== 'instance' && crossesAsWireData(args)) {
      this.push(word, specs.ref(spec), wire.prepare(args, 'args'), null);
    } else {
      this.push(word, 0, null, { k: 'call', spec, args, word });
    }
  }

  /**
   * Queue a task: its arguments encoded for a cell (`args`), or, with `fetch`, the whole task
   * message that a loop asks for when it reaches it.
   */
  push(word: number, spec: number, args: wire.Prepared | null, fetch: TaskMsg | null): void {
    const flags = fetch ? TASK_FETCH : 0;
    if (fetch) this.#fetch.set(word, fetch);
    if (this.#backHead === this.#backlog.length) {
      if (!this.#ring.push(word, spec, flags, args))
        this.#backlog.push({ word, spec, flags, args });
    } else {
      this.#backlog.push({ word, spec, flags, args });
    }
    this.#adjust();
    void this.#pump();
  }

  /** End every loop once the ring is empty; resolves when they have ended. */
  async stop(): Promise<void> {
    this.#ring.stop();
    await Promise.allSettled([...this.#loops.values()]);
  }

  /**
   * Start no more loops and ask the running ones to end (the owner is terminating: their
   * threads are destroyed next, mid-task or not); resolves once every loop has ended.
   */
  halt(): Promise<void> {
    this.#halted = true;
    this.#ring.stop();
    return Promise.allSettled([...this.#loops.values()]).then(() => {});
  }

  /**
   * Once the threads are gone (after {@link halt}): take every task no thread took out of the
   * ring, the backlog and the fetch table, freeing what holds their arguments; their words,
   * so that the owner gives back what the arguments name.
   */
  abandon(): number[] {
    const words = this.#ring.abandonTasks();
    for (const q of this.#backlog.slice(this.#backHead)) {
      if (q.args) wire.release(q.args);
      words.push(q.word);
    }
    this.#backlog = [];
    this.#backHead = 0;
    // Tasks in the fetch table that a loop asked for are its thread's now (deleted on asking).
    for (const word of words) this.#fetch.delete(word);
    return words;
  }

  /** Free the rings (after {@link stop} and once the threads are gone). */
  dispose(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#ring.wakeOwner();
    for (const q of this.#backlog.slice(this.#backHead)) if (q.args) wire.release(q.args);
    this.#backlog = [];
    this.#backHead = 0;
    this.#fetch.clear();
    this.#ring.dispose();
  }

  /** Start loops while more tasks wait than threads will look at the ring (CPython's `_adjust_thread_count`). */
  #adjust(): void {
    if (this.#closed || this.#halted) return;
    const queued = () => this.#ring.queued() + this.#backlog.length - this.#backHead;
    while (this.#loops.size < this.#opts.max && queued() > this.#ring.waitingThreads()) {
      this.#start();
    }
  }

  #start(): void {
    const { port1, port2 } = new MessageChannel();
    const ptr = alloc(8);
    const i32 = arena().i32;
    const loop: Loop = { port: port1, ctl: ptr >> 2 };
    Atomics.store(i32, loop.ctl, 0);
    Atomics.store(i32, loop.ctl + 1, 0);
    this.#ring.addBooting(1);
    port1.on('message', (m: ServeUp) => this.#onMessage(loop, m));
    const ended = this.#opts
      .threads()
      .serve({ k: 'serve', ring: this.#ring.base, ctl: loop.ctl, idleMs: IDLE_MS, port: port2 })
      .then(
        () => this.#ended(loop, null),
        (err) => this.#ended(loop, err ?? new Error('the pool thread stopped')),
      );
    this.#loops.set(loop, ended);
  }

  #onMessage(loop: Loop, m: ServeUp): void {
    if ('need' in m) {
      // The loop reached a task a cell could not hold; it waits for it on its port.
      const task = this.#fetch.get(m.need);
      this.#fetch.delete(m.need);
      loop.port.postMessage(task);
    } else if ('out' in m) {
      this.#opts.settle(m.out, m.outcome);
      this.#flush();
    }
  }

  /** A loop's piscina task ended: it left an idle ring, or its thread died (`err`). */
  #ended(loop: Loop, err: unknown): void {
    // Everything the loop sent is already queued on its port; take it before judging.
    for (let m = receiveMessageOnPort(loop.port); m; m = receiveMessageOnPort(loop.port)) {
      this.#onMessage(loop, m.message as ServeUp);
    }
    loop.port.close();
    this.#loops.delete(loop);
    if (!this.#closed) this.#drain();
    const i32 = arena().i32;
    const started = Atomics.load(i32, loop.ctl + 1) === 1;
    if (err !== null) {
      if (!started) this.#ring.addBooting(-1);
      const word = Atomics.load(i32, loop.ctl);
      if (word !== 0 && this.#opts.pending(word)) this.#opts.lost(word, err);
    }
    free(loop.ctl << 2);
    // A thread that could not even start is piscina's to report (PoolThreads' onFatal once
    // none is left); starting another here would retry forever.
    if (started) this.#adjust();
  }

  /** Settle every reported result, then refill the ring from the backlog. */
  #drain(): void {
    this.#ring.drain((word, status, value) =>
      this.#opts.settle(
        word,
        status === RESULT_CANCELLED ? { s: 'cancelled' } : { s: 'ok', v: value },
      ),
    );
    this.#flush();
  }

  #flush(): void {
    const backlog = this.#backlog;
    while (this.#backHead < backlog.length) {
      const q = backlog[this.#backHead];
      if (!this.#ring.push(q.word, q.spec, q.flags, q.args)) break;
      backlog[this.#backHead++] = undefined as unknown as Queued;
    }
    if (this.#backHead === backlog.length) {
      this.#backlog = [];
      this.#backHead = 0;
    } else if (this.#backHead > 1024 && this.#backHead * 2 > backlog.length) {
      this.#backlog = backlog.slice(this.#backHead);
      this.#backHead = 0;
    }
  }

  /** Settle results as they come: one wake-up per batch, while any task is in flight. */
  async #pump(): Promise<void> {
    if (this.#pumping) return;
    this.#pumping = true;
    try {
      while (!this.#closed) {
        this.#drain();
        if (this.#opts.inFlight() === 0) break;
        await this.#ring.whenReported();
        if (this.#closed) break; // the rings are freed
        this.#ring.ownerAwake();
      }
    } finally {
      this.#pumping = false;
    }
  }
}
