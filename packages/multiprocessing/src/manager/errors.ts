/**
 * Errors raised by a manager's objects reach the caller as the same classes (comlink would
 * turn them all into plain `Error`s): its "throw" transfer handler is replaced by one that
 * sends the class name and rebuilds known Python error classes on the other side, keeping the
 * remote stack as `remoteStack` (Python prints it as the "Remote traceback").
 */
import {
  BrokenBarrierError,
  Empty,
  EOFError,
  Full,
  IndexError,
  OverflowError,
  RuntimeError,
  TimeoutError,
  ValueError,
} from '@threadkit/core';
import { transferHandlers } from 'comlink';
import { AssertionError, KeyError, OSError } from '../errors.js';

const CLASSES: Record<string, new (message?: string) => Error> = {
  AssertionError,
  BrokenBarrierError,
  Empty,
  EOFError,
  Full,
  IndexError,
  KeyError,
  OSError,
  OverflowError,
  RuntimeError,
  TimeoutError,
  ValueError,
  TypeError,
  RangeError,
  ReferenceError,
  SyntaxError,
};

interface Thrown {
  isError: boolean;
  value: unknown;
}

const handler = {
  // comlink's marker for a thrown value is private: let its own handler recognise one.
  canHandle: (value: unknown): boolean => defaultHandler?.canHandle(value) ?? false,
  serialize(thrown: { value: unknown }): [Thrown, unknown[]] {
    const { value } = thrown;
    if (value instanceof Error) {
      return [
        { isError: true, value: { name: value.name, message: value.message, stack: value.stack } },
        [],
      ];
    }
    return [{ isError: false, value }, []];
  },
  deserialize(serialized: Thrown): never {
    if (!serialized.isError) throw serialized.value;
    const { name, message, stack } = serialized.value as {
      name: string;
      message: string;
      stack?: string;
    };
    const Cls = CLASSES[name] ?? Error;
    const err = new Cls(message);
    if (!(name in CLASSES)) err.name = name;
    Object.defineProperty(err, 'remoteStack', {
      value: stack,
      enumerable: false,
      configurable: true,
    });
    throw err;
  },
};

const defaultHandler = transferHandlers.get('throw');

/** Install the handler (idempotent; comlink's handler table is per loaded copy of comlink). */
export function installErrorHandler(): void {
  if (transferHandlers.get('throw') !== (handler as never))
    transferHandlers.set('throw', handler as never);
}
