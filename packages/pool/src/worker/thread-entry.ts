/**
 * The program of a pool thread (a piscina worker): it registers itself as a named threadkit
 * thread (`<prefix>_<k>`, listed by `enumerate()`), then runs tasks with {@link TaskRunner}.
 * Arguments and results cross by structured clone, shared objects by reference.
 */
import '@threadkit/core'; // registers every shared type, so any argument revives here
import { parentPort, threadId, workerData } from 'node:worker_threads';
import { currentThread } from '@threadkit/core';
import {
  adoptCurrentWorker,
  arena,
  decodeShared,
  discardEncoded,
  encodeShared,
  handlesRevived,
  patchWorkerConsole,
  releaseAll,
  reportThreadException,
  retainRecord,
} from '@threadkit/core/internal';
import { readSpec } from '../internal/spec-store.js';
import type {
  AdoptedMessage,
  Outcome,
  ReleaseTask,
  TaskMsg,
  ThreadWorkerConfig,
} from '../internal/wire.js';
import { TaskRunner } from './runner.js';

const RUNNING = 1;

const config = (workerData as { threadkitPool?: ThreadWorkerConfig } | undefined)?.threadkitPool;

patchWorkerConsole();
if (config) {
  const k = Atomics.add(arena().i32, config.counterWord, 1);
  const rec = adoptCurrentWorker(`${config.prefix}_${k}`);
  // The owner's count: it may end this record after this worker is gone (PoolThreads), so the
  // record must not be reused before it has.
  retainRecord(rec);
  const msg: AdoptedMessage = { threadkitPoolAdopted: { rec, threadId } };
  parentPort?.postMessage(msg);
}

// A stray callback left behind by a task is reported like a thread's exception instead of
// killing the warm worker (as threadkit's own threads do).
process.on('uncaughtException', (err) => void reportThreadException(err, currentThread()));
process.on('unhandledRejection', (err) => void reportThreadException(err, currentThread()));

const runner = new TaskRunner(
  {
    decode: decodeShared,
    encode: (value, path) => encodeShared(value, path),
    discard: discardEncoded,
    specAt: readSpec,
  },
  config?.init,
);

/** The cancel hand-shake: PENDING (0) → RUNNING here, unless the owner made it CANCELLED first. */
function claimer(word: number): () => boolean {
  return () => Atomics.compareExchange(arena().i32, word, 0, RUNNING) === 0;
}

/** The pool is closing: give back this thread's counts, then wait for the other threads. */
function release(task: ReleaseTask): Outcome {
  releaseAll();
  const i32 = arena().i32;
  Atomics.add(i32, task.word, 1);
  Atomics.notify(i32, task.word);
  const deadline = performance.now() + 2000; // a thread that never comes only costs a leak
  for (;;) {
    const seen = Atomics.load(i32, task.word);
    const left = deadline - performance.now();
    if (seen >= task.n || left <= 0) break;
    Atomics.wait(i32, task.word, seen, left);
  }
  return { s: 'ok', v: null };
}

// piscina runs tasks back to back without turning this thread's event loop, where the
// finalizers that give back collected handles' counts run (core shared/lifetime.ts): after
// every YIELD_EVERY handles revived here, a task's outcome waits for one turn.
const YIELD_EVERY = 256;
let revivedAtYield = 0;

function afterTurn(outcome: Outcome): Promise<Outcome> {
  return new Promise((resolve) => setImmediate(() => resolve(outcome)));
}

/** piscina's handler: one task in, one outcome out. */
export default function handle(task: TaskMsg | ReleaseTask): Promise<Outcome> {
  if (task.k === 'release') return Promise.resolve(release(task));
  const outcome = runner.run(
    task,
    task.k === 'call' && task.word !== undefined ? claimer(task.word) : undefined,
  );
  if (handlesRevived() - revivedAtYield < YIELD_EVERY) return outcome;
  revivedAtYield = handlesRevived();
  return outcome.then(afterTurn);
}
