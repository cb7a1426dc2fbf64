/**
 * `multiprocessing.Value` and `multiprocessing.Array`, under their Python names. (Kept in its
 * own module: exporting a binding named `Array` shadows the global inside the module.)
 */
import { SharedArray, SharedArrayFactory } from './array.js';

export type { SharedValueOptions } from './lock-option.js';
export type { Typecode } from './typecodes.js';
export { SharedValue, Value } from './value.js';
export { SharedArray };

/** `multiprocessing.Array(typecode, sizeOrValues)`, callable with or without `new`; see {@link SharedArray}. */
// biome-ignore lint/suspicious/noShadowRestrictedNames: multiprocessing.Array's name, on purpose
export const Array = SharedArrayFactory;
/** A shared array; see {@link SharedArray}. */
export type Array = SharedArray;
