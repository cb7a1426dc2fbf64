// A CommonJS program (`node program.cjs <what> <later> <target>`); see program.ts.
const { setWarmWorkerSettings, Thread } = require('@threadkit/core');
const { ThreadPoolExecutor } = require('@threadkit/pool');
const { ping } = require('./targets.cjs');

const [what = 'start', later = '0', target = 'module'] = process.argv.slice(2);
const inline = (flags, i) => {
  Atomics.store(flags, i, 1);
  Atomics.notify(flags, i);
};
import('./measure.mjs').then(({ measure }) =>
  measure(
    what,
    { Thread, setWarmWorkerSettings, ThreadPoolExecutor },
    target === 'inline' ? inline : ping,
    Number(later),
  ),
);
