/**
 * DistributedExecutor against a real redis-server and real `threadkit-worker` processes: two
 * workers, one in the test app and one in a copy of it elsewhere, so module targets must be
 * found relative to each worker's project root.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Lock } from '@threadkit/core';
import { asCompleted, wait } from '@threadkit/pool';
import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConnectionError, DistributedExecutor, ResultTooLarge } from '../src/index.js';
import { bytes, fail, flaky, Scale, sleep, square, where } from './fixtures/app/tasks.js';
import {
  APP_DIR,
  copyOfApp,
  killAll,
  startWorkerProcess,
  until,
  type WorkerProcess,
} from './helpers.js';
import { freePort, type RedisServer, startRedis } from './redis-server.js';

const QUEUE = 'tasks';
let redis: RedisServer;
let workers: WorkerProcess[] = [];
let copy: { dir: string; remove(): void };
let ex: DistributedExecutor;
let scratch: string;

beforeAll(async () => {
  redis = await startRedis();
  copy = copyOfApp();
  scratch = mkdtempSync(join(tmpdir(), 'threadkit-dist-'));
  // Two workers, one task at a time each, in two copies of the project.
  workers = await Promise.all([
    startWorkerProcess(redis.url, QUEUE, APP_DIR),
    startWorkerProcess(redis.url, QUEUE, copy.dir),
  ]);
  ex = new DistributedExecutor({ connection: redis.url, queue: QUEUE, connectTimeout: 5 });
});

afterAll(async () => {
  await ex?.shutdown({ cancelFutures: true });
  await killAll(workers);
  await redis?.dispose();
  copy?.remove();
  rmSync(scratch, { recursive: true, force: true });
});

describe('DistributedExecutor', () => {
  it('runs inline, module and class-instance targets on the workers', async () => {
    expect(await ex.submit((a: number, b: number) => a + b, 2, 3).result(30)).toBe(5);
    expect(await ex.submit(square, 12).result(30)).toBe(144);
    expect(await ex.submit(new Scale(3) as any, 7).result(30)).toBe(21);
    const pid = (await ex.submit(where, 'x').result(30)).pid;
    expect(workers.map((w) => w.pid)).toContain(pid);
    expect(pid).not.toBe(process.pid);
  });

  it('finds module targets in each worker’s own copy of the project', async () => {
    const fs = Array.from({ length: 12 }, (_, i) => ex.submit(where, i, 150));
    const results = await Promise.all(fs.map((f) => f.result(30)));
    expect(results.map((r) => r.tag)).toEqual(Array.from({ length: 12 }, (_, i) => i));
    const files = new Set(results.map((r) => r.file));
    expect(files).toEqual(new Set([join(APP_DIR, 'tasks.ts'), join(copy.dir, 'tasks.ts')]));
  });

  it('sends arguments and results by v8 serialisation', async () => {
    const value = { m: new Map([[1, new Set(['a'])]]), t: new Float64Array([1.5]), d: new Date(5) };
    const back = await ex.submit((v: unknown) => v, value).result(30);
    expect(back).toEqual(value);
    expect((back as typeof value).t).toBeInstanceOf(Float64Array);
  });

  it('map: input order, chunksize, buffersize, several iterables', async () => {
    const xs = Array.from({ length: 40 }, (_, i) => i);
    const plain: number[] = [];
    for await (const r of ex.map(square, xs)) plain.push(r);
    expect(plain).toEqual(xs.map((x) => x * x));
    const chunked: number[] = [];
    for await (const r of ex.map(square, xs, { chunksize: 7 })) chunked.push(r);
    expect(chunked).toEqual(plain);
    const zipped: number[] = [];
    for await (const r of ex.map((a: number, b: number) => a * b, [1, 2, 3], [4, 5, 6, 7])) {
      zipped.push(r);
    }
    expect(zipped).toEqual([4, 10, 18]);
    function* naturals() {
      for (let i = 0; ; i++) yield i;
    }
    const lazy: number[] = [];
    for await (const r of ex.map(square, naturals(), { buffersize: 3 })) {
      lazy.push(r);
      if (lazy.length === 10) break;
    }
    expect(lazy).toEqual(xs.slice(0, 10).map((x) => x * x));
  });

  it('map timeout: TimeoutError, and the calls not started are cancelled', async () => {
    const it = ex.map(sleep, [2000, 2000, 2000, 2000], ['a', 'b', 'c', 'd'], { timeout: 0.3 });
    await expect(it.next()).rejects.toMatchObject({ name: 'TimeoutError' });
  });

  it("a task's exception comes back with its name, message, stack and fields", async () => {
    const err = (await ex.submit(fail, 'bad input').exception(30)) as Error & { code: string };
    expect(err).toBeInstanceOf(Error);
    expect(err.name).toBe('TaskFailure');
    expect(err.message).toBe('bad input');
    expect(err.code).toBe('E_TASK');
    expect(err.stack).toContain('tasks.ts');
    const ref = (await ex.submit(() => (globalThis as any).nope.x).exception(30)) as Error;
    expect(ref.name).toBe('TypeError');
    const captured = 5;
    const hint = (await ex.submit(() => captured).exception(30)) as Error;
    expect(hint.name).toBe('ReferenceError');
    expect(hint.message).toContain('captured');
  });

  it('refuses at submit what cannot cross, naming its path', () => {
    expect(() => ex.submit((o: unknown) => o, { f: () => 1 })).toThrow(/args\[0\]\.f/);
    expect(() => ex.submit((o: unknown) => o, [1, new Lock()])).toThrow(/args\[0\]\[1\]/);
    expect(() => ex.submit(Math.max, 1)).toThrow(/native/);
    expect(() => ex.submit(42 as any)).toThrow(TypeError);
  });

  it('works with wait, asCompleted and done callbacks', async () => {
    const fs = [ex.submit(sleep, 300, 'slow'), ex.submit(square, 3)];
    let called = 0;
    fs[1].addDoneCallback(() => called++);
    const { done } = await wait(fs, { returnWhen: 'FIRST_COMPLETED', timeout: 30 });
    expect(done.has(fs[1])).toBe(true);
    const order: unknown[] = [];
    for await (const f of asCompleted(fs, 30)) order.push(await f.result());
    expect(order).toEqual([9, 'slow']);
    expect(called).toBe(1);
  });

  it('cancel: a waiting job is removed (true); a running one is not (false)', async () => {
    const queue = new Queue(QUEUE, { connection: { url: redis.url } });
    try {
      // Both workers busy, so the third call waits in Redis.
      const busy = [ex.submit(sleep, 1500, 1), ex.submit(sleep, 1500, 2)];
      await until(() => busy.every((f) => f.running()), 20, 'both calls running');
      const waiting = ex.submit(square, 4);
      const waitingCount = async () => queue.getWaitingCount();
      const end = performance.now() + 10_000;
      while ((await waitingCount()) === 0 && performance.now() < end) {
        await new Promise((r) => setTimeout(r, 20));
      }
      expect(await waitingCount()).toBe(1);
      expect(waiting.cancel()).toBe(true);
      expect(waiting.cancelled()).toBe(true);
      while ((await waitingCount()) !== 0 && performance.now() < end) {
        await new Promise((r) => setTimeout(r, 20));
      }
      expect(await waitingCount()).toBe(0);
      expect(busy[0].cancel()).toBe(false);
      expect(await Promise.all(busy.map((f) => f.result(30)))).toEqual([1, 2]);
      await expect(waiting.result()).rejects.toMatchObject({ name: 'CancelledError' });
    } finally {
      await queue.close();
    }
  });

  it('calls submitted together travel as one batch; one cancelled before it left never runs', async () => {
    const marker = join(scratch, 'cancelled-in-batch');
    const fs = Array.from({ length: 40 }, (_, i) => ex.submit(square, i));
    const cancelled = ex.submit(flaky, marker, 1); // would write `marker` if it ran
    const after = Array.from({ length: 10 }, (_, i) => ex.submit(square, 40 + i));
    expect(cancelled.cancel()).toBe(true);
    const results = await Promise.all([...fs, ...after].map((f) => f.result(30)));
    expect(results).toEqual(Array.from({ length: 50 }, (_, i) => i * i));
    expect(cancelled.cancelled()).toBe(true);
    expect(existsSync(marker)).toBe(false);
  });

  it('retries: attempts and backoff', async () => {
    await using retrying = new DistributedExecutor({
      connection: redis.url,
      queue: QUEUE,
      attempts: 3,
      backoff: { type: 'fixed', delay: 10 },
    });
    const counter = join(scratch, 'flaky-1');
    expect(await retrying.submit(flaky, counter, 3).result(30)).toBe(3);
    const err = (await retrying.submit(flaky, join(scratch, 'flaky-2'), 5).exception(30)) as Error;
    expect(err.message).toBe('run 3 fails');
  });

  it('per-task timeout: TimeoutError naming the task', async () => {
    await using timed = new DistributedExecutor({
      connection: redis.url,
      queue: QUEUE,
      timeout: 0.3,
    });
    const err = (await timed.submit(sleep, 1500, 'late').exception(30)) as Error;
    expect(err.name).toBe('TimeoutError');
    expect(err.message).toMatch(/task sleep.*0\.3 s/);
  });

  it('a result over maxResultBytes fails its future with ResultTooLarge', async () => {
    await using small = new DistributedExecutor({
      connection: redis.url,
      queue: QUEUE,
      maxResultBytes: 1000,
    });
    expect((await small.submit(bytes, 100).result(30)).length).toBe(100);
    const err = (await small.submit(bytes, 5000).exception(30)) as Error;
    expect(err).toBeInstanceOf(ResultTooLarge);
    expect(err.message).toMatch(/bytes, over the limit of 1000 bytes/);
  });

  it('shutdown: waits, cancels on request, then refuses new calls', async () => {
    const own = new DistributedExecutor({ connection: redis.url, queue: QUEUE });
    const fs = [1, 2, 3, 4, 5, 6].map((i) => own.submit(sleep, 500, i));
    await until(() => fs[0].running(), 30, 'the first call running');
    await own.shutdown({ wait: true, cancelFutures: true });
    expect(fs.every((f) => f.done())).toBe(true);
    // The ones a worker had started finished; the others were cancelled (two workers).
    const finished = fs.filter((f) => !f.cancelled());
    expect(finished).toContain(fs[0]);
    expect(finished.length).toBeLessThanOrEqual(2);
    for (const f of finished) expect(await f.result()).toBe(fs.indexOf(f) + 1);
    expect(() => own.submit(square, 1)).toThrow(/cannot schedule new futures after shutdown/);
  });

  it('Redis unreachable at submit: the future fails with ConnectionError, no hang', async () => {
    const port = await freePort();
    await using nowhere = new DistributedExecutor({
      connection: `redis://127.0.0.1:${port}`,
      queue: QUEUE,
      connectTimeout: 1,
    });
    const t0 = performance.now();
    const err = (await nowhere.submit(square, 2).exception(30)) as Error;
    expect(err).toBeInstanceOf(ConnectionError);
    expect(err.message).toContain(`127.0.0.1:${port}`);
    expect(performance.now() - t0).toBeLessThan(15_000);
  });

  it('--processes: tasks run in the worker’s child processes', async () => {
    const procs = await startWorkerProcess(redis.url, 'procs', copy.dir, ['--processes']);
    try {
      await using own = new DistributedExecutor({ connection: redis.url, queue: 'procs' });
      const r = await own.submit(where, 'p').result(60);
      expect(r.file).toBe(join(copy.dir, 'tasks.ts'));
      expect([process.pid, procs.pid, ...workers.map((w) => w.pid)]).not.toContain(r.pid);
    } finally {
      await killAll([procs]);
    }
  });

  it('checks its options', () => {
    expect(() => new DistributedExecutor({ connection: 'http://x', queue: QUEUE })).toThrow(
      /redis/,
    );
    expect(() => new DistributedExecutor({ connection: redis.url, queue: '' })).toThrow(/queue/);
    expect(
      () => new DistributedExecutor({ connection: redis.url, queue: QUEUE, attempts: 0 }),
    ).toThrow(/attempts/);
  });
});
