/**
 * A pool thread's serve loop (thread executors): take tasks from the executor's task ring,
 * run them with the thread's {@link TaskRunner}, report plain results in the result ring and
 * everything else on the loop's port — without a message per task. The loop ends once the
 * ring has stayed empty for `idleMs` (so an idle pool does not keep the process alive, as
 * piscina's idle threads do not) or the owner stops it.
 */
import { availableParallelism } from 'node:os';
import { arena, wire } from '@threadkit/core/internal';
import {
  RESULT_CANCELLED,
  RESULT_VALUE,
  type RingTask,
  TASK_FETCH,
  TaskRing,
} from '../internal/task-ring.js';
import type { CallTask, Outcome, ServeTask, ServeUp, TaskMsg } from '../internal/wire.js';
import type { TaskRunner } from './runner.js';

const RUNNING = 1;
/** Looks at an empty ring before sleeping: a burst's next task is often microseconds away. */
const SPINS = 64;
/**
 * How long one thread (the ring's spinner) keeps looking before it sleeps: about the owner's
 * turn-around, from a result to the next call of a caller that awaits each one, so that call
 * needs no wake-up of a sleeping thread (a futex wake, ~10–30 µs on a small VM).
 */
const SPIN_MS = 0.05;
const CPUS = availableParallelism();

/** A result the result ring carries exactly: a primitive, or JSON-safe plain data. */
function ringValue(v: unknown): wire.Prepared | null {
  switch (typeof v) {
    case 'number':
    case 'string':
    case 'boolean':
    case 'undefined':
      return wire.prepare(v);
    case 'bigint':
      return BigInt.asIntN(64, v) === v ? wire.prepare(v) : null;
    case 'object':
      return v === null || wire.isJsonSafe(v) ? wire.prepare(v) : null;
    default:
      return null;
  }
}

/**
 * Run the serve loop of `task` on this thread. `turnIfDue` gives the event loop a turn now and
 * then (the finalizers that give back revived handles' counts run there; thread-entry.ts).
 */
export async function serve(
  task: ServeTask,
  runner: TaskRunner,
  turnIfDue: () => Promise<void> | null,
): Promise<null> {
  const ring = TaskRing.at(task.ring);
  const i32 = arena().i32;
  const ctl = task.ctl;
  const port = task.port;
  const send = (msg: ServeUp) => port.postMessage(msg);
  let fetched: ((t: TaskMsg) => void) | null = null;
  port.on('message', (t: TaskMsg) => fetched?.(t));
  const claimer = (word: number) => () => Atomics.compareExchange(i32, word, 0, RUNNING) === 0;

  Atomics.store(i32, ctl + 1, 1);
  ring.addLoop(1);
  ring.addIdle(1);
  ring.addBooting(-1);
  try {
    for (;;) {
      let next = ring.take();
      if (next) ring.addIdle(-1);
      else next = waitForTask(ring, task.idleMs);
      if (!next) break;
      const word = next.word;
      Atomics.store(i32, ctl, word);
      let msg: TaskMsg;
      if (next.flags & TASK_FETCH) {
        // Not encodable in a cell (e.g. a SharedArrayBuffer argument): ask the owner for it.
        msg = await new Promise<TaskMsg>((resolve) => {
          fetched = resolve;
          send({ need: word });
        });
        fetched = null;
      } else {
        const args = wire.finish(next.args as wire.Taken);
        msg = { k: 'call', spec: next.spec, args, word } satisfies CallTask;
      }
      const outcome: Outcome = await runner.run(msg, claimer(word));
      // Counted as waiting before the owner can see this result and submit more.
      const turn = turnIfDue();
      if (turn) await turn;
      ring.addIdle(1);
      publish(ring, word, outcome, send);
      Atomics.store(i32, ctl, 0);
    }
  } finally {
    ring.addLoop(-1);
    send({ bye: true });
    port.close();
  }
  return null;
}

/** Report `outcome` in the result ring if it fits, else on the port. */
function publish(ring: TaskRing, word: number, outcome: Outcome, send: (m: ServeUp) => void) {
  if (outcome.s === 'cancelled') {
    if (ring.report(word, RESULT_CANCELLED, null)) return;
  } else if (outcome.s === 'ok') {
    const value = ringValue(outcome.v);
    if (value) {
      if (ring.report(word, RESULT_VALUE, value)) return;
      wire.release(value);
    }
  }
  send({ out: word, outcome });
}

/**
 * The ring is empty and this thread counts as idle: spin a little, then sleep until a task
 * comes, for at most `idleMs` of quiet. Returns the task taken (no longer idle), or null when
 * the loop should end (it has then stopped counting as idle, after a last look at the ring).
 */
function waitForTask(ring: TaskRing, idleMs: number): RingTask | null {
  for (let i = 0; i < SPINS; i++) {
    const t = ring.take();
    if (t) {
      ring.addIdle(-1);
      return t;
    }
  }
  // Spin only on a core nobody needs: with the owner and the busy threads on the others. In
  // a burst they are all busy (and the owner refills the ring): spinning would slow them.
  if (ring.busyThreads() + 1 < CPUS && ring.claimSpin()) {
    const t = spinForTask(ring);
    if (t) {
      ring.addIdle(-1);
      return t;
    }
  }
  const until = performance.now() + idleMs;
  for (;;) {
    const epoch = ring.epoch();
    const t = ring.take();
    if (t) {
      ring.addIdle(-1);
      return t;
    }
    const left = until - performance.now();
    if (left <= 0 || ring.stopped()) break;
    ring.sleep(epoch, left);
  }
  // Leave: stop counting as idle first, then look once more, so that a task pushed by an
  // owner that saw us idle is never stranded (the owner reads IDLE after pushing).
  ring.addIdle(-1);
  return ring.take();
}

/**
 * As the ring's one spinner: look for a task for up to {@link SPIN_MS}. It stops spinning
 * before its last look, so a task pushed by an owner that saw it spinning (and woke no one)
 * is taken here or, once it sleeps, by the epoch it read before that look.
 */
function spinForTask(ring: TaskRing): RingTask | null {
  const until = performance.now() + SPIN_MS;
  let taken: RingTask | null = null;
  try {
    while (!taken) {
      for (let i = 0; i < SPINS && !taken; i++) taken = ring.take();
      if (taken || performance.now() >= until || ring.stopped()) break;
    }
  } finally {
    ring.releaseSpin();
  }
  if (!taken) return ring.take();
  // A task pushed between our take and releaseSpin woke no one (the owner saw us spinning):
  // pass it on to a sleeper, or it would wait for our task's end or a sleeper's timeout.
  if (ring.hasTask()) ring.wakeOne();
  return taken;
}
