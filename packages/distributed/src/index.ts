/**
 * @threadkit/distributed — concurrent.futures' Executor across machines, on BullMQ and Redis
 * (docs/CONTRACT.md §5b). This file is the whole public surface; everything else is internal.
 */
export type { Connection, PostgresStore } from './connection.js';
export { ConnectionError, JobLost, KilledWorker, ResultTooLarge } from './errors.js';
export {
  type Backoff,
  DistributedExecutor,
  type DistributedExecutorOptions,
} from './executor.js';
export { type DistributedWorker, startWorker, type WorkerOptions } from './worker.js';
