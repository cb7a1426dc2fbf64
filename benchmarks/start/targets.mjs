// The compiled-ESM module target of the start-up programs (program.mjs).
import { threadable } from '@threadkit/core';

/** Flip word `i` of `flags`, so the starter sees the target run. */
export const ping = threadable(import.meta.url, function ping(flags, i) {
  Atomics.store(flags, i, 1);
  Atomics.notify(flags, i);
  return i;
});
