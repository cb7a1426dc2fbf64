/**
 * Whether diagnostics are on: `enableDiagnostics()` or THREADKIT_DIAGNOSTICS=1. The switch
 * is one word of the arena (so it holds for every thread, warm workers included), mirrored
 * in a per-thread flag that the paths about to park — and Lock's acquire, for its holder
 * word — read at the cost of one branch. Threads re-read the word when they start.
 */
import { arena, ROOTS, root } from '../memory/arena.js';

/** This thread's copy of the switch. */
export const diagnostics = { on: false };

function switchWord(): number {
  return root(ROOTS.diagnostics, 4) >> 2;
}

/** Refresh this thread's copy from the shared switch (each thread, as it starts). */
export function syncDiagnostics(): void {
  if (diagnostics.on) Atomics.store(arena().i32, switchWord(), 1);
  else diagnostics.on = Atomics.load(arena().i32, switchWord()) !== 0;
}

/**
 * Turn diagnostics on, for every thread of the process: each blocking call records its call
 * stack (shown by `dumpThreads()` and the deadlock report), and each Lock records the thread
 * that acquired it (so `findDeadlocks()` sees Lock holders; RLock owners are always known).
 * Threads already running pick it up when they next start a thread job; call it early, as
 * the environment variable THREADKIT_DIAGNOSTICS=1 does before anything runs.
 */
export function enableDiagnostics(): void {
  Atomics.store(arena().i32, switchWord(), 1);
  diagnostics.on = true;
}

// The environment switch, read at load; the shared word is written lazily (a worker may load
// this module before it has adopted the process's arena).
if (process.env.THREADKIT_DIAGNOSTICS === '1') diagnostics.on = true;
