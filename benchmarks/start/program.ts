// A TypeScript program run by tsx (`node --import tsx program.ts <what> <later> <target>`):
// what a user's tsx script sees when it starts threads. <target>: module (the `.ts` module
// target of targets.ts) or inline. See measure.mjs.
import { setWarmWorkerSettings, Thread } from '@threadkit/core';
import { ThreadPoolExecutor } from '@threadkit/pool';
import { measure } from './measure.mjs';
import { ping } from './targets.js';

const [what = 'start', later = '0', target = 'module'] = process.argv.slice(2);
const inline = (flags: Int32Array, i: number): void => {
  Atomics.store(flags, i, 1);
  Atomics.notify(flags, i);
};
if (what === 'process') {
  // Loaded only here, so the thread figures do not pay for it.
  const mp = await import('@threadkit/multiprocessing');
  const { stamp } = await import('./proc-targets.js');
  await measure(what, mp, stamp, Number(later));
} else {
  await measure(
    what,
    { Thread, setWarmWorkerSettings, ThreadPoolExecutor },
    target === 'inline' ? inline : ping,
    Number(later),
  );
}
