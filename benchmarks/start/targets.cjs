// The CommonJS module target of the start-up programs (program.cjs).
const { threadable } = require('@threadkit/core');

/** Flip word `i` of `flags`, so the starter sees the target run. */
exports.ping = threadable(__filename, function ping(flags, i) {
  Atomics.store(flags, i, 1);
  Atomics.notify(flags, i);
  return i;
});
