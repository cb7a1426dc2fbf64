/**
 * Error classes that multiprocessing raises and core does not define. Python raises
 * `AssertionError` for misuse of a Process (`start()` twice, `join()` before `start()`), and
 * `OSError` / `BrokenPipeError` for a closed or broken connection.
 */

function named<T extends new (...args: any[]) => Error>(cls: T, name: string): T {
  Object.defineProperty(cls.prototype, 'name', { value: name, writable: true, configurable: true });
  return cls;
}

/**
 * Python's `AssertionError`, raised by `Process` on misuse, with CPython's messages
 * ("cannot start a process twice", "can only join a started process", …).
 */
export class AssertionError extends Error {}
named(AssertionError, 'AssertionError');

/** Python's `OSError`: an operation on a closed handle, or a failed system call. */
export class OSError extends Error {
  /** The system error code (`EPIPE`, `EBADF`, …) when there is one. */
  code?: string;
}
named(OSError, 'OSError');

/** Python's `BrokenPipeError`: writing to a pipe whose reading end is closed everywhere. */
export class BrokenPipeError extends OSError {}
named(BrokenPipeError, 'BrokenPipeError');

/** Python's `KeyError`, raised by a manager's `dict` proxy: core's class, so one name is one class. */
export { KeyError } from '@threadkit/core';

/** Python's `multiprocessing.ProcessError`: a manager cannot start, or is used after shutdown. */
export class ProcessError extends Error {}
named(ProcessError, 'ProcessError');

/**
 * Python's `multiprocessing.BufferTooShort`: `recvBytesInto()` got a message longer than the
 * buffer; the whole message is in `data` (Python: `e.args[0]`).
 */
export class BufferTooShort extends ProcessError {
  /** The message that did not fit. */
  readonly data: Buffer;

  constructor(data: Buffer) {
    super('buffer too short');
    this.data = data;
  }
}
named(BufferTooShort, 'BufferTooShort');
