/**
 * @threadkit/multiprocessing — Python's `multiprocessing` for Node.js: processes, pipes,
 * process queues and managers. This file is the whole public surface.
 */
import '@threadkit/core';

export {
  DataCloneError,
  Empty,
  EOFError,
  Full,
  IndexError,
  RuntimeError,
  TimeoutError,
  threadable,
  ValueError,
} from '@threadkit/core';
export { Connection } from './connection/connection.js';
export { Pipe } from './connection/pipe.js';
export {
  AssertionError,
  BrokenPipeError,
  BufferTooShort,
  KeyError,
  OSError,
  ProcessError,
} from './errors.js';
export { BaseManager, Manager, type RegisterOptions, SyncManager } from './manager/manager.js';
export type {
  AcquirerProxy,
  ArrayProxy,
  BaseProxy,
  ConditionProxy,
  DictProxy,
  EventProxy,
  ListProxy,
  NamespaceProxy,
  QueueProxy,
  ValueProxy,
} from './manager/types.js';
export { activeChildren, cpuCount, currentProcess, parentProcess } from './process/api.js';
export { Process, type ProcessOptions } from './process/process.js';
export {
  getAllStartMethods,
  getStartMethod,
  type StartMethod,
  setStartMethod,
} from './process/start-method.js';
export { JoinableQueue, Queue, type QueueWaitOptions, SimpleQueue } from './queues/queues.js';

import './process/exit.js';
