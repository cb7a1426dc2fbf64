/**
 * Python's exit rule: when the main script is done, the process waits for every non-daemon
 * thread, then exits, stopping daemon threads. Node would instead exit as soon as its own
 * event loop is empty (our workers are unref'ed) or keep running forever for a ref'ed one;
 * so the main thread joins non-daemon threads itself when its loop runs dry (`beforeExit`)
 * and when something calls `process.exit()` (`exit`), as `threading._shutdown` does.
 */
import { isMainThread } from 'node:worker_threads';
import { arena } from '../memory/arena.js';
import { stateSlot } from '../thread-state.js';
import { waitUntilStopped } from './liveness.js';
import {
  ALIVE,
  F_DAEMON,
  F_DUMMY,
  F_FINALIZING,
  F_MAIN,
  RECORD,
  recWord,
  STOPPED,
  setRecWord,
} from './record.js';
import { mainRecord, withLiveRecords } from './registry.js';

/** Block until no non-daemon thread is alive. */
export function joinNonDaemonThreads(): void {
  for (;;) {
    // The records stay alive while we wait on them (withLiveRecords holds a count on each).
    const waited = withLiveRecords((recs) => {
      const pending = recs.filter(
        (rec) => (recWord(rec, RECORD.flags) & (F_DAEMON | F_DUMMY | F_MAIN)) === 0,
      );
      for (const rec of pending) waitUntilStopped(rec, Number.POSITIVE_INFINITY);
      return pending.length;
    });
    if (waited === 0) return;
  }
}

/**
 * The main thread is done: `mainThread().join()` returns in other threads and `isAlive()` is
 * false. It stays listed by `enumerate()`, as Python keeps it in `threading._active`.
 */
function markMainStopped(): void {
  const rec = mainRecord();
  if (!rec || recWord(rec, RECORD.state) !== ALIVE) return;
  setRecWord(rec, RECORD.state, STOPPED);
  Atomics.notify(arena().i32, rec + RECORD.state);
}

/**
 * `threading._shutdown()`: mark the main thread done *before* joining the others (a thread
 * that joins the main thread would otherwise wait for a join that waits for it).
 */
function shutdown(): void {
  markMainStopped();
  joinNonDaemonThreads();
}

const installed = stateSlot('exitHooks', () => ({ done: false }));

if (isMainThread && !installed.done) {
  installed.done = true;
  process.on('beforeExit', shutdown);
  process.on('exit', () => {
    shutdown();
    // Nothing waits for a thread started from now on (a later 'exit' listener, a daemon
    // thread): Thread.start() refuses it, as Python does at interpreter shutdown.
    const rec = mainRecord();
    if (rec) Atomics.or(arena().i32, rec + RECORD.flags, F_FINALIZING);
  });
}
