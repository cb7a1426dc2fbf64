/**
 * The same executor on BullMQ's PostgreSQL backend: a cluster of its own (initdb/pg_ctl on a
 * free port) and a `threadkit-worker --connection postgres://…` process.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConnectionError, DistributedExecutor } from '../src/index.js';
import { fail, square, where } from './fixtures/app/tasks.js';
import { APP_DIR, killAll, startWorkerProcess, type WorkerProcess } from './helpers.js';
import { type PostgresServer, startPostgres } from './postgres-server.js';
import { freePort } from './redis-server.js';

let pg: PostgresServer;
let workers: WorkerProcess[] = [];
let ex: DistributedExecutor;

beforeAll(async () => {
  pg = await startPostgres();
  workers = [await startWorkerProcess(pg.url, 'pg-tasks', APP_DIR)];
  ex = new DistributedExecutor({ connection: pg.url, queue: 'pg-tasks', connectTimeout: 5 });
}, 60_000);

afterAll(async () => {
  await ex?.shutdown({ cancelFutures: true });
  await killAll(workers);
  await pg?.dispose();
});

describe('DistributedExecutor on PostgreSQL', () => {
  it('runs inline and module targets, a burst and a map, on a worker', async () => {
    expect(await ex.submit((a: number, b: number) => a * b, 6, 7).result(30)).toBe(42);
    expect((await ex.submit(where, 'pg').result(30)).pid).toBe(workers[0]?.pid);
    const fs = Array.from({ length: 30 }, (_, i) => ex.submit(square, i));
    expect(await Promise.all(fs.map((f) => f.result(30)))).toEqual(fs.map((_, i) => i * i));
    const mapped: number[] = [];
    for await (const v of ex.map(square, [1, 2, 3, 4, 5], { chunksize: 2 })) mapped.push(v);
    expect(mapped).toEqual([1, 4, 9, 16, 25]);
  });

  it("a task's exception comes back with its name and message", async () => {
    const err = (await ex.submit(fail, 'from pg').exception(30)) as Error;
    expect(err.name).toBe('TaskFailure');
    expect(err.message).toContain('from pg');
  });

  it('PostgreSQL unreachable at submit: ConnectionError naming it, no hang', async () => {
    const port = await freePort();
    const nowhere = new DistributedExecutor({
      connection: `postgres://postgres@127.0.0.1:${port}/postgres`,
      queue: 'pg-tasks',
      connectTimeout: 1,
    });
    const err = (await nowhere.submit(square, 2).exception(30)) as Error;
    expect(err).toBeInstanceOf(ConnectionError);
    expect(err.message).toMatch(/cannot reach PostgreSQL at postgres:\/\/\*\*\*@127\.0\.0\.1/);
    await nowhere.shutdown();
  });
});
