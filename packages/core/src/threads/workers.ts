/**
 * Warm workers. A fresh Worker costs ~22 ms to start against ~79 µs for a CPython thread, so
 * a worker whose thread has finished goes back to an idle set and runs the next thread.
 *
 * Each thread owns the workers it spawned (Node terminates a worker's children when that
 * worker exits, so pooled workers never exit while the process runs). Idleness is a word in
 * the arena that the worker sets itself, so a starter never needs the worker's owner to be
 * responsive; jobs go by `postMessage`, which reaches the worker's own event loop directly.
 * Every Worker is `unref()`ed: process lifetime is decided by the exit logic (exit.ts), which
 * joins non-daemon threads, exactly as Python does.
 */
import { Worker } from 'node:worker_threads';
import { RuntimeError } from '../errors.js';
import { allocPermanent, arena } from '../memory/arena.js';
import { futexWaitAsync } from '../parking/futex.js';
import { BUILD_EXT } from '../targets/native-import.js';
import { stateSlot } from '../thread-state.js';
import type { ThreadJob } from './job.js';
import { endOrphanedThread } from './liveness.js';
import { releaseRecord, retainRecord } from './record.js';

const BUSY = 0;
const IDLE = 1;
const GONE = 2;

interface PooledWorker {
  worker: Worker;
  /** Arena word: IDLE when the worker waits for a job. */
  idle: number;
  /** Record of the thread it was last given (0 = none). */
  rec: number;
  /** Why the worker failed, if it did. */
  error: unknown;
}

/** Settings for the warm workers that threads run on (not a thread pool: see @threadkit/pool). */
export interface WarmWorkerSettings {
  /** Reuse finished threads' workers for new threads (default true). */
  reuse: boolean;
}

const pool = stateSlot('workerPool', () => ({
  workers: [] as PooledWorker[],
  settings: { reuse: true } as WarmWorkerSettings,
}));

/**
 * The worker program, next to the bundle in `dist/`: it loads the bundle with its code cache
 * (boot/code-cache.ts) and runs jobs. CommonJS for every program: ESM importers of the
 * library get the same CommonJS bundle, so a worker holds one copy whoever imports it.
 */
function entryUrl(): URL {
  return new URL(`./thread-entry${BUILD_EXT}`, import.meta.url);
}

/** Change how threads use workers (see {@link WarmWorkerSettings}). */
export function setWarmWorkerSettings(settings: Partial<WarmWorkerSettings>): void {
  if (settings.reuse !== undefined) {
    if (typeof settings.reuse !== 'boolean') throw new TypeError('reuse must be a boolean');
    pool.settings.reuse = settings.reuse;
  }
}

const LOADER_FLAGS = new Set(['--import', '--require', '-r', '--loader', '--experimental-loader']);

/**
 * The parent's `execArgv` minus tsx's loader. Workers inherit it, and on Node 20 a worker
 * with module loader hooks starts a hooks thread of its own and runs every import through
 * it: a cold start under tsx took 5× a bare Worker. Our workers need no loader for their own
 * code, and register tsx themselves, only when a target lives in a `.ts` module.
 */
// V8 options are process-wide: a Worker refuses them in an explicit execArgv (they apply to it
// anyway). The common ones are dropped up front; others are learned from the error.
const V8_FLAG =
  /^--(no-)?(max[-_]old[-_]space[-_]size|max[-_]semi[-_]space[-_]size|expose[-_]gc|stack[-_]size|harmony|allow[-_]natives[-_]syntax|jitless|single[-_]threaded|predictable)/;

/**
 * `execArgv` for a threadkit worker (also used by @threadkit/pool's workers): undefined to
 * inherit the parent's, or the parent's without tsx's loader (see {@link LOADER_FLAGS}).
 */
export function workerExecArgv(): string[] | undefined {
  const out: string[] = [];
  const argv = process.execArgv;
  let removed = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const eq = arg.indexOf('=');
    const flag = eq > 0 ? arg.slice(0, eq) : arg;
    if (LOADER_FLAGS.has(flag)) {
      const value = eq > 0 ? arg.slice(eq + 1) : (argv[i + 1] ?? '');
      if (/(^|[\\/])tsx([\\/]|$)/.test(value) || value === 'tsx') {
        if (eq < 0) i++;
        removed = true;
        continue;
      }
    }
    if (!rejectedFlags.has(arg) && !V8_FLAG.test(arg)) out.push(arg);
  }
  // Inherit as is when there is nothing to remove: an explicit execArgv is validated, and
  // process-wide flags (--max-old-space-size, --expose-gc) are refused there.
  return removed ? out : undefined;
}

/** Process-wide flags that Worker refused in an explicit execArgv (they apply anyway). */
const rejectedFlags = new Set<string>();

