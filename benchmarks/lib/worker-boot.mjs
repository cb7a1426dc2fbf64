// Entry of the raw Workers started by lib/threads.ts: resolve the module function (tsx is
// registered for .ts modules by threadkit's target loader), revive threadkit shared objects
// in its arguments, call it, and post back what it returns.
import { parentPort, workerData } from 'node:worker_threads';
import '@threadkit/core';
import { decodeShared, resolveTarget } from '@threadkit/core/internal';

const fn = await resolveTarget(workerData.spec);
const result = await fn(...decodeShared(workerData.args));
parentPort.postMessage(result ?? null);
