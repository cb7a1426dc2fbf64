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
  encodeShared,
  patchWorkerConsole,
  reportThreadException,
} from '@threadkit/core/internal';
import { readSpec } from '../internal/spec-store.js';
import type {
  AdoptedMessage,
  Outcome,
  ServeTask,
  TaskMsg,
  ThreadWorkerConfig,
} from '../internal/wire.js';
import { TaskRunner } from './runner.js';
import { serve } from './serve.js';

const RUNNING = 1;

const config = (workerData as { threadkitPool?: ThreadWorkerConfig } | undefined)?.threadkitPool;

patchWorkerConsole();
if (config) {
  const k = Atomics.add(arena().i32, config.counterWord, 1);
  const rec = adoptCurrentWorker(`${config.prefix}_${k}`);
  const msg: AdoptedMessage = { threadkitPoolAdopted: { rec, threadId } };
  parentPort?.postMessage(msg);
}

// A stray callback left behind by a task is reported like a thread's exception instead of
// killing the warm worker (as threadkit's own threads do).
process.on('uncaughtException', (err) => void reportThreadException(err, currentThread()));
process.on('unhandledRejection', (err) => void reportThreadException(err, currentThread()));

const runner = new TaskRunner(
  { decode: decodeShared, encode: (value, path) => encodeShared(value, path), specAt: readSpec },
  config?.init,
);

/** The cancel hand-shake: PENDING (0) → RUNNING here, unless the owner made it CANCELLED first. */
function claimer(word: number): () => boolean {
  return () => Atomics.compareExchange(arena().i32, word, 0, RUNNING) === 0;
}

/** piscina's handler: one task in, one outcome out; or a thread executor's serve loop. */
export default function handle(task: TaskMsg | ServeTask): Promise<Outcome | null> {
  if (task.k === 'serve') return serve(task, runner);
  return runner.run(
    task,
    task.k === 'call' && task.word !== undefined ? claimer(task.word) : undefined,
  );
}
