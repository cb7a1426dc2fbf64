/**
 * What a worker's local pool thread (or process) runs for a job: unpack the task, resolve its
 * target in this worker's copy of the code, make the call (or the calls of a map chunk), and
 * pack the result. All of it happens here, not on the worker's main thread, which is left to
 * talk to Redis (the main thread is what limits a worker's rate of small tasks).
 */
import { serialize } from 'node:v8';
import { threadable } from '@threadkit/core';
import { explainInlineError, resolveTarget } from '@threadkit/core/internal';
import { ResultTooLarge } from './errors.js';
import { CodeBase } from './module-ref.js';
import { type TaskPayload, unpack } from './wire.js';

/** Set on an error that running the job again would only repeat (the worker does not retry). */
export const FINAL = 'threadkitFinal';

const codeBases = new Map<string, CodeBase>();

function final(err: unknown): never {
  const e = err instanceof Error ? err : new Error(String(err));
  Object.defineProperty(e, FINAL, { value: true, enumerable: true, configurable: true });
  throw e;
}

/**
 * Run the packed task `packed` (job `jobId`'s `p`) with module targets found under `root`; the
 * base64 v8 serialisation of its result. A task's own exception is thrown as it is; an error
 * in the job itself (its code missing, a result that cannot travel) carries {@link FINAL}.
 */
export const runTask = threadable(
  import.meta.url,
  async function runTask(
    root: string,
    packed: string,
    name: string,
    jobId: string,
    maxResultBytes: number | null,
  ): Promise<string> {
    let code = codeBases.get(root);
    if (!code) codeBases.set(root, (code = new CodeBase(root)));
    let task: TaskPayload;
    let spec: ReturnType<CodeBase['localSpec']>;
    try {
      task = unpack(packed) as TaskPayload;
      spec = code.localSpec(task.spec);
    } catch (err) {
      final(err);
    }
    let value: unknown;
    try {
      const fn = await resolveTarget(spec);
      if (task.k === 'call') value = await fn(...task.args);
      else {
        const results: unknown[] = [];
        for (const args of task.argsList) results.push(await fn(...args));
        value = results;
      }
    } catch (err) {
      throw explainInlineError(err, spec);
    }
    let bytes: Buffer;
    try {
      bytes = serialize(value);
    } catch (err) {
      final(
        new TypeError(`the result of task ${name} cannot be sent back: ${(err as Error).message}`),
      );
    }
    if (maxResultBytes !== null && bytes.length > maxResultBytes) {
      final(
        new ResultTooLarge(
          `the result of task ${name} (job ${jobId}) is ${bytes.length} bytes, ` +
            `over the limit of ${maxResultBytes} bytes (the executor's maxResultBytes)`,
        ),
      );
    }
    return bytes.toString('base64');
  },
  'threadkit.distributed.runTask',
);
