/**
 * A worker slot that is a child process of our own (worker/process-entry.ts), fed over a
 * socket pair on its descriptor 3: tasks go down in batches (every task queued in one turn
 * of the event loop in one frame, one write), outcomes come back in batches, in order. No
 * message per task through Node's IPC channel, no per-task bookkeeping of a general pool.
 *
 * The child inherits stdout and stderr (as CPython's pool workers do) and gets /dev/null as
 * stdin. It is referenced (keeps this process alive) only while it has tasks; an idle one
 * does not hold the program open, and exits when the channel closes — when the pool stops
 * it, or when this process is gone (so no child outlives its owner idle).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import type { Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import { deserialize, serialize } from 'node:v8';
import { childProcessExecArgv } from '@threadkit/core/internal';
import { BUILD_EXT } from './build-ext.js';
import { FrameReader, writeFrame } from './frames.js';
import { encodeError, type Outcome, type TaskMsg } from './wire.js';
import { type SlotReport, WorkerDied, type WorkerSlot } from './worker-slot.js';

/** After SIGTERM, how long a child may take to die before it is killed. */
const KILL_AFTER_MS = 1000;
/** How long an idle child may take to exit on end of file before it is sent SIGTERM. */
const EXIT_GRACE_MS = 1000;
/**
 * After the child exited, how long its channel may stay open before the outcomes it wrote
 * are given up (a grandchild that inherited descriptor 3 keeps the channel open).
 */
const DRAIN_AFTER_EXIT_MS = 100;

/** The worker program of pool processes, next to this module in `dist/`. */
function processWorkerPath(): string {
  return fileURLToPath(new URL(`./process-entry${BUILD_EXT}`, import.meta.url));
}

/** `value` if v8 serialization takes it (else throws). */
function sendable(value: unknown): unknown {
  serialize(value);
  return value;
}

/** How `run()`'s tasks are reported: their tag is their Promise's settlers. */
type Settlers = { resolve(outcome: Outcome): void; reject(error: unknown): void };
const SETTLE: SlotReport<Settlers> = {
  done: (tag, outcome) => tag.resolve(outcome),
  died: (tag, error) => tag.reject(error),
};

/** A child process running the tasks it is sent, one after another, in order. */
export class ProcessSlot implements WorkerSlot {
  readonly #child: ChildProcess;
  readonly #channel: Socket;
  readonly #reader = new FrameReader();
  /**
   * Tasks sent and not answered, oldest first, as pairs (tag, report) in one flat array (no
   * object a task): the child answers in the order it was sent them.
   */
  #waiting: unknown[] = [];
  #head = 0;
  /** Tasks to send at the end of this turn. */
  #outbox: TaskMsg[] = [];
  #referenced = true;
  /** Set once the child is gone (or cannot be used): every task fails with it. */
  #dead: WorkerDied | null = null;
  #exit: { code: number | null; signal: NodeJS.Signals | null } | null = null;
  #channelClosed = false;
  #drainTimer: NodeJS.Timeout | undefined;
  readonly #exited: Promise<void>;
  #markExited: () => void = () => {};

