/**
 * Errors raised by a manager's objects reach the caller as the same classes: the reply
 * carries the class name, and known Python error classes are rebuilt on the other side,
 * keeping the remote stack as `remoteStack` (Python prints it as the "Remote traceback").
 */
import {
  BrokenBarrierError,
  DataCloneError,
  Empty,
  EOFError,
  Full,
  IndexError,
  OverflowError,
  RuntimeError,
  TimeoutError,
  ValueError,
} from '@threadkit/core';
import { AssertionError, KeyError, OSError } from '../errors.js';
import { Status } from './wire.js';

const CLASSES: Record<string, new (message?: string) => Error> = {
  AssertionError,
  BrokenBarrierError,
  DataCloneError,
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

/** A thrown value as it crosses: an Error's class name, message and stack, or the value. */
export function errorToWire(value: unknown): [Status, unknown] {
  if (value instanceof Error) {
    const { name, message, stack } = value;
    return [Status.Threw, { name, message, stack }];
  }
  return [Status.ThrewValue, value];
}

/** The error to throw for a reply of status `status` (see {@link errorToWire}). */
export function errorFromWire(status: Status, value: unknown): unknown {
  if (status !== Status.Threw) return value;
  const { name, message, stack } = value as { name: string; message: string; stack?: string };
  const Cls = CLASSES[name] ?? Error;
  const err = new Cls(message);
  if (!(name in CLASSES)) err.name = name;
  Object.defineProperty(err, 'remoteStack', {
    value: stack,
    enumerable: false,
    configurable: true,
  });
  return err;
}
