/**
 * `threading.excepthook`. An exception escaping a thread's target is reported in the failing
 * thread itself, as in Python. A hook set with {@link setExcepthook} is a target (docs/CONTRACT.md §2),
 * stored in the arena so that every thread, wherever it was started, uses it.
 */

import { alloc, arena, free, ROOTS, root } from '../memory/arena.js';
import { lockWord, unlockWord } from '../parking/word-lock.js';
import {
  encodeFunction,
  explainInlineError,
  resolveTarget,
  resolveTargetSync,
  type TargetSpec,
} from '../targets/target.js';
import { stateSlot } from '../thread-state.js';
import { writeWhole } from './output.js';
import { getIdent } from './registry.js';

/** What `excepthook` receives (Python's `ExceptHookArgs`). */
export interface ExceptHookArgs {
  /** The exception's class (its constructor), or `typeof` for a thrown non-object. */
  excType: unknown;
  /** The thrown value. */
  excValue: unknown;
  /** The stack trace text, if any. */
  excTraceback: string | null;
  /** The thread that failed (a Thread, or null). */
  thread: {
    /** Its name. */
    name: string;
  } | null;
}

/** A hook for {@link setExcepthook}: receives what escaped a thread. */
export type ExceptHook = (args: ExceptHookArgs) => void | Promise<void>;

function formatError(value: unknown): string {
  if (value instanceof Error) return value.stack ?? `${value.name}: ${value.message}`;
  return String(value);
}

/**
 * The default hook (Python's `threading.__excepthook__`): prints `Exception in thread NAME:`
 * and the stack to stderr, as one piece.
 */
export function defaultExcepthook(args: ExceptHookArgs): void {
  // Python prints get_ident() when the hook is called without a thread.
  const who = args.thread ? args.thread.name : String(getIdent());
  writeWhole(2, `Exception in thread ${who}:\n${formatError(args.excValue)}\n`);
}

// Arena block: [lock, version, specPtr, specLen]
function hookBlock(): number {
  return root(ROOTS.excepthook, 16) >> 2;
}

const local = stateSlot('excepthook', () => ({
  version: -1,
  hook: defaultExcepthook as ExceptHook,
  spec: null as TargetSpec | null,
  own: null as ExceptHook | null,
  ownVersion: -1,
}));

/**
 * Set the hook every thread calls for an uncaught exception (Python: `threading.excepthook =
 * hook`). The hook runs in the failing thread, so it follows the target rules: an inline
 * function (self-contained) or a `threadable` module function. `null` restores the default.
 */
export function setExcepthook(hook: ExceptHook | null): void {
  // `setExcepthook(__excepthook__)` restores the default (Python's idiom); the default hook
  // is no self-contained target, so it must not be sent as one.
  const spec =
    hook && hook !== defaultExcepthook ? JSON.stringify(encodeFunction(hook, 'excepthook')) : '';
  const a = arena();
  const b = hookBlock();
  let ptr = 0;
  if (spec) {
    ptr = alloc(spec.length * 2);
    for (let i = 0; i < spec.length; i++) a.u16[(ptr >> 1) + i] = spec.charCodeAt(i);
  }
  lockWord(b, Number.POSITIVE_INFINITY);
  const old = a.i32[b + 2];
  a.i32[b + 2] = ptr;
  a.i32[b + 3] = spec.length;
  const version = ++a.i32[b + 1];
  unlockWord(b);
  if (old) free(old);
  local.own = hook;
  local.ownVersion = version;
}

function readSpec(): { version: number; spec: TargetSpec | null } {
  const a = arena();
  const b = hookBlock();
  lockWord(b, Number.POSITIVE_INFINITY);
  try {
    const version = a.i32[b + 1];
    const ptr = a.i32[b + 2];
    const len = a.i32[b + 3];
    if (!ptr) return { version, spec: null };
    let s = '';
    for (let i = 0; i < len; i++) s += String.fromCharCode(a.u16[(ptr >> 1) + i]);
    return { version, spec: JSON.parse(s) as TargetSpec };
  } finally {
    unlockWord(b);
  }
}

/** The hook in force now, resolved for this thread. */
export async function currentExcepthook(): Promise<ExceptHook> {
  const { version, spec } = readSpec();
  if (version === local.ownVersion && local.own) return local.own;
  if (version !== local.version) {
    local.hook = spec ? ((await resolveTarget(spec)) as ExceptHook) : defaultExcepthook;
    local.spec = spec;
    local.version = version;
  }
  return local.hook;
}

/**
 * The hook in force (Python: reading `threading.excepthook`), from any thread. A hook set in
 * another thread is compiled here; a module hook whose module this thread has not imported
 * yet is returned as a function that imports it and calls it.
 */
export function getExcepthook(): ExceptHook {
  const { version, spec } = readSpec();
  if (version === local.ownVersion && local.own) return local.own;
  if (version !== local.version) {
    let hook: ExceptHook = defaultExcepthook;
    if (spec) {
      try {
        hook = resolveTargetSync(spec) as ExceptHook;
      } catch {
        return async (args) => (await currentExcepthook())(args);
      }
    }
    local.hook = hook;
    local.spec = spec;
    local.version = version;
  }
  return local.hook;
}

/** Report an exception that escaped `thread`'s target (never throws). */
export async function reportThreadException(
  err: unknown,
  thread: { name: string } | null,
): Promise<void> {
  const args: ExceptHookArgs = {
    excType: err !== null && typeof err === 'object' ? (err as object).constructor : typeof err,
    excValue: err,
    excTraceback: err instanceof Error ? (err.stack ?? null) : null,
    thread,
  };
  let hook: ExceptHook | null = null;
  try {
    hook = await currentExcepthook();
    await hook(args);
  } catch (hookErr) {
    // A hook compiled here from its source gets the captured-variable hint, as targets do.
    if (hook === local.hook && local.spec) explainInlineError(hookErr, local.spec);
    writeWhole(2, `Exception in threading.excepthook:\n${formatError(hookErr)}\n`);
  }
}
