/**
 * A pool thread's serve loop (thread executors): take tasks from the executor's task ring,
 * run them with the thread's {@link TaskRunner}, report plain results in the result ring and
 * everything else on the loop's port — without a message per task. The loop ends once the
 * ring has stayed empty for `idleMs` (so an idle pool does not keep the process alive, as
 * piscina's idle threads do not) or the owner stops it.
 */
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