  constructor() {
    this.#child = spawn(
      process.execPath,
      [...childProcessExecArgv({ dropTsx: false }), processWorkerPath()],
      {
        stdio: ['ignore', 'inherit', 'inherit', 'pipe'],
        // The environment at this moment, as Python's children inherit os.environ.
        env: process.env,
      },
    );
    this.#channel = this.#child.stdio[3] as Socket;
    this.#exited = new Promise((resolve) => {
      this.#markExited = resolve;
    });
    this.#child.once('exit', (code, signal) => {
      this.#exit = { code, signal };
      this.#markExited();
      if (this.#channelClosed) this.#fail();
      // Whatever it wrote before dying is read first; then its tasks fail.
      else this.#drainTimer = setTimeout(() => this.#fail(), DRAIN_AFTER_EXIT_MS);
    });
    this.#child.once('error', (err) => {
      // It could not be started: nothing will come from it, and no 'exit' either.
      if (this.#child.pid === undefined) {
        this.#exit ??= { code: null, signal: null };
        this.#markExited();
      }
      this.#fail(err);
      this.#channel?.destroy();
    });
    this.#channel.on('data', (chunk: Buffer) => this.#onData(chunk));
    this.#channel.on('error', () => {}); // a dying child's channel; 'close' follows
    this.#channel.once('close', () => {
      this.#channelClosed = true;
      if (this.#exit) this.#fail();
      // The channel broke but the child lives on: it can never be reached again.
      else if (this.#child.exitCode === null) this.#child.kill('SIGKILL');
    });
    this.#setReferenced(false);
  }

  run(task: TaskMsg): Promise<Outcome> {
    return new Promise<Outcome>((resolve, reject) => this.send(task, { resolve, reject }, SETTLE));
  }

  send<T>(task: TaskMsg, tag: T, report: SlotReport<T>): void {
    if (this.#dead) {
      report.died(tag, this.#dead);
      return;
    }
    this.#waiting.push(tag, report);
    if (this.#outbox.length === 0) queueMicrotask(() => this.#flush());
    this.#outbox.push(task);
    this.#setReferenced(true);
  }

  /** Tasks sent and not answered. */
  get #pending(): number {
    return (this.#waiting.length - this.#head) / 2;
  }

  async destroy(): Promise<void> {
    if (this.#exit) return;
    // Without a handle of our own the loop could empty while we wait (the child and its
    // channel may be unreferenced), and `await pool.terminate()` would never return.
    const keepAlive = setInterval(() => {}, 60_000);
    const busy = this.#pending > 0;
    let killer: NodeJS.Timeout | undefined;
    const term = () => {
      this.#signal('SIGTERM');
      killer = setTimeout(() => this.#signal('SIGKILL'), KILL_AFTER_MS);
    };
    // End of file makes an idle child exit at once; a busy one is stopped as CPython's
    // terminate() does, with SIGTERM (and SIGKILL if it ignores that).
    this.#channel.end();
    const grace = busy ? undefined : setTimeout(term, EXIT_GRACE_MS);
    if (busy) term();
    try {
      await this.#exited;
    } finally {
      clearTimeout(grace);
      clearTimeout(killer);
      clearInterval(keepAlive);
    }
  }

  #signal(signal: NodeJS.Signals): void {
    if (this.#exit) return;
    try {
      this.#child.kill(signal);
    } catch {
      // Already gone.
    }
  }

  #setReferenced(on: boolean): void {
    if (this.#referenced === on) return;
    this.#referenced = on;
    if (on) {
      this.#child.ref();
      this.#channel.ref();
    } else {
      this.#child.unref();
      this.#channel.unref();
    }
  }

  /** Send every task queued this turn as one frame. */
  #flush(): void {
    const batch = this.#outbox;
    this.#outbox = [];
    if (batch.length === 0 || this.#dead) return;
    let body: Buffer;
    try {
      body = serialize(batch);
    } catch {
      body = this.#serializeEach(batch);
    }
    if (body.length > 0) writeFrame(this.#channel, body);
  }

  /**
   * A batch with a task that cannot be serialized (arguments are checked at submit, so this
   * is a task we did not foresee): that task fails on its own, the others go.
   */
  #serializeEach(batch: TaskMsg[]): Buffer {
    const first = this.#waiting.length - 2 * batch.length;
    const kept: TaskMsg[] = [];
    const keptWaiting: unknown[] = [];
    const failed: Array<[unknown, SlotReport<unknown>, unknown]> = [];
    batch.forEach((task, i) => {
      const tag = this.#waiting[first + 2 * i];
      const report = this.#waiting[first + 2 * i + 1] as SlotReport<unknown>;
      try {
        serialize(task);
        kept.push(task);
        keptWaiting.push(tag, report);
      } catch (err) {
        failed.push([tag, report, err]);
      }
    });
    this.#waiting.splice(first, 2 * batch.length, ...keptWaiting);
    for (const [tag, report, err] of failed) {
      report.done(tag, { s: 'err', e: encodeError(err, sendable) });
    }
    if (this.#pending === 0) this.#setReferenced(false);
    return kept.length > 0 ? serialize(kept) : Buffer.alloc(0);
  }

  #onData(chunk: Buffer): void {
    this.#reader.feed(chunk, (body) => {
      const waiting = this.#waiting;
      for (const outcome of deserialize(body) as Outcome[]) {
        const at = this.#head;
        if (at >= waiting.length) break; // cannot happen: the child answers only what it was sent
        const tag = waiting[at];
        const report = waiting[at + 1] as SlotReport<unknown>;
        waiting[at] = waiting[at + 1] = undefined;
        this.#head = at + 2;
        report.done(tag, outcome);
      }
    });
    if (this.#head === this.#waiting.length) {
      this.#waiting = [];
      this.#head = 0;
      if (this.#outbox.length === 0) this.#setReferenced(false);
    } else if (this.#head > 1024) {
      this.#waiting = this.#waiting.slice(this.#head);
      this.#head = 0;
    }
  }

  /** The child is gone: every task not answered fails. */
  #fail(cause?: unknown): void {
    clearTimeout(this.#drainTimer);
    if (this.#dead) return;
    const exit = this.#exit;
    const how =
      exit && (exit.code !== null || exit.signal !== null)
        ? exit.signal
          ? `was killed by ${exit.signal}`
          : `exited with code ${exit.code}`
        : 'could not be started';
    // Exiting with a code (process.exit(), an uncaught error), it wrote the outcomes of what
    // it finished first (worker/process-entry.ts); killed by a signal, it may have held some.
    const sure = exit !== null && exit.signal === null && exit.code !== null;
    this.#dead = new WorkerDied(`the worker process ${how}`, !sure, cause ? { cause } : undefined);
    const waiting = this.#waiting.slice(this.#head);
    this.#waiting = [];
    this.#head = 0;
    this.#outbox = [];
    this.#setReferenced(false);
    for (let i = 0; i < waiting.length; i += 2) {
      (waiting[i + 1] as SlotReport<unknown>).died(waiting[i], this.#dead);
    }
  }
}
