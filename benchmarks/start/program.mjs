// A compiled-ESM program (`node program.mjs <what> <later> <target>`); see program.ts.
import { setWarmWorkerSettings, Thread } from '@threadkit/core';
import { ThreadPoolExecutor } from '@threadkit/pool';
import { measure } from './measure.mjs';
import { ping } from './targets.mjs';

const [what = 'start', later = '0', target = 'module'] = process.argv.slice(2);
const inline = (flags, i) => {
  Atomics.store(flags, i, 1);
  Atomics.notify(flags, i);
};
await measure(
  what,
  { Thread, setWarmWorkerSettings, ThreadPoolExecutor },
  target === 'inline' ? inline : ping,
  Number(later),
);
