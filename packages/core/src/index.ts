/**
 * @threadkit/core — Python's `threading` and `queue`, on worker_threads and shared memory.
 * This file is the whole public surface; everything else is internal.
 */

export { type DictSource, SharedDict } from './containers/dict.js';
export type { Key } from './containers/keys.js';
export { SharedList, type SortOptions } from './containers/list.js';
export { SharedSet } from './containers/set.js';
export type { BlockKind } from './diagnostics/blocked.js';
export {
  type Deadlock,
  type DeadlockLink,
  findDeadlocks,
  formatDeadlock,
} from './diagnostics/deadlock.js';
export {
  type BlockedOn,
  dumpThreads,
  formatThreadDump,
  type ThreadDump,
  type ThreadInfo,
} from './diagnostics/dump.js';
export { dumpThreadsLater, installDumpSignal } from './diagnostics/later.js';
export { enableDiagnostics } from './diagnostics/switch.js';
export {
  startDeadlockWatchdog,
  type Watchdog,
  type WatchdogOptions,
} from './diagnostics/watchdog.js';
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
  IndexError,
  InvalidStateError,
  KeyError,
  OverflowError,
  RuntimeError,
  ShutDown,
  ThreadError,
  TimeoutError,
  ValueError,
} from './errors.js';
export { type MemoryStats, memoryStats } from './memory/stats.js';
export type { QueueWaitOptions } from './queue/args.js';
export { Deque, type DequeOptions } from './queue/deque.js';
export type { Comparator } from './queue/heap.js';
export { LifoQueue, PriorityQueue, type PriorityQueueOptions, Queue } from './queue/queue.js';
export { SimpleQueue } from './queue/simple-queue.js';
export type { AcquireOptions } from './sync/acquire-args.js';
export { Barrier } from './sync/barrier.js';
export { BoundedSemaphore } from './sync/bounded-semaphore.js';
export { Condition } from './sync/condition.js';
export { Event } from './sync/event.js';
export { Lock } from './sync/lock.js';
export { type Held, Lockable } from './sync/lockable.js';
export { RLock } from './sync/rlock.js';
export { Semaphore } from './sync/semaphore.js';
export type { WaitOptions } from './sync/wait-args.js';
export { threadable } from './targets/threadable.js';
export { activeCount, currentThread, enumerate, mainThread } from './threads/api.js';
export {
  defaultExcepthook as __excepthook__,
  type ExceptHook,
  type ExceptHookArgs,
  getExcepthook,
  setExcepthook,
} from './threads/excepthook.js';
export { local } from './threads/local.js';
export { print } from './threads/output.js';
export { getIdent, getNativeId } from './threads/registry.js';
export { sleep, sleepAsync } from './threads/sleep.js';
export { Thread, type ThreadOptions } from './threads/thread.js';
export { Timer } from './threads/timer.js';
export { prewarm, setWarmWorkerSettings, type WarmWorkerSettings } from './threads/workers.js';
export { TIMEOUT_MAX } from './timeout.js';
export {
  Array,
  type SharedArray,
  type SharedValue,
  type SharedValueOptions,
  type Typecode,
  Value,
} from './values/index.js';

import './threads/exit.js';
