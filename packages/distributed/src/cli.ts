#!/usr/bin/env node
/**
 * `threadkit-worker --connection redis://…|postgres://… --queue NAME [--concurrency N] [--processes]`:
 * a worker for DistributedExecutor's tasks. SIGTERM (or SIGINT) stops it gracefully: the
 * running tasks finish and report, no new ones are taken, and it exits 0.
 */
import { parseArgs } from 'node:util';
import { startWorker, type WorkerOptions } from './worker.js';

const USAGE = `usage: threadkit-worker --connection redis://HOST:PORT|postgres://USER@HOST:PORT/DB --queue NAME [--concurrency N] [--processes]
  [--root DIR] [--prefix PREFIX] [--lock-duration MS] [--stalled-interval MS] [--max-stalled-count N]`;

function int(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0)
    throw new TypeError(`--${name} must be a whole number, not ${value}`);
  return n;
}

function parse(argv: string[]): WorkerOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      connection: { type: 'string' },
      queue: { type: 'string' },
      concurrency: { type: 'string' },
      processes: { type: 'boolean' },
      root: { type: 'string' },
      prefix: { type: 'string' },
      'lock-duration': { type: 'string' },
      'stalled-interval': { type: 'string' },
      'max-stalled-count': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  }
  if (!values.connection || !values.queue)
    throw new TypeError('--connection and --queue are required');
  return {
    connection: values.connection,
    queue: values.queue,
    concurrency: int(values.concurrency, 'concurrency'),
    processes: values.processes ?? false,
    root: values.root,
    prefix: values.prefix,
    lockDuration: int(values['lock-duration'], 'lock-duration'),
    stalledInterval: int(values['stalled-interval'], 'stalled-interval'),
    maxStalledCount: int(values['max-stalled-count'], 'max-stalled-count'),
  };
}

async function main(): Promise<void> {
  let options: WorkerOptions;
  try {
    options = parse(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(`threadkit-worker: ${(err as Error).message}\n${USAGE}\n`);
    process.exit(2);
  }
  const worker = await startWorker(options);
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stderr.write(`threadkit-worker: ${signal}: finishing the running tasks\n`);
    worker.close().then(
      () => process.exit(0),
      (err) => {
        process.stderr.write(`threadkit-worker: ${String(err)}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  // One line that says where it runs, for logs (and tests that wait for it).
  process.stdout.write(
    `threadkit-worker ready: queue ${options.queue}, root ${worker.root}, pid ${process.pid}\n`,
  );
}

main().catch((err) => {
  process.stderr.write(`threadkit-worker: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
