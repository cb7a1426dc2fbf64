/**
 * Failure semantics against a real redis-server and real worker processes (the package
 * README's "Failures" section): a killed worker's job runs again elsewhere and its future
 * settles once; a job that keeps killing workers fails with KilledWorker; SIGTERM lets the
 * running task finish and takes no new one; a Redis restart mid-run does not strand futures;
 * a Redis that is gone fails them with ConnectionError.
 *
 * The tests run in order and share one Redis (persistent, so that it can restart with its
 * jobs) and one queue; the workers detect stalled jobs fast (lock 1 s, check every 0.3 s).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConnectionError, DistributedExecutor, KilledWorker } from '../src/index.js';
import { crash, sleep, square, where } from './fixtures/app/tasks.js';
import {
  APP_DIR,
  copyOfApp,
  killAll,
  startWorkerProcess,
  until,
  type WorkerProcess,
} from './helpers.js';
import { type RedisServer, startRedis } from './redis-server.js';

const QUEUE = 'failures';
const FAST_STALLS = [
  '--lock-duration',
  '1000',
  '--stalled-interval',
  '300',
  '--max-stalled-count',
  '1',
];
let redis: RedisServer;
let copy: { dir: string; remove(): void };
let scratch: string;
let ex: DistributedExecutor;
const started: WorkerProcess[] = [];

function worker(cwd: string, args: string[] = []): Promise<WorkerProcess> {
  return startWorkerProcess(redis.url, QUEUE, cwd, [...FAST_STALLS, ...args]).then((w) => {
    started.push(w);
    return w;
  });
}

function alive(w: WorkerProcess): boolean {
  return w.child.exitCode === null && w.child.signalCode === null;
}

beforeAll(async () => {
  redis = await startRedis({ persistent: true });
  copy = copyOfApp();
  scratch = mkdtempSync(join(tmpdir(), 'threadkit-dist-fail-'));
  ex = new DistributedExecutor({ connection: redis.url, queue: QUEUE, connectTimeout: 3 });
});

afterAll(async () => {
  await killAll(started);
  await ex?.shutdown({ wait: false, cancelFutures: true });
  await redis?.dispose();
  copy?.remove();
  rmSync(scratch, { recursive: true, force: true });
});

describe.sequential('failures', () => {
  it('a worker killed mid-task: the job runs again on another worker, its future settles once', async () => {
    const [a, b] = await Promise.all([worker(APP_DIR), worker(copy.dir)]);
    const marker = join(scratch, 'crashed-once');
    const f = ex.submit(crash, marker);
    let settled = 0;
    f.addDoneCallback(() => settled++);
    const result = (await f.result(60)) as { survivedBy: number };
    const victimPid = Number(readFileSync(marker, 'utf8'));
    const [victim, survivor] = victimPid === a.pid ? [a, b] : [b, a];
    expect(victim.pid).toBe(victimPid);
    expect(await victim.exited).toBe('SIGKILL');
    expect(result.survivedBy).toBe(survivor.pid);
    expect(settled).toBe(1);
    expect(f.done() && !f.cancelled()).toBe(true);
  });

  it('a task that kills every worker it runs on fails with KilledWorker naming it', async () => {
    const others = started.filter(alive);
    expect(others.length).toBe(1);
    await worker(APP_DIR); // two workers: the task kills both (maxStalledCount 1: two runs)
    const f = ex.submit(crash, null);
    await until(() => started.filter(alive).length === 0, 60, 'both workers killed');
    // A new worker's stalled-job check finds the job stalled a second time and fails it.
    const checker = await worker(copy.dir);
    const err = (await f.exception(60)) as Error;
    expect(err).toBeInstanceOf(KilledWorker);
    expect(err.name).toBe('KilledWorker');
    expect(err.message).toMatch(/task crash\d* \(job .+\) was running on workers that died/);
    expect(alive(checker)).toBe(true); // it failed the job instead of running it
  });

  it('SIGTERM: the running task finishes and reports, no new one is taken, exit 0', async () => {
    await killAll(started.filter(alive));
    const w = await worker(APP_DIR, ['--concurrency', '2']);
    const running = ex.submit(where, 'last', 1000);
    await until(() => running.running(), 30, 'the task running');
    w.child.kill('SIGTERM');
    await until(() => w.output().includes('SIGTERM: finishing'), 30, 'the worker stopping');
    const later = ex.submit(where, 'later');
    expect((await running.result(30)).pid).toBe(w.pid);
    expect(await w.exited).toBe(0);
    expect(later.done()).toBe(false);
    const next = await worker(copy.dir);
    expect((await later.result(30)).pid).toBe(next.pid); // not the stopping worker
    expect(alive(next)).toBe(true);
  });

  it('Redis restarting mid-run: the running task’s future still settles, new calls work', async () => {
    const f = ex.submit(sleep, 1500, 'survived');
    await until(() => f.running(), 30, 'the task running');
    await redis.restart();
    expect(await f.result(60)).toBe('survived');
    expect(await ex.submit(square, 7).result(60)).toBe(49);
  });

  it('Redis gone: in-flight and new futures fail with ConnectionError, no hang', async () => {
    const f = ex.submit(sleep, 5000, 'never');
    await until(() => f.running(), 30, 'the task running');
    await redis.stop();
    const err = (await f.exception(60)) as Error;
    expect(err).toBeInstanceOf(ConnectionError);
    expect(err.message).toContain(redis.url);
    const late = (await ex.submit(square, 2).exception(60)) as Error;
    expect(late).toBeInstanceOf(ConnectionError);
  });
});
