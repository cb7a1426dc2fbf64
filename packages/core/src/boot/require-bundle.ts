/**
 * `requireBundle(file)`: a sibling package's CommonJS bundle (@threadkit/multiprocessing's
 * `dist/lib.cjs`) loaded with the V8 code cache, as this library's own bundle is (see
 * code-cache.ts). The loader is the file next to this bundle in `dist/`.
 */
import { createRequire } from 'node:module';

type Loader = typeof import('./code-cache.js');

/** `require(file)` through the code cache of boot/code-cache.ts (for sibling packages). */
export function requireBundle(file: string): unknown {
  const loader = createRequire(import.meta.url)('./code-cache.cjs') as Loader;
  return loader.requireWithCodeCache(file);
}
