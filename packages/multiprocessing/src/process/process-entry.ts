/**
 * The program of every child process: read the job from descriptor 3, become the Process it
 * describes (its record is `currentProcess()` from every thread), run the target, and exit
 * with Python's exit codes — 0, the code given to `process.exit()`, or 1 after printing an
 * uncaught error as `Process NAME:` and the stack. Part of the package's bundle (src/lib.ts);
 * `dist/process-entry.cjs` loads the bundle with its code cache and calls {@link runChild}.
 */
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { format } from 'node:util';
import { deserialize } from 'node:v8';
import {
  decodeShared,
  explainInlineError,
  rebuildInstance,
  setProcessName,
  writeWhole,
} from '@threadkit/core/internal';
import { resolveChildTarget } from './inline.js';
import '../index.js'; // registers every process-shared type, so any argument revives here
import { flushAll } from '../internal/hooks.js';
import { withFdTable, withFdTableAsync } from '../internal/transfer.js';
import { readFully, writeFully } from '../os/fd.js';
import type { ProcessJob } from './job.js';
import { adoptRecord, type Process, processForRecord } from './process.js';
import {
  F_DAEMON,
  F_PARENT,
  F_SELF,
  newRecord,
  PROC_RECORD,
  readName,
  STARTED,
  setBootstrapping,
  setIdentity,
  setParentRecord,
  setSelfRecord,
  setWord,
  writeName,
} from './record.js';
import { SPARE_FLAG } from './spare.js';

/** Descriptor numbers of the passed objects start here in a fresh child (see spawn.ts). */
const FIRST_PASSED_FD = 5;
const OPEN_MODE = { r: constants.O_RDONLY, w: constants.O_WRONLY, rw: constants.O_RDWR } as const;
/** Bytes a spare writes on descriptor 5: booted; job accepted; job refused. */
const READY = 3;

/** A fresh child: the job is a file inherited as descriptor 3; passed descriptors follow 4 (IPC). */
function readJobFile(): ProcessJob {
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

/**
 * A spare (warm) child: wait for a job on the pipe at descriptor 3, open the passed
 * descriptors through the parent's /proc entries, acknowledge on descriptor 5. End of file
 * means the parent has no job for us (or is gone): exit quietly.
 */
function waitForJob(): { job: ProcessJob; table: number[] } {
  try {
    writeFully(5, Buffer.from([READY])); // booted: the parent may hand us a job now
  } catch {
    process.exit(0);
  }
  const header = Buffer.alloc(4);
  if (readFully(3, header, 0, 4) < 4) process.exit(0);
  const body = Buffer.allocUnsafe(header.readUInt32BE(0));
  if (readFully(3, body, 0, body.length) < body.length) process.exit(0);
  const job = deserialize(body) as ProcessJob;
  const table: number[] = [];
  let answer = 1;
  try {
    if (job.fds.how === 'reopen') {
      const { ppid, fds, modes } = job.fds;
      for (let i = 0; i < fds.length; i++)
        table.push(openSync(`/proc/${ppid}/fd/${fds[i]}`, OPEN_MODE[modes[i]]));
    }
  } catch {
    answer = 2; // the parent starts the child fresh instead
  }
  try {
    writeFully(5, Buffer.from([answer]));
  } catch {}
  closeSync(3);
  closeSync(5);
  if (answer !== 1) process.exit(0);
  return { job, table };
}

function readJob(): { job: ProcessJob; table: number[] } {
  if (process.argv.includes(SPARE_FLAG)) return waitForJob();
  const job = readJobFile();
  const count = job.fds.how === 'inherited' ? job.fds.count : 0;
  return { job, table: Array.from({ length: count }, (_, k) => FIRST_PASSED_FD + k) };
}

function becomeProcess(job: ProcessJob): number {
  const rec = newRecord();
  writeName(rec, job.name);
  setWord(rec, PROC_RECORD.pid, process.pid);
  setWord(rec, PROC_RECORD.flags, F_SELF | (job.daemon ? F_DAEMON : 0));
  setWord(rec, PROC_RECORD.state, STARTED);
  setSelfRecord(rec);
  setProcessName(job.name); // its thread dumps say which process they come from
  setIdentity(job.identity);
  const parent = newRecord();
  writeName(parent, job.parent.name);
  setWord(parent, PROC_RECORD.pid, job.parent.pid);
  setWord(parent, PROC_RECORD.startTime, job.parent.startTime | 0);
  setWord(parent, PROC_RECORD.flags, F_PARENT);
  setWord(parent, PROC_RECORD.state, STARTED);
  setParentRecord(parent);
  return rec;
}

async function main(): Promise<void> {
  const { job, table } = readJob();
  const rec = becomeProcess(job);
  if (job.daemon) {
    // A daemon child ends with its parent, even one that died without running its exit hook
    // (its IPC channel closes); a parent already gone by now ends it at once.
    const orphaned = () => process.kill(process.pid, 'SIGTERM');
    process.on('disconnect', orphaned);
    if (!process.connected) orphaned();
  }
  (process.channel as { unref?: () => void } | undefined)?.unref?.();
  let code: number | undefined;
  setBootstrapping(true);
  try {
    if (job.spec?.kind === 'instance') {
      // rebuildInstance imports the module, then decodes the fields: keep the table until then.
      const spec = job.spec;
      const obj = (await withFdTableAsync(table, () =>
        rebuildInstance(spec, (o) => adoptRecord(o, rec)),
      )) as Process;
      setBootstrapping(false);
      await obj.run();
    } else {
      processForRecord(rec);
      if (job.spec) {
        const fn = await resolveChildTarget(job.spec);
        setBootstrapping(false);
        const [args, kwargs] = withFdTable(table, () => [
          decodeShared(job.args) as unknown[],
          job.hasKwargs ? decodeShared(job.kwargs) : undefined,
        ]);
        await (job.hasKwargs ? fn(...args, kwargs) : fn(...args));
      }
    }
    await flushAll();
  } catch (err) {
    setBootstrapping(false);
    if (job.spec) explainInlineError(err, job.spec);
    const text = err instanceof Error ? (err.stack ?? `${err.name}: ${err.message}`) : format(err);
    writeWhole(2, `Process ${readName(rec)}:\n${text}\n`);
    code = 1;
  }
  // As Python's child: it ends when run() returns (threads are joined by the exit hooks).
  process.exit(code);
}

/** Run this child process's job (called once, by `dist/process-entry.cjs`). */
export function runChild(): void {
  void main();
}
