/**
 * `@threadkit/core/internal`: the pieces that sibling packages (@threadkit/pool,
 * @threadkit/multiprocessing) build on. Not part of the public API; may change in any release.
 */
export { arena, alloc, allocPermanent, free, blockCapacity, root, ROOTS } from './memory/arena.js';
export { futexWait, futexWaitAsync, futexWake } from './sync/futex.js';
export { lockWord, lockWordAsync, tryLockWord, unlockWord } from './sync/lock.js';
export {
  SHARED,
  decodeShared,
  encodeShared,
  isShared,
  registerSharedType,
  reviveShared,
  type SharedDescriptor,
  type SharedObject,
} from './shared/protocol.js';
export { attach, takeAttached } from './internal/attach.js';
export {
  encodeFunction,
  encodeInstance,
  explainInlineError,
  rebuildInstance,
  resolveTarget,
  resolveTargetSync,
  targetName,
  type TargetSpec,
} from './targets/target.js';
export { importModule } from './targets/load-module.js';
export { TOOLCHAIN_HELPERS } from './targets/toolchain-helpers.js';
export { moduleRefOf, lookupThreadable } from './targets/threadable.js';
export { stateSlot } from './internal/state.js';
export * as timeouts from './timeout.js';
export { adoptCurrentWorker, currentRecord, getIdent } from './threads/registry.js';
export { reportThreadException } from './threads/excepthook.js';
export { patchWorkerConsole, writeWhole } from './threads/output.js';
export { finishRecord, threadForRecord } from './threads/thread.js';
export * as wire from './shared/wire.js';
