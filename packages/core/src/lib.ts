/**
 * The library bundle, `dist/lib.cjs`: everything, in one CommonJS file that
 * boot/code-cache.ts loads with a V8 code cache. The package's entry points (`index.cjs`,
 * `internal.cjs`, their ESM wrappers `index.js`, `internal.js`) and the worker program
 * (`thread-entry.cjs`) are thin files over it (written by scripts/entries.mjs), so every
 * importer, ESM or CommonJS, in every thread, gets this one copy.
 */
import * as index from './index.js';
import * as internal from './internal.js';

export { startThreadWorker } from './threads/thread-entry.js';
export { index, internal };
