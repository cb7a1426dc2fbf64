// The `.ts` module target of the start-up programs (program.ts): a few TypeScript-only
// constructs, as a user's module would have, so the worker must really compile it.
import { threadable } from '@threadkit/core';

enum Signal {
  Running = 1,
}

type Flags = Int32Array;

/** Flip word `i` of `flags`, so the starter sees the target run. */
export const ping = threadable(import.meta.url, function ping(flags: Flags, i: number): number {
  Atomics.store(flags, i, Signal.Running);
  Atomics.notify(flags, i);
  return i;
});
