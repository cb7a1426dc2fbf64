/** Test helpers for @threadkit/pool: futures in every state, stderr capture, child scripts. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Future } from '@threadkit/pool';

export const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), 'fixtures');

/** CPython's `create_future(state=…)`, built through the public state machine. */
export function createFuture(
  state: 'PENDING' | 'RUNNING' | 'CANCELLED' | 'CANCELLED_AND_NOTIFIED' | 'FINISHED',
  outcome: { result?: unknown; exception?: unknown } = {},
): Future<any> {
  const f = new Future<any>();
  if (state === 'RUNNING') f.setRunningOrNotifyCancel();
  if (state === 'CANCELLED' || state === 'CANCELLED_AND_NOTIFIED') f.cancel();
  if (state === 'CANCELLED_AND_NOTIFIED') f.setRunningOrNotifyCancel();
  if (state === 'FINISHED') {
    if ('exception' in outcome) f.setException(outcome.exception);
    else f.setResult(outcome.result);
  }
  return f;
}

/** Fresh futures in the states CPython's tests keep as module constants. */
export function stateFutures() {
  return {
    PENDING_FUTURE: createFuture('PENDING'),
    RUNNING_FUTURE: createFuture('RUNNING'),
    CANCELLED_FUTURE: createFuture('CANCELLED'),
    CANCELLED_AND_NOTIFIED_FUTURE: createFuture('CANCELLED_AND_NOTIFIED'),
    EXCEPTION_FUTURE: createFuture('FINISHED', { exception: new Error('OSError') }),
    SUCCESSFUL_FUTURE: createFuture('FINISHED', { result: 42 }),
  };
}

/** Run `fn` with everything written to process.stderr captured. */
export async function captureStderr(fn: () => unknown): Promise<string> {
  const original = process.stderr.write.bind(process.stderr);
  let text = '';
  process.stderr.write = ((chunk: string | Uint8Array) => {
    text += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    return true;
  }) as typeof process.stderr.write;
  try {
    await fn();
  } finally {
    process.stderr.write = original;
  }
  return text;
}

/** Collect an async iterable into an array. */
export async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

/** Whether a promise is still pending after the event loop had a few turns. */
export async function isPending(p: Promise<unknown>): Promise<boolean> {
  let settled = false;
  p.then(
    () => {
      settled = true;
    },
    () => {
      settled = true;
    },
  );
  for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
  return !settled;
}

export interface ChildResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Run an ESM snippet as a child `node` (it can import @threadkit/pool and @threadkit/core). */
export function runScript(code: string, timeoutMs = 60_000): ChildResult {
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', code], {
    cwd: FIXTURES,
    encoding: 'utf8',
    timeout: timeoutMs,
    env: { ...process.env, NODE_OPTIONS: '' },
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/**
 * An event that works across threads and processes: a file that appears. Tasks wait for it
 * with the `waitForFile` fixture; `set()` creates it.
 */
export function fileGate(): { path: string; set(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'tk-pool-'));
  const path = join(dir, 'gate');
  return {
    path,
    set: () => {
      writeFileSync(path, '');
    },
  };
}

/** Poll `predicate` (without blocking the event loop) until it holds; fail after `timeoutMs`. */
export async function until(
  predicate: () => boolean,
  what: string,
  timeoutMs = 30_000,
): Promise<void> {
  const end = performance.now() + timeoutMs;
  while (!predicate()) {
    if (performance.now() > end) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
