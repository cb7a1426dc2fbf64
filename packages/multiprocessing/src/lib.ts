/**
 * The package's bundle, `dist/lib.cjs`: everything in one CommonJS file, loaded with
 * @threadkit/core's V8 code cache (`requireBundle`). The entry points `index.cjs`, its ESM
 * wrapper `index.js` and the child program `process-entry.cjs` are thin files over it
 * (written by scripts/entries.mjs): one copy of the package for ESM and CommonJS importers,
 * and a child that loads no ES module of ours (see docs/DESIGN.md, Start-up).
 */
import * as index from './index.js';

export { runChild } from './process/process-entry.js';
export { index };
