/**
 * The file extension of this build's worker programs: `.cjs` when this copy of the library is
 * its CommonJS build. A CommonJS program's task modules `require('@threadkit/core')`, so an ESM
 * worker program would make each worker load both builds of the library.
 */
import { isCommonJsBuild } from '@threadkit/core/internal';

/** `.cjs` in the CommonJS build, `.js` in the ESM one. */
export function workerFileExt(): '.cjs' | '.js' {
  return isCommonJsBuild ? '.cjs' : '.js';
}
