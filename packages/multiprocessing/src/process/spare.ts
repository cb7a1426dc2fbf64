/**
 * The `forkserver` start method. Booting Node dominates the cost of a child (tens of
 * milliseconds), so a spare child is started ahead of time: it boots, loads threadkit, says
 * it is ready, and waits for a job on a pipe. `start()` hands a ready spare the job and waits
 * for its acknowledgement (about a millisecond), then forks the next spare; when the spare is
 * still booting (starts in quick succession), the child is started fresh instead.
 *
 * A running child cannot inherit descriptors any more, so the passed ones (Connections,
 * queues) are opened again by the spare through `/proc/<ppid>/fd/`: the parent holds an extra
 * read-write open of each (so every open in the spare succeeds at once, whatever the other
 * ends are doing) until the spare has acknowledged, then drops it, so end-of-file is seen as
 * usual. If anything goes wrong (the spare died, /proc is not readable, the environment or
 * working directory changed since it booted), the child is started fresh instead.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { constants, openSync } from 'node:fs';
import { serialize } from 'node:v8';
import { stateSlot } from '@threadkit/core/internal';
import type { FdContext } from '../internal/transfer.js';
import { closeQuietly, readFully, readNow, writeFully } from '../os/fd.js';
import { newFifo } from '../os/fifo.js';
import { exitCodeFromEvent } from '../os/proc.js';
import type { ProcessJob } from './job.js';
import { adoptChild, childEntry, childExecArgv, childExited, detach } from './spawn.js';

interface Spare {
  child: ChildProcess;
  pid: number;
  /** Write end of the job pipe (the spare reads descriptor 3). */
  jobW: number;
  /** Read end of the acknowledgement pipe (the spare writes descriptor 5), and a non-blocking one. */
  ackR: number;
  ackNb: number;
  /** The spare said it has booted and waits for a job. */
  ready: boolean;
  /** What the spare inherited: a job is given to it only if these are still current. */
  cwd: string;
  env: string;
  /** The record it became, once given a job. */
  rec: number;
  dead: boolean;
  released: boolean;
}

/** The flag that makes the child entry wait for a job instead of reading one. */
export const SPARE_FLAG = '--threadkit-spare';

const state = stateSlot('mp.spare', () => ({ spare: null as Spare | null }));

function envKey(): string {
  return JSON.stringify(process.env);
}

/** Drop our ends of its pipes (once: descriptor numbers are reused after a close). */
function release(spare: Spare): void {
  if (spare.released) return;
  spare.released = true;
  closeQuietly(spare.jobW); // an unused spare reads end of file and exits
  closeQuietly(spare.ackR);
  closeQuietly(spare.ackNb);
}

function spawnSpare(): Spare | null {
  const job = newFifo();
  const ack = newFifo();
  let child: ChildProcess;
  try {
    child = fork(childEntry(), [SPARE_FLAG], {
      stdio: ['ignore', 'inherit', 'inherit', job.r, 'ipc', ack.w],
      execArgv: childExecArgv(),
      serialization: 'json',
    });
  } finally {
    for (const fd of [job.r, job.nb, ack.w]) closeQuietly(fd);
  }
  if (child.pid === undefined) {
    child.on('error', () => {});
    for (const fd of [job.w, ack.r, ack.nb]) closeQuietly(fd);
    return null;
  }
  const spare: Spare = {
    child,
    pid: child.pid,
    jobW: job.w,
    ackR: ack.r,
    ackNb: ack.nb,
    ready: false,
    cwd: process.cwd(),
    env: envKey(),
    rec: 0,
    dead: false,
    released: false,
  };
  child.on('exit', (code, signal) => {
    spare.dead = true;
    if (spare.rec) childExited(spare.rec, exitCodeFromEvent(code, signal));
    else release(spare);
    if (state.spare === spare) state.spare = null;
  });
  detach(child);
  return spare;
}

/**
 * Have a spare booting for the next `start()`. Forking is synchronous (about a millisecond):
 * a program that starts processes in a tight synchronous loop would otherwise never give an
 * asynchronous spawn the chance to run.
 */
export function ensureSpare(): void {
  if (state.spare && !state.spare.dead) return;
  state.spare = spawnSpare();
}

/** Whether the spare has booted (it writes a byte when it starts waiting for a job). */
function isReady(spare: Spare): boolean {
  if (!spare.ready) spare.ready = readNow(spare.ackNb, Buffer.alloc(1), 0, 1) === 1;
  return spare.ready;
}

/**
 * The spare, if it can take a job now. One still booting is kept for a later start: waiting
 * for it would make a burst of starts boot one after the other instead of all at once.
 */
function takeSpare(): Spare | null {
  const spare = state.spare;
  if (!spare) return null;
  if (spare.dead || spare.cwd !== process.cwd() || spare.env !== envKey()) {
    state.spare = null;
    if (!spare.dead) spare.child.kill();
    release(spare);
    return null;
  }
  if (!isReady(spare)) return null;
  state.spare = null;
  return spare;
}

/**
 * Give the job of record `rec` to the spare, if there is a usable one. Returns false when the
 * child must be started fresh instead.
 */
export function startWarm(rec: number, job: ProcessJob, ctx: FdContext): boolean {
  const spare = takeSpare();
  if (!spare) return false;
  const holds: number[] = [];
  let ok = false;
  try {
    for (const fd of ctx.fds) holds.push(openSync(`/proc/self/fd/${fd}`, constants.O_RDWR));
    const body = serialize({
      ...job,
      fds: { how: 'reopen', ppid: process.pid, fds: holds, modes: ctx.modes },
    } satisfies ProcessJob);
    const frame = Buffer.allocUnsafe(4 + body.length);
    frame.writeUInt32BE(body.length, 0);
    body.copy(frame, 4);
    writeFully(spare.jobW, frame);
    const answer = Buffer.alloc(1);
    ok = readFully(spare.ackR, answer, 0, 1) === 1 && answer[0] === 1;
  } catch {
    ok = false;
  } finally {
    for (const fd of holds) closeQuietly(fd);
  }
  release(spare);
  if (!ok) {
    if (!spare.dead) spare.child.kill();
    return false;
  }
  spare.rec = rec;
  adoptChild(rec, spare.pid);
  return true;
}
