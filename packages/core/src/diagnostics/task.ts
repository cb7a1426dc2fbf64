/**
 * What a pool thread is running, for dumps: words 14–15 of its thread record (after the
 * "blocked in" slot of blocked.ts) hold a label pointer and when the task began. A pool
 * (@threadkit/pool) interns one label per target and per thread ({@link taskLabel}), then
 * sets it around each task: two stores per task, no allocation.
 */
import { arena, ROOTS, root } from '../memory/arena.js';
import { wordsFor } from '../memory/views.js';
import { current, currentIdent } from '../parking/current-thread.js';
import {
  loadString,
  readStringSlot,
  storeString,
  writeStringSlot,
} from '../shared/arena-string.js';
import { nowWord } from './blocked.js';
import { diagnostics } from './switch.js';

const TASK = 14;
const TASK_SINCE = 15;

/**
 * A label for dumps ("fib", "ThreadPoolExecutor task"): a string in the arena,
 * never freed, so a dump may read it at any time. Make one per target, not per task.
 */
export function taskLabel(text: string): number {
  return storeString(text);
}

/** The calling thread now runs the task labelled `label` (0: none). */
export function setCurrentTask(label: number): void {
  if (current.rec === 0) currentIdent();
  const at = current.rec + TASK;
  // A fixed view: an atomic on the arena's length-tracking view costs several times more.
  const i32 = at + 1 < WORDS.length ? WORDS : (WORDS = wordsFor(at + 1));
  // Date.now() would cost more than the rest (~100 ns on a busy machine): timed only with
  // diagnostics on.
  Atomics.store(i32, at + 1, label !== 0 && diagnostics.on ? nowWord() | 0x80000000 : 0);
  Atomics.store(i32, at, label);
}

let WORDS: Int32Array = new Int32Array(0);

/** The task thread record `rec` is running, or null. */
export function taskOf(rec: number): { name: string; forMs: number | null } | null {
  const i32 = arena().i32;
  const label = Atomics.load(i32, rec + TASK);
  if (label === 0) return null;
  const since = Atomics.load(i32, rec + TASK_SINCE);
  if (since === 0) return { name: loadString(label), forMs: null };
  return {
    name: loadString(label),
    forMs: (nowWord() - (since & 0x7fffffff) + 0x7fffffff) % 0x7fffffff,
  };
}

function processNameSlot(): number {
  return root(ROOTS.processName, 8) >> 2; // [lock, string pointer]
}

/** Name this process in its dumps' header (a multiprocessing child: its Process name). */
export function setProcessName(name: string): void {
  const at = processNameSlot();
  writeStringSlot(at, at + 1, name);
}

/** The name given with {@link setProcessName}, or null. */
export function processName(): string | null {
  const at = processNameSlot();
  return Atomics.load(arena().i32, at + 1) === 0 ? null : readStringSlot(at, at + 1);
}
