/**
 * Errors raised by a manager's objects reach the caller as the same classes (comlink would
 * turn them all into plain `Error`s): its "throw" transfer handler is replaced by one that
 * sends the class name and rebuilds known Python error classes on the other side, keeping the
 * remote stack as `remoteStack` (Python prints it as the "Remote traceback").
 */
import { createRequire } from 'node:module';
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

type Comlink = typeof import('comlink');

interface ThrowHandler {
  canHandle(value: unknown): boolean;
}

function makeHandler(original: ThrowHandler | undefined) {
  return {
    // comlink's marker for a thrown value is private: let its own handler recognise one.
    canHandle: (value: unknown): boolean => original?.canHandle(value) ?? false,
    serialize(thrown: { value: unknown }): [Thrown, unknown[]] {
      const { value } = thrown;
      if (value instanceof Error) {
        const { name, message, stack } = value;
        return [{ isError: true, value: { name, message, stack } }, []];
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
}

const installed = new WeakSet<object>();

/** Install the handler in a loaded copy of comlink (its handler table is per copy). */
export function installErrorHandler(comlink: Comlink): void {
  const table = comlink.transferHandlers;
  if (installed.has(table)) return;
  installed.add(table);
  table.set('throw', makeHandler(table.get('throw') as ThrowHandler | undefined) as never);
}

/**
 * comlink, loaded on first use: a child process that never talks to a manager does not pay
 * for it at start-up.
 */
let loading: Promise<Comlink> | null = null;

export function loadComlink(): Promise<Comlink> {
  // require(), not import(): the package is a CommonJS bundle compiled through vm.Script for
  // its code cache, where import() is unavailable on Node 20 (see src/lib.ts).
  loading ??= Promise.resolve().then(() => {
    const comlink = createRequire(import.meta.url)('comlink') as Comlink;
    installErrorHandler(comlink);
    return comlink;
  });
  return loading;
}
