/**
 * The program of every threadkit worker: wait for a thread job, run it, report the outcome in
 * shared memory, and go back to waiting (the worker stays warm for the next thread). Part of
 * the library bundle; `dist/thread-entry.cjs` loads the bundle with its code cache and calls
 * {@link startThreadWorker}.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { syncDiagnostics } from '../diagnostics/switch.js';
import { arena } from '../memory/arena.js';
import { flushWakes } from '../parking/waiters.js';
import { collectWhenIdle } from '../shared/lifetime.js';
import { decodeShared, discardEncoded } from '../shared/protocol.js';
import { explainInlineError, rebuildInstance, resolveTarget } from '../targets/target.js';
import { runBuiltin } from './builtins.js';
import { reportThreadException } from './excepthook.js';
import { reportLocksHeldAtEnd } from './held-at-end.js';
import type { ThreadJob } from './job.js';
import { resetLocals } from './local.js';
import { patchWorkerConsole } from './output.js';
import { RECORD, setRecWord } from './record.js';
import { osThreadId, setCurrentRecord } from './registry.js';
import { adoptRecord, finishRecord, type Thread, threadForRecord } from './thread.js';
import { markIdle } from './workers.js';

let idleWord = 0;
let reuse = true;
let nativeId = 0;
let running = 0;

function threadName(rec: number): { name: string } {
  try {
    return threadForRecord(rec);
  } catch {
    return { name: `<thread ${rec}>` };
  }
}

async function runJob(job: ThreadJob): Promise<void> {
  const rec = job.rec;
  running = rec;
  setCurrentRecord(rec);
  syncDiagnostics();
  resetLocals();
  setRecWord(rec, RECORD.nativeId, nativeId);
  Atomics.notify(arena().i32, rec + RECORD.nativeId); // for a `nativeId` read racing with start
  let thread: { name: string } | null = null;
  // The job's encoded arguments hold counts on their shared objects until decoded; a job that
  // fails before decoding them (its target cannot be loaded) gives them back in `finally`.
  let argsPending = true;
  try {
    if (job.builtin) {
      const obj = threadForRecord(rec);
      thread = obj;
      await runBuiltin(job.builtin, obj);
    } else if (job.spec?.kind === 'instance') {
      const obj = (await rebuildInstance(job.spec, (o) => adoptRecord(o, rec), true)) as Thread;
      thread = obj;
      await obj.run();
    } else {
      thread = threadForRecord(rec);
      if (job.spec) {
        const fn = await resolveTarget(job.spec);
        argsPending = false; // from here a failure may leave them half decoded: never discard
        const args = decodeShared(job.args) as unknown[];
        await (job.hasKwargs ? fn(...args, decodeShared(job.kwargs)) : fn(...args));
      }
    }
  } catch (err) {
    if (job.spec) explainInlineError(err, job.spec);
    await reportThreadException(err, thread ?? threadName(rec));
  } finally {
    flushWakes(); // a Condition notified by a thread that ended holding its RLock
    reportLocksHeldAtEnd(rec);
    if (argsPending) {
      discardEncoded(job.args);
      if (job.hasKwargs) discardEncoded(job.kwargs);
    }
    running = 0;
    setCurrentRecord(0);
    resetLocals();
    // Idle before the record says "stopped", so that a joiner that starts the next thread at
    // once finds this worker warm. The next job is only read after this block completes.
    if (reuse) markIdle(idleWord);
    else parentPort?.close();
    finishRecord(rec);
    if (reuse) collectWhenIdle(); // what the job's arguments named is given back while idle
  }
}

/** Run this worker's jobs (called once, by `dist/thread-entry.cjs`, in a threadkit worker). */
export function startThreadWorker(): void {
  ({ idleWord, reuse } = workerData as { idleWord: number; reuse: boolean });
  nativeId = osThreadId();
  patchWorkerConsole();
  // An exception from a stray callback (a timer the target left behind) is reported like a
  // thread's exception instead of killing the warm worker.
  process.on(
    'uncaughtException',
    (err) => void reportThreadException(err, running ? threadName(running) : null),
  );
  process.on(
    'unhandledRejection',
    (err) => void reportThreadException(err, running ? threadName(running) : null),
  );
  // `process.exit()` inside a target ends this worker: the thread still ends cleanly for joiners.
  process.on('exit', () => {
    if (running) finishRecord(running);
  });
  parentPort?.on('message', (msg: ThreadJob | { prewarm: true }) => {
    if ('prewarm' in msg) {
      markIdle(idleWord);
      return;
    }
    void runJob(msg);
  });
}
