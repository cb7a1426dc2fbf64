/**
 * @threadkit/core — Python's `threading` and `queue`, on worker_threads and shared memory.
 * This file is the whole public surface; everything else is internal.
 */
export {
  BrokenBarrierError,
  BrokenExecutor,
  BrokenProcessPool,
  BrokenThreadPool,
  CancelledError,
  DataCloneError,
  Empty,
  EOFError,
  Full,
  InvalidStateError,
  OverflowError,
  RuntimeError,
  ShutDown,
  ThreadError,
  TimeoutError,
  ValueError,
} from './errors.js';
export { TIMEOUT_MAX } from './timeout.js';
export { Lock } from './sync/lock.js';
export type { AcquireOptions } from './sync/acquire-args.js';
export type { Held } from './sync/lockable.js';
export { getIdent, getNativeId } from './threads/registry.js';
export { threadable } from './targets/threadable.js';
