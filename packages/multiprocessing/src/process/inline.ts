/**
 * Inline targets compiled in a child process. Core compiles inline thread targets in its own
 * module, so a bare `await import('x')` inside one resolves from core's location; in a child
 * process we compile them here instead, so that `@threadkit/multiprocessing` (this package,
 * by self-reference) and `@threadkit/core` (its dependency) both resolve. The helpers that
 * compilers inject (`__name`, `__using`, vite's `__vite_ssr_dynamic_import__`) are core's,
 * except the dynamic import, which must resolve from here.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  importModule,
  nativeFunction,
  nativeImport,
  resolveTarget,
  type TargetSpec,
  TOOLCHAIN_HELPERS,
} from '@threadkit/core/internal';

const TS_FILE = /\.(c|m)?tsx?$/i;

/**
 * `import()` inside an inline target. Vite rewrites `import('pkg')` to a root-relative path
 * (`/packages/x/dist/index.js`); a `.ts` file goes through core's importModule, which
 * registers tsx in this process first (the child does not start with tsx's loader).
 */
function dynamicImport(specifier: string): Promise<unknown> {
  if (specifier.startsWith('/') && !existsSync(specifier)) {
    const fromRoot = join(process.cwd(), specifier);
    if (existsSync(fromRoot)) specifier = fromRoot;
  }
  if (TS_FILE.test(specifier) && (specifier.startsWith('/') || specifier.startsWith('file:'))) {
    return importModule(specifier.startsWith('/') ? pathToFileURL(specifier).href : specifier);
  }
  return nativeImport(specifier.startsWith('/') ? pathToFileURL(specifier).href : specifier);
}

const HELPERS: Record<string, unknown> = {
  ...TOOLCHAIN_HELPERS,
  __vite_ssr_dynamic_import__: dynamicImport,
};
const NAMES = Object.keys(HELPERS);
const VALUES = Object.values(HELPERS);

/** Compile the source of an inline function (or method shorthand) with the helpers in scope. */
export function compileInline(source: string): Function {
  try {
    return nativeFunction(...NAMES, `"use strict"; return (${source});`)(...VALUES);
  } catch {
    // Method shorthand (`work() {…}`): wrap it in an object literal.
    const holder = nativeFunction(...NAMES, `"use strict"; return ({ ${source} });`)(...VALUES);
    return Object.values(holder)[0] as Function;
  }
}

/** The callable for a function target spec, in a child process. */
export async function resolveChildTarget(spec: TargetSpec): Promise<Function> {
  return spec.kind === 'inline' ? compileInline(spec.source) : resolveTarget(spec);
}
