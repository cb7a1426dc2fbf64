/** Module functions of `multiprocessing`: currentProcess, parentProcess, activeChildren, cpuCount. */
import { availableParallelism, cpus } from 'node:os';
import { type Process, processForRecord } from './process.js';
import { parentRecord, selfRecord, withLiveChildren } from './record.js';

/**
 * The Process object of the caller: `MainProcess` in a program's main process; in a child,
 * the Process it runs (the rebuilt instance for a subclass). The same from every thread.
 */
export function currentProcess(): Process {
  return processForRecord(selfRecord());
}

/** The parent of the current process (name and pid), or null in the main process. */
export function parentProcess(): Process | null {
  const rec = parentRecord();
  return rec ? processForRecord(rec) : null;
}

/** The children of this process that are still running (started from any of its threads). */
export function activeChildren(): Process[] {
  return withLiveChildren((recs) => recs.map(processForRecord));
}

/** The number of CPUs in the system (Python's `os.cpu_count()`). */
export function cpuCount(): number {
  return cpus().length || availableParallelism();
}
