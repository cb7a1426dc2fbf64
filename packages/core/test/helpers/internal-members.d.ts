// The members tagged `@internal` in the source are stripped from the published types
// (tsup's `stripInternal`), but they exist at run time and the tests read them, as CPython's
// tests call `_is_owned()`, `_release_save()` and friends. This augmentation types them for
// the tests only.
import '@threadkit/core';

declare module '@threadkit/core' {
  interface RLock {
    _isOwned(): boolean;
    _recursionCount(): number;
    _releaseSave(): unknown;
    _acquireRestore(state: unknown): void;
    _acquireRestoreAsync(state: unknown): Promise<void>;
  }
  interface Condition {
    _isOwned(): boolean;
    readonly _nWaiters: number;
  }
  interface Semaphore {
    readonly _value: number;
    readonly _nWaiters: number;
  }
  interface Event {
    readonly _nWaiters: number;
  }
}
