/**
 * Inline targets compiled in a child process. Core compiles inline thread targets in its own
 * module, so a bare `await import('x')` inside one resolves from core's location; in a child
 * process we compile them here instead, so that `@threadkit/multiprocessing` (this package,
 * by self-reference) and `@threadkit/core` (its dependency) both resolve.
 */
import type { TargetSpec } from '@threadkit/core/internal';
import { resolveTarget } from '@threadkit/core/internal';

// esbuild (tsx, vitest) wraps nested functions in __name(fn, "name"); give compiled code one.
function nameHelper<T>(fn: T, name: string): T {
  try {
    Object.defineProperty(fn, 'name', { value: name, configurable: true });
  } catch {}
  return fn;
}

function compileInline(source: string): Function {
  try {
    return new Function('__name', `"use strict"; return (${source});`)(nameHelper);
  } catch {
    // Method shorthand (`work() {…}`): wrap it in an object literal.
    const holder = new Function('__name', `"use strict"; return ({ ${source} });`)(nameHelper);
    return Object.values(holder)[0] as Function;
  }
}

/** The callable for a function target spec, in a child process. */
export async function resolveChildTarget(spec: TargetSpec): Promise<Function> {
  return spec.kind === 'inline' ? compileInline(spec.source) : resolveTarget(spec);
}
