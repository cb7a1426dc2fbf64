/**
 * What travels between the owner of a pool and its workers (threads or child processes):
 * the task messages, the outcomes, and errors in a form that survives the trip with their
 * class name, message, stack and own fields (structured clone keeps only the built-in error
 * names, and child-process IPC keeps none).
 */
import type { TargetSpec } from '@threadkit/core/internal';

/** Run the pool's initializer in this worker (before any task). */
export interface InitTask {
  k: 'init';
  spec: TargetSpec;
  args: unknown;
}

/**
 * One call `fn(...args)`. `word`: an arena word for the cancel hand-shake, and `spec` may be a
 * reference into the arena (thread executors: see spec-store.ts).
 */
export interface CallTask {
  k: 'call';
  spec: TargetSpec | number;
  args: unknown;
  word?: number;
}

/** Several calls of one function (a map chunk); the outcome is the array of their results. */
export interface ChunkTask {
  k: 'chunk';
  spec: TargetSpec;
  argsList: unknown;
}

export type TaskMsg = InitTask | CallTask | ChunkTask;

/**
 * Sent to every thread of a pool that is closing with nothing in flight: the thread gives back
 * the counts its handles hold on shared objects (shared/lifetime.ts in the core), which its
 * exit would do but piscina's terminate() skips. `word` counts the threads that have done so;
 * each waits (a while) for all `n`, so that no thread takes two while another gets none.
 */
export interface ReleaseTask {
  k: 'release';
  word: number;
  n: number;
}

/** How a task ended, as the worker reports it (the worker never rejects for a task's error). */
export type Outcome =
  | { s: 'ok'; v: unknown }
  | { s: 'err'; e: unknown }
  | { s: 'cancelled' }
  | { s: 'init-failed'; e: unknown };

/** Configuration of a pool thread, passed as the worker's `workerData.threadkitPool`. */
export interface ThreadWorkerConfig {
  /** Thread name prefix: the worker is named `<prefix>_<k>`. */
  prefix: string;
  /** Arena word counting the pool's workers (gives `k`). */
  counterWord: number;
  /** Initializer run before this worker's first task (thread executors; slots send `init`). */
  init?: { spec: TargetSpec; args: unknown } | null;
}

/** Message a pool thread posts once it is registered as a named thread. */
export interface AdoptedMessage {
  threadkitPoolAdopted: { rec: number; threadId: number };
}

const ERROR_MARK = '__threadkit_error__';

/** An error in transit. */
export interface WireError {
  [ERROR_MARK]: true;
  name: string;
  message: string;
  stack?: string;
  props?: Record<string, unknown>;
  cause?: unknown;
  hasCause?: boolean;
}

/**
 * Prepare a thrown value for the trip. `check` tells whether a value can be sent as it is
 * (structured clone for threads, v8 serialization for processes); fields that cannot are
 * dropped, and a thrown non-error that cannot becomes its string form.
 */
export function encodeError(err: unknown, check: (v: unknown) => unknown, depth = 0): unknown {
  if (!(err instanceof Error)) {
    try {
      return check(err);
    } catch {
      return String(err);
    }
  }
  const out: WireError = {
    [ERROR_MARK]: true,
    name: err.name,
    message: err.message,
    stack: err.stack,
  };
  const props: Record<string, unknown> = {};
  let any = false;
  for (const key of Object.keys(err)) {
    if (key === 'name' || key === 'message' || key === 'stack' || key === 'cause') continue;
    try {
      props[key] = check((err as unknown as Record<string, unknown>)[key]);
      any = true;
    } catch {
      // A field that cannot cross is left behind; the error itself still does.
    }
  }
  if (any) out.props = props;
  if ('cause' in err && depth < 8) {
    out.hasCause = true;
    out.cause = encodeError(err.cause, check, depth + 1);
  }
  return out;
}

/** The error classes rebuilt by name on arrival (others become an Error with that name). */
export type ErrorClasses = Record<string, new (message?: string) => Error>;

/** Rebuild a thrown value sent with {@link encodeError}. */
export function decodeError(value: unknown, classes: ErrorClasses): unknown {
  if (value === null || typeof value !== 'object' || !(ERROR_MARK in value)) return value;
  const w = value as WireError;
  const Cls = Object.hasOwn(classes, w.name) ? classes[w.name] : Error;
  const err = new Cls(w.message);
  if (err.name !== w.name) {
    Object.defineProperty(err, 'name', { value: w.name, writable: true, configurable: true });
  }
  if (w.stack !== undefined) {
    Object.defineProperty(err, 'stack', { value: w.stack, writable: true, configurable: true });
  }
  if (w.props) Object.assign(err, w.props);
  if (w.hasCause) {
    Object.defineProperty(err, 'cause', {
      value: decodeError(w.cause, classes),
      writable: true,
      configurable: true,
    });
  }
  return err;
}
