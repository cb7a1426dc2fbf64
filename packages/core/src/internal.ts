/**
 * `@threadkit/core/internal`: the pieces that sibling packages (@threadkit/pool,
 * @threadkit/multiprocessing) build on. Not part of the public API; may change in any release.
 */

export { requireBundle } from './boot/require-bundle.js';
export { inPlaceReplaces } from './containers/table.js';
export { setCurrentTask, setProcessName, taskLabel } from './diagnostics/task.js';
export { alloc, allocPermanent, arena, blockCapacity, free, ROOTS, root } from './memory/arena.js';
export { futexWait, futexWaitAsync, futexWake } from './parking/futex.js';
export { lockWord, lockWordAsync, tryLockWord, unlockWord } from './parking/word-lock.js';
export { type WaitArgs as QueueWaitArgs, waitArgs as queueWaitArgs } from './queue/args.js';
export { loadString, readStringSlot, storeString, writeStringSlot } from './shared/arena-string.js';
export { attach, takeAttached } from './shared/attach.js';
export {
  adoptChild,
  allocObject,
  allocRecord,
  childOf,
  createShared,
  defineLifetime,
  handleFor,
  handlesRevived,
  type LifetimeHooks,
  OBJECT_HEADER,
  recordRef,
  refCount,
  refFor,
  releaseAll,
  releaseRecord,
  releaseRef,
  retainRecord,
  retainRef,
  track,
} from './shared/lifetime.js';
export {
  decodeShared,
  describeShared,
  discardEncoded,
  encodeShared,
  isShared,
  registerSharedType,
  reviveShared,
  SHARED,
  type SharedDescriptor,
  type SharedObject,
} from './shared/protocol.js';
export * as wire from './shared/wire.js';
export { compiledTsUrl, importModule, moduleBeingImported } from './targets/load-module.js';
export { nativeFunction, nativeImport } from './targets/native-import.js';
export { type TargetOptions, targetOptions } from './targets/options.js';
export {
  encodeFunction,
  encodeInstance,
  explainInlineError,
  rebuildInstance,
  resolveTarget,
  resolveTargetSync,
  type TargetSpec,
  targetName,
} from './targets/target.js';
export { lookupThreadable, moduleRefOf } from './targets/threadable.js';
export { TOOLCHAIN_HELPERS } from './targets/toolchain-helpers.js';
export { stateSlot } from './thread-state.js';
export { type ChildArgvOptions, childProcessExecArgv } from './threads/child-argv.js';
export { reportThreadException } from './threads/excepthook.js';
export { patchWorkerConsole, writeWhole } from './threads/output.js';
export { adoptCurrentWorker, currentRecord, getIdent } from './threads/registry.js';
export { finishRecord, threadForRecord } from './threads/thread.js';
export { workerExecArgv } from './threads/workers.js';
export * as timeouts from './timeout.js';
