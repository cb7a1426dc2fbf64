/**
 * The program of every child process: read the job from descriptor 3, become the Process it
 * describes (its record is `currentProcess()` from every thread), run the target, and exit
 * with Python's exit codes — 0, the code given to `process.exit()`, or 1 after printing an
 * uncaught error as `Process NAME:` and the stack.
 */
import { closeSync, fstatSync, readSync } from 'node:fs';
import { format } from 'node:util';
import { deserialize } from 'node:v8';
import {
  decodeShared,
  explainInlineError,
  rebuildInstance,
  writeWhole,
} from '@threadkit/core/internal';
import { resolveChildTarget } from './inline.js';
import '../index.js'; // registers every process-shared type, so any argument revives here
import { flushAll } from '../internal/hooks.js';
import type { ProcessJob } from './job.js';
import { adoptRecord, type Process, processForRecord } from './process.js';
import {
  F_DAEMON,
  F_PARENT,
  F_SELF,
  newRecord,
  P,
  readName,
  STARTED,
  setIdentity,
  setParentRecord,
  setSelfRecord,
  setWord,
  writeName,
} from './record.js';

function readJob(): ProcessJob {
  const size = fstatSync(3).size;
  const buf = Buffer.allocUnsafe(size);
  let off = 0;
  while (off < size) {
    const n = readSync(3, buf, off, size - off, off);
    if (n === 0) break;
    off += n;
  }
  closeSync(3);
  return deserialize(buf.subarray(0, off)) as ProcessJob;
}

function becomeProcess(job: ProcessJob): number {
  const rec = newRecord();
  writeName(rec, job.name);
  setWord(rec, P.pid, process.pid);
  setWord(rec, P.flags, F_SELF | (job.daemon ? F_DAEMON : 0));
  setWord(rec, P.state, STARTED);
  setSelfRecord(rec);
  setIdentity(job.identity);
  const parent = newRecord();
  writeName(parent, job.parent.name);
  setWord(parent, P.pid, job.parent.pid);
  setWord(parent, P.startTime, job.parent.startTime | 0);
  setWord(parent, P.flags, F_PARENT);
  setWord(parent, P.state, STARTED);
  setParentRecord(parent);
  return rec;
}

async function main(): Promise<void> {
  const job = readJob();
  const rec = becomeProcess(job);
  if (job.daemon) {
    // A daemon child ends with its parent, even one that died without running its exit hook.
    process.on('disconnect', () => process.kill(process.pid, 'SIGTERM'));
  }
  (process.channel as { unref?: () => void } | undefined)?.unref?.();
  let code: number | undefined;
  try {
    if (job.spec?.kind === 'instance') {
      const obj = (await rebuildInstance(job.spec, (o) => adoptRecord(o, rec))) as Process;
      await obj.run();
    } else {
      processForRecord(rec);
      if (job.spec) {
        const fn = await resolveChildTarget(job.spec);
        const args = decodeShared(job.args) as unknown[];
        await (job.hasKwargs ? fn(...args, decodeShared(job.kwargs)) : fn(...args));
      }
    }
    await flushAll();
  } catch (err) {
    if (job.spec) explainInlineError(err, job.spec);
    const text = err instanceof Error ? (err.stack ?? `${err.name}: ${err.message}`) : format(err);
    writeWhole(2, `Process ${readName(rec)}:\n${text}\n`);
    code = 1;
  }
  // As Python's child: it ends when run() returns (threads are joined by the exit hooks).
  process.exit(code);
}

void main();
