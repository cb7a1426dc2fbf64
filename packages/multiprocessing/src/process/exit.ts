/**
 * Python's exit rule for children (`multiprocessing.util._exit_function`): when the program
 * ends, managers are shut down, daemon children are terminated, then every child is joined.
 * Core's own hook (registered first) has already joined non-daemon threads, as Python's
 * `threading._shutdown` runs before the atexit functions.
 */
import { isMainThread } from 'node:worker_threads';
import { stateSlot } from '@threadkit/core/internal';
import { F_DAEMON, F_MANAGER, hasFlag, PROC_RECORD, withLiveChildren, word } from './record.js';
import { waitStopped } from './wait.js';

function signal(rec: number, sig: NodeJS.Signals): void {
  try {
    process.kill(word(rec, PROC_RECORD.pid), sig);
  } catch {}
}

/** Terminate managers and daemon children, then wait for every child. */
export function shutdownChildren(): void {
  withLiveChildren((recs) => {
    for (const rec of recs) if (hasFlag(rec, F_MANAGER)) signal(rec, 'SIGTERM');
  });
  withLiveChildren((recs) => {
    for (const rec of recs) if (hasFlag(rec, F_DAEMON)) signal(rec, 'SIGTERM');
  });
  withLiveChildren((recs) => {
    for (const rec of recs) waitStopped(rec, Number.POSITIVE_INFINITY);
  });
}

const installed = stateSlot('mp.exitHooks', () => ({ done: false }));

if (isMainThread && !installed.done) {
  installed.done = true;
  process.on('beforeExit', shutdownChildren);
  process.on('exit', shutdownChildren);
}
