/** Module functions of `threading`: currentThread, mainThread, enumerate, activeCount. */
import { currentRecord, liveCount, mainRecord, withLiveRecords } from './registry.js';
import { type Thread, threadForRecord } from './thread.js';

/**
 * The Thread object of the caller. In a worker that threadkit did not start, a dummy thread
 * (`Dummy-N`, daemon, always alive) is registered and listed by `enumerate()` everywhere.
 */
export function currentThread(): Thread {
  return threadForRecord(currentRecord());
}

/** The main thread's Thread object (`name === 'MainThread'`), from any thread. */
export function mainThread(): Thread {
  return threadForRecord(mainRecord());
}

/**
 * Every live thread of the process, seen the same from every thread: the main thread,
 * started threads wherever they were started, and dummy threads. Never a finished thread.
 */
export function enumerate(): Thread[] {
  currentRecord(); // a foreign worker asking registers itself first, as in Python
  return withLiveRecords((recs) => recs.map(threadForRecord));
}

/** The number of live threads (`enumerate().length`). */
export function activeCount(): number {
  currentRecord();
  return liveCount();
}
