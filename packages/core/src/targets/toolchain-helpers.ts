/**
 * Helpers that compilers inject into function bodies and define once per module. An inline
 * target is compiled alone in the worker, away from its module, so it gets these instead:
 *   - esbuild (tsx, tsup, vitest): `__name`, and `__using` / `__callDispose` for `using`;
 *   - TypeScript's emit (tsc, tslib): `__addDisposableResource` / `__disposeResources`;
 *   - vite's SSR transform (vitest): `__vite_ssr_dynamic_import__` for `import()`.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { nativeImport } from './native-import.js';

function __name<T>(fn: T, name: string): T {
  try {
    Object.defineProperty(fn, 'name', { value: name, configurable: true });
  } catch {}
  return fn;
}

type DisposeEntry = [boolean, ((this: unknown) => unknown) | undefined, unknown];

function disposerOf(value: any, async: boolean): ((this: unknown) => unknown) | undefined {
  let dispose = async ? value[Symbol.asyncDispose] : undefined;
  if (dispose === undefined) {
    const inner = value[Symbol.dispose];
    if (async && typeof inner === 'function') {
      dispose = function (this: unknown) {
        try {
          inner.call(this);
        } catch (e) {
          return Promise.reject(e);
        }
      };
    } else {
      dispose = inner;
    }
  }
  if (typeof dispose !== 'function') throw new TypeError('Object not disposable');
  return dispose;
}

function suppressed(error: unknown, suppressedErr: unknown): Error {
  const S = (globalThis as any).SuppressedError;
  if (typeof S === 'function')
    return new S(error, suppressedErr, 'An error was suppressed during disposal');
  const e = new Error('An error was suppressed during disposal') as Error & {
    error: unknown;
    suppressed: unknown;
  };
  e.name = 'SuppressedError';
  e.error = error;
  e.suppressed = suppressedErr;
  return e;
}

// esbuild's `using` lowering.
function __using(stack: DisposeEntry[], value: any, async?: boolean): unknown {
  if (value != null) {
    if (typeof value !== 'object' && typeof value !== 'function')
      throw new TypeError('Object expected');
    stack.push([Boolean(async), disposerOf(value, Boolean(async)), value]);
  } else if (async) {
    stack.push([true, undefined, undefined]);
  }
  return value;
}

function __callDispose(stack: DisposeEntry[], error: unknown, hasError: boolean): unknown {
  const fail = (e: unknown) => {
    error = hasError ? suppressed(e, error) : e;
    hasError = true;
  };
  const next = (): unknown => {
    for (let it = stack.pop(); it; it = stack.pop()) {
      try {
        const result = it[1]?.call(it[2]);
        if (it[0]) {
          return Promise.resolve(result).then(next, (e) => {
            fail(e);
            return next();
          });
        }
      } catch (e) {
        fail(e);
      }
    }
    if (hasError) throw error;
    return undefined;
  };
  return next();
}

// TypeScript's (tslib's) `using` lowering.
interface TsEnv {
  stack: { value: unknown; dispose?: (this: unknown) => unknown; async: boolean }[];
  error: unknown;
  hasError: boolean;
}

function __addDisposableResource(env: TsEnv, value: any, async: boolean): unknown {
  if (value !== null && value !== undefined) {
    if (typeof value !== 'object' && typeof value !== 'function')
      throw new TypeError('Object expected.');
    env.stack.push({ value, dispose: disposerOf(value, async), async });
  } else if (async) {
    env.stack.push({ value: undefined, async: true });
  }
  return value;
}

function __disposeResources(env: TsEnv): unknown {
  const fail = (e: unknown) => {
    env.error = env.hasError ? suppressed(e, env.error) : e;
    env.hasError = true;
  };
  const next = (): unknown => {
    for (let r = env.stack.pop(); r; r = env.stack.pop()) {
      try {
        const result = r.dispose?.call(r.value);
        if (r.async) {
          return Promise.resolve(result).then(next, (e) => {
            fail(e);
            return next();
          });
        }
      } catch (e) {
        fail(e);
      }
    }
    if (env.hasError) throw env.error;
    return undefined;
  };
  return next();
}

// Vite rewrites `import('pkg')` to a root-relative path (`/packages/x/dist/index.js`).
function __vite_ssr_dynamic_import__(specifier: string): Promise<unknown> {
  if (specifier.startsWith('/') && !existsSync(specifier)) {
    const fromRoot = join(process.cwd(), specifier);
    if (existsSync(fromRoot)) return nativeImport(pathToFileURL(fromRoot).href);
  }
  return nativeImport(specifier);
}

/** Name → helper, as parameters for compiled inline targets. */
export const TOOLCHAIN_HELPERS: Readonly<Record<string, unknown>> = {
  __name,
  __using,
  __callDispose,
  __addDisposableResource,
  __disposeResources,
  __vite_ssr_dynamic_import__,
};
