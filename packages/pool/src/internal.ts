/**
 * `@threadkit/pool/internal`: the pieces that sibling packages (@threadkit/distributed) build
 * their executors on. Not part of the public API; may change in any release.
 */

export { mapArguments, mapResults } from './executor.js';
export { batched, zipIterables } from './internal/iterables.js';
export { ERROR_CLASSES, processArgs, targetSpec } from './internal/targets.js';
export { decodeError, type ErrorClasses, encodeError } from './internal/wire.js';
