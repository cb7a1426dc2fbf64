/**
 * `import()` and `new Function` that work in the bundle. The library is one CommonJS bundle,
 * `dist/lib.cjs`, compiled through `vm.Script` for its code cache (boot/code-cache.ts): code
 * compiled that way — and every function it makes with `new Function` — cannot use `import()`
 * on Node 20 without an experimental flag. So both come from the loader's {@link Host},
 * compiled by Node's own CommonJS loader; without it (the bundle required directly) they are
 * made here, as a normally loaded CommonJS file may. (tsup also turns `import(x)` into
 * `require(x)` in CommonJS output, which loads neither an ES module nor a `file:` URL.)
 */
import type { Host } from '../boot/code-cache.js';

const HOST_KEY = Symbol.for('threadkit.host');

function host(): Host {
  const g = globalThis as unknown as Record<symbol, Host | undefined>;
  let h = g[HOST_KEY];
  if (!h) {
    h = {
      import: new Function('specifier', 'return import(specifier)') as Host['import'],
      makeFunction: (...args: string[]) => new Function(...args) as (...a: any[]) => any,
    };
    g[HOST_KEY] = h;
  }
  return h;
}

/** Node's own dynamic `import()` of a specifier or URL. */
export function nativeImport(specifier: string): Promise<any> {
  return host().import(specifier);
}

/** `new Function(...args)`: the function's body may use `import()` (inline targets do). */
export function nativeFunction(...args: string[]): (...a: any[]) => any {
  return host().makeFunction(...args);
}

/**
 * The extension of this package's worker programs: `.cjs` (the library is CommonJS for every
 * program, see above). Sibling packages pick their own programs' build by their own URL.
 */
export const BUILD_EXT = '.cjs' as const;
