/**
 * @threadkit/pool — Python's `concurrent.futures` and `multiprocessing.Pool` for Node.js:
 * thread pools on piscina, process pools on child processes of our own (internal/process-slot.ts),
 * an async executor on p-queue.
 * This file is the whole public surface; everything else is internal.
 */
export {
  BrokenExecutor,
  BrokenProcessPool,
  BrokenThreadPool,
  CancelledError,
  InvalidStateError,
  RuntimeError,
  TimeoutError,
  ValueError,
} from '@threadkit/core';
export { AsyncExecutor, type AsyncExecutorOptions } from './async-executor.js';
export { AsyncResult, IMapIterator } from './async-result.js';
export { Executor, type MapOptions, type ShutdownOptions } from './executor.js';
export { type DoneCallback, Future, type FutureState } from './future.js';
export { Pool, type PoolOptions, ThreadPool } from './pool.js';
export { ProcessPoolExecutor, type ProcessPoolExecutorOptions } from './process-pool-executor.js';
export { ThreadPoolExecutor, type ThreadPoolExecutorOptions } from './thread-pool-executor.js';
export {
  ALL_COMPLETED,
  asCompleted,
  type DoneAndNotDoneFutures,
  FIRST_COMPLETED,
  FIRST_EXCEPTION,
  type ReturnWhen,
  type WaitOptions,
  wait,
} from './wait.js';
