/**
 * Python's start methods. `spawn` (the default): every child is a fresh `node` (a Node boot
 * per start). `forkserver`: a spare child is booted ahead of time and handed the next job, so
 * a start costs a few milliseconds instead of a boot when a spare is ready (it costs an idle
 * process, and a boot that competes with the children's own). There is no `fork`: Node cannot
 * fork a process with a running V8.
 */
import { RuntimeError, ValueError } from '@threadkit/core';
import { arena } from '@threadkit/core/internal';
import { startMethodWord } from './record.js';

/** A start method name. */
export type StartMethod = 'forkserver' | 'spawn';

const METHODS: StartMethod[] = ['spawn', 'forkserver'];

/** The start methods available here, the default first (Python's `get_all_start_methods()`). */
export function getAllStartMethods(): StartMethod[] {
  return [...METHODS];
}

/**
 * Set how children are started, once per process (Python's `set_start_method()`); `force`
 * allows changing it again. Throws ValueError for an unknown method (including `fork`).
 */
export function setStartMethod(method: StartMethod | null, force = false): void {
  const i32 = arena().i32;
  const w = startMethodWord();
  if (Atomics.load(i32, w) !== 0 && !force) throw new RuntimeError('context has already been set');
  if (method === null && force) {
    Atomics.store(i32, w, 0);
    return;
  }
  const k = METHODS.indexOf(method as StartMethod);
  if (k < 0) throw new ValueError(`cannot find context for ${JSON.stringify(method)}`);
  Atomics.store(i32, w, k + 1);
}

/**
 * The start method in use (Python's `get_start_method()`); fixes the default unless
 * `allowNone`, in which case it returns null while none was chosen.
 */
export function getStartMethod(allowNone = false): StartMethod | null {
  const i32 = arena().i32;
  const w = startMethodWord();
  const k = Atomics.load(i32, w);
  if (k === 0) {
    if (allowNone) return null;
    Atomics.compareExchange(i32, w, 0, 1);
    return METHODS[Atomics.load(i32, w) - 1];
  }
  return METHODS[k - 1];
}
