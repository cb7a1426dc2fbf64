// Entry of the raw Workers started by lib/threads.ts. Each message `{ id, spec, args }` names a
// module function (tsx is registered by threadkit's target loader for .ts modules) and its
// arguments (threadkit shared objects encoded with encodeShared); the worker calls it and
// answers `{ id, result }` or `{ id, error }`, then waits for the next one: a warm worker, as
// threadkit's own Threads are.
import { parentPort } from 'node:worker_threads';
import '@threadkit/core';
import { decodeShared, resolveTarget } from '@threadkit/core/internal';

parentPort.on('message', async ({ id, spec, args }) => {
  try {
    const fn = await resolveTarget(spec);
    const result = await fn(...decodeShared(args));
    parentPort.postMessage({ id, result: result ?? null });
  } catch (error) {
    parentPort.postMessage({ id, error });
  }
});
