/**
 * Python's exception classes, as JS errors. Each sets `name` so that stack traces and
 * `String(err)` read like Python's (`RuntimeError: release unlocked lock`).
 */

function named<T extends new (...args: any[]) => Error>(cls: T, name: string): T {
  Object.defineProperty(cls.prototype, 'name', { value: name, writable: true, configurable: true });
  return cls;
}

/** Python's `RuntimeError` (and `threading.ThreadError`, its alias). */
export class RuntimeError extends Error {}
named(RuntimeError, 'RuntimeError');

/** Alias of {@link RuntimeError}, as `threading.ThreadError` is of `RuntimeError`. */
export const ThreadError = RuntimeError;

/** Python's `ValueError`: an argument has the right type but a bad value. */
export class ValueError extends Error {}
named(ValueError, 'ValueError');

/** Python's `OverflowError`: a timeout above {@link TIMEOUT_MAX}. */
export class OverflowError extends Error {}
named(OverflowError, 'OverflowError');

/** Raised by `Barrier.wait()` when the barrier is broken, reset, aborted or timed out. */
export class BrokenBarrierError extends RuntimeError {}
named(BrokenBarrierError, 'BrokenBarrierError');

/** Python's `IndexError`: a sequence index out of range, or a pop from an empty deque. */
export class IndexError extends Error {}
named(IndexError, 'IndexError');

/**
 * Python's `KeyError`: a key that is not in a SharedDict, an element missing from a
 * SharedSet, or a pop from an empty one. The message is the key's repr, as in Python.
 */
export class KeyError extends Error {}
named(KeyError, 'KeyError');

/** `queue.Empty`: a non-blocking or timed `get()` found no item. */
export class Empty extends Error {}
named(Empty, 'Empty');

/** `queue.Full`: a non-blocking or timed `put()` found the queue full. */
export class Full extends Error {}
named(Full, 'Full');

/** `queue.ShutDown`: `put()`/`get()` on a queue that was shut down. */
export class ShutDown extends Error {}
named(ShutDown, 'ShutDown');

/** Python's `TimeoutError` (a distinct class from Node's errors). */
export class TimeoutError extends Error {}
named(TimeoutError, 'TimeoutError');

/** `concurrent.futures.CancelledError`. */
export class CancelledError extends Error {}
named(CancelledError, 'CancelledError');

/** `concurrent.futures.InvalidStateError`. */
export class InvalidStateError extends Error {}
named(InvalidStateError, 'InvalidStateError');

/** `concurrent.futures.BrokenExecutor`: the executor can no longer run work. */
export class BrokenExecutor extends RuntimeError {}
named(BrokenExecutor, 'BrokenExecutor');

/** `concurrent.futures.thread.BrokenThreadPool`: a worker initializer failed. */
export class BrokenThreadPool extends BrokenExecutor {}
named(BrokenThreadPool, 'BrokenThreadPool');

/** `concurrent.futures.process.BrokenProcessPool`: a worker process died. */
export class BrokenProcessPool extends BrokenExecutor {}
named(BrokenProcessPool, 'BrokenProcessPool');

/** Python's `EOFError`: the other end of a pipe was closed. */
export class EOFError extends Error {}
named(EOFError, 'EOFError');

/** Raised when a value cannot cross a thread boundary; the message names its path. */
export class DataCloneError extends TypeError {}
named(DataCloneError, 'DataCloneError');
