/**
 * Starting a child: `child_process.fork` of our child entry (spawn semantics: a fresh Node
 * process that imports what it needs — Python's "spawn" start method; Node cannot fork a
 * running isolate). The job travels in an unlinked temporary file inherited as descriptor 3,
 * written synchronously, so `start()` followed by a blocking `join()` cannot deadlock on an
 * unflushed pipe. Process-shared objects in the arguments pass their descriptors as further
 * `stdio` entries.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { closeSync, writeSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { serialize } from 'node:v8';
import { childProcessExecArgv } from '@threadkit/core/internal';
import { OSError } from '../errors.js';
import { exitCodeFromEvent, procStat } from '../os/proc.js';
import { anonymousFile } from '../os/shared-file.js';
import type { ProcessJob } from './job.js';
import {
  addChild,
  markStopped,
  PROC_RECORD,
  releaseRecord,
  retainRecord,
  STARTED,
  setWord,
} from './record.js';

/**
 * The Node flags a child runs with (core's `childProcessExecArgv`: not `-e code`, which would
 * make the child run `code` instead of our entry; not the inspector). tsx's loader is left
 * out: it costs a child a few hundred milliseconds at start-up, and core registers tsx itself
 * when a target lives in a `.ts` module (and so does our inline-target `import()` for a `.ts`
 * specifier).
 */
export function childExecArgv(): string[] {
  return childProcessExecArgv({ dropTsx: true });
}

/** The child entry script, next to this module in `dist/`. */
export function childEntry(): string {
  // CommonJS for every program: the package is one CommonJS bundle (src/lib.ts).
  return fileURLToPath(new URL('./process-entry.cjs', import.meta.url));
}

/**
 * A started child becomes the process of record `rec`: pid, start time, table of children.
 * Its exit watcher holds a count until it has recorded the exit ({@link childExited}).
 */
export function adoptChild(rec: number, pid: number): void {
  retainRecord(rec);
  setWord(rec, PROC_RECORD.pid, pid);
  setWord(rec, PROC_RECORD.startTime, (procStat(pid)?.startTime ?? 0) | 0);
  setWord(rec, PROC_RECORD.state, STARTED);
  addChild(rec);
}

/** The child of record `rec` (adopted) has exited: record how, and drop the watcher's count. */
export function childExited(rec: number, code: number): void {
  markStopped(rec, code);
  releaseRecord(rec);
}

/** Lifetime is decided by the exit logic (exit.ts), as in Python, not by the child's handles. */
export function detach(child: ChildProcess): void {
  child.on('error', () => {}); // e.g. EPIPE on the IPC channel of a child that died early
  child.unref();
  (child.channel as { unref?: () => void } | undefined)?.unref?.();
}

/**
 * Fork a fresh child for record `rec` (the `spawn` start method); returns once it exists.
 * Passed descriptors become its `stdio` entries from FIRST_PASSED_FD (5) on.
 */
export function spawnChild(rec: number, job: ProcessJob, passFds: number[]): ChildProcess {
  const bytes = serialize({
    ...job,
    fds: { how: 'inherited', count: passFds.length },
  } satisfies ProcessJob);
  const jobFd = anonymousFile();
  let child: ChildProcess;
  try {
    let off = 0;
    while (off < bytes.length) off += writeSync(jobFd, bytes, off, bytes.length - off, off);
    child = fork(childEntry(), [], {
      stdio: ['ignore', 'inherit', 'inherit', jobFd, 'ipc', ...passFds],
      execArgv: childExecArgv(),
      serialization: 'json',
    });
  } finally {
    closeSync(jobFd);
  }
  if (child.pid === undefined) {
    child.on('error', () => {});
    throw new OSError(`cannot start process ${job.name}: spawning ${process.execPath} failed`);
  }
  child.on('exit', (code, signal) => childExited(rec, exitCodeFromEvent(code, signal)));
  detach(child);
  adoptChild(rec, child.pid);
  return child;
}