function newWorker(idle: number): Worker {
  for (;;) {
    const execArgv = workerExecArgv();
    try {
      return new Worker(entryUrl(), {
        workerData: { idleWord: idle, reuse: pool.settings.reuse },
        ...(execArgv ? { execArgv } : {}),
        stdout: false,
        stderr: false,
      });
    } catch (err) {
      const e = err as NodeJS.ErrnoException;
      if (execArgv && e.code === 'ERR_WORKER_INVALID_EXEC_ARGV') {
        // "Initiated Worker with invalid execArgv flags: --a, --b": drop those and retry.
        const flags = e.message
          .slice(e.message.indexOf(':') + 1)
          .split(/,\s*/)
          .map((f) => f.trim());
        const before = rejectedFlags.size;
        for (const f of flags) if (f) rejectedFlags.add(f);
        if (rejectedFlags.size > before) continue;
      }
      throw new RuntimeError(`can't start new thread: ${e.message}`);
    }
  }
}

/** A new worker. */
function spawn(initialState: number): PooledWorker {
  const idle = allocPermanent(4) >> 2;
  Atomics.store(arena().i32, idle, initialState);
  const worker = newWorker(idle);
  const pooled: PooledWorker = { worker, idle, rec: 0, error: null };
  worker.unref();
  // Thread errors are reported inside the worker (excepthook); this only hears of a failure
  // of the worker itself (it could not load, ran out of memory), so it must not crash us.
  worker.on('error', (err) => {
    pooled.error = err;
  });
  worker.on('exit', () => {
    const i32 = arena().i32;
    Atomics.store(i32, idle, GONE);
    Atomics.notify(i32, idle);
    const i = pool.workers.indexOf(pooled);
    if (i >= 0) pool.workers.splice(i, 1);
    // A worker that died before it could end its thread (it never loaded, say): end the
    // thread here, so that nobody waits for it forever, and say why.
    if (pooled.rec) {
      const why =
        pooled.error instanceof Error
          ? (pooled.error.stack ?? String(pooled.error))
          : 'its worker exited';
      endOrphanedThread(pooled.rec, `the thread's worker died: ${why}`);
      watch(pooled, 0);
    }
  });
  pool.workers.push(pooled);
  return pooled;
}

/**
 * Remember the record of the thread a worker runs (0: none), holding a count on it: the
 * worker's 'exit' handler may look at it long after that thread ended (a warm worker that
 * dies later), and the record must not have been reused for another thread by then.
 */
function watch(w: PooledWorker, rec: number): void {
  if (rec) retainRecord(rec);
  if (w.rec) releaseRecord(w.rec);
  w.rec = rec;
}

/** Hand `job` to an idle worker, or to a new one. */
export function dispatch(job: ThreadJob): void {
  const i32 = arena().i32;
  if (pool.settings.reuse) {
    for (const w of pool.workers) {
      if (Atomics.compareExchange(i32, w.idle, IDLE, BUSY) === IDLE) {
        watch(w, job.rec);
        w.worker.postMessage(job);
        return;
      }
    }
  }
  const fresh = spawn(BUSY);
  watch(fresh, job.rec);
  fresh.worker.postMessage(job);
}

/**
 * Start `count` workers ahead of time so that the next `count` threads start warm. Resolves
 * once they are ready. Idle workers never keep the process alive.
 */
export async function prewarm(count: number): Promise<void> {
  if (!Number.isInteger(count) || count < 0)
    throw new TypeError('prewarm(count): count must be a non-negative integer');
  const i32 = arena().i32;
  const idleNow = pool.workers.filter((w) => Atomics.load(i32, w.idle) === IDLE).length;
  const fresh: PooledWorker[] = [];
  for (let k = idleNow; k < count; k++) fresh.push(spawn(BUSY));
  for (const w of fresh) w.worker.postMessage({ prewarm: true });
  for (const w of fresh) {
    while (Atomics.load(i32, w.idle) === BUSY) {
      await futexWaitAsync(w.idle, BUSY, Number.POSITIVE_INFINITY);
    }
    if (Atomics.load(i32, w.idle) === GONE) {
      throw new RuntimeError(`can't start new thread: ${String(w.error ?? 'its worker exited')}`);
    }
  }
}

/** Number of idle warm workers owned by this thread (for tests and diagnostics). */
export function idleWorkerCount(): number {
  const i32 = arena().i32;
  return pool.workers.filter((w) => Atomics.load(i32, w.idle) === IDLE).length;
}

/** Called by a worker on itself: it is ready for the next job. */
export function markIdle(idleWord: number): void {
  Atomics.store(arena().i32, idleWord, IDLE);
  Atomics.notify(arena().i32, idleWord);
}
