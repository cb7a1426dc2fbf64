/**
 * Import a user module inside a worker. A TypeScript module is imported as the JavaScript
 * that ts-compile.ts made of it once (no loader in the worker at all); when that cannot
 * reproduce the module, tsx's loader is registered in the worker itself (on Node 20
 * `execArgv: ['--import', 'tsx']` does not reach workers): `tsx/esm/api`, resolved from the
 * user's module first.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { isMainThread } from 'node:worker_threads';
import { stateSlot } from '../thread-state.js';
import { nativeImport } from './native-import.js';
import { cacheFile, staleEntries } from './ts-cache.js';

const TS_FILE = /\.(c|m)?tsx?$/i;
const loader = stateSlot('tsxLoader', () => ({ registered: false }));

/** Is `url` a TypeScript module (one that needs compiling before Node can import it)? */
export function isTsModule(url: string): boolean {
  return url.startsWith('file:') && TS_FILE.test(new URL(url).pathname);
}

type Compiler = typeof import('./ts-compile.js');
const compiler = stateSlot('tsCompiler', () => ({
  loaded: undefined as Compiler | null | undefined,
  urls: new Map<string, string>(),
}));

/** ts-compile.ts, built as its own CommonJS file next to this bundle (null if it is not). */
function loadCompiler(): Compiler | null {
  if (compiler.loaded === undefined) {
    try {
      compiler.loaded = createRequire(import.meta.url)('./ts-compile.cjs') as Compiler;
    } catch {
      compiler.loaded = null;
    }
  }
  return compiler.loaded;
}

const TSX_FLAG = /(^|[\\/=\s])tsx([\\/\s]|$)/;

/**
 * Whether this thread imports `.ts` modules as their compiled JavaScript: not where a
 * TypeScript loader came with the thread's own flags (a program's main thread under
 * `node --import tsx` — or NODE_OPTIONS saying so — has imported the original already; a
 * second copy would run its top level twice), and not when `THREADKIT_TS_COMPILE=0`.
 */
function usesCompiled(): boolean {
  if (process.env.THREADKIT_TS_COMPILE === '0') return false;
  if (process.execArgv.some((arg) => TSX_FLAG.test(arg))) return false;
  return !(isMainThread && TSX_FLAG.test(process.env.NODE_OPTIONS ?? ''));
}

/**
 * The compiled JavaScript of the `.ts` module `url` for workers to import (see
 * ts-compile.ts), or '' when they must load it through tsx. Checked once per thread: a
 * current cache entry costs a few file reads; a stale one loads the compiler.
 */
export function compiledTsUrl(url: string): string {
  let js = compiler.urls.get(url);
  if (js === undefined) {
    js = '';
    if (process.env.THREADKIT_TS_COMPILE !== '0') {
      const path = fileURLToPath(url);
      if (staleEntries(path).length === 0) js = pathToFileURL(cacheFile(path, '.mjs')).href;
      else {
        const result = loadCompiler()?.compileTsModule(url);
        if (result && 'url' in result) js = result.url;
      }
    }
    compiler.urls.set(url, js);
  }
  return js;
}

/** The ESM build of `tsx/esm/api` (createRequire would pick its CommonJS build). */
function tsxEsmApi(base: string): string {
  const pkgPath = createRequire(base).resolve('tsx/package.json');
  const pkg = JSON.parse(readFileSync(pkgPath, 'utf8'));
  const entry = pkg.exports?.['./esm/api']?.import;
  const rel = typeof entry === 'string' ? entry : (entry?.default ?? './dist/esm/api/index.mjs');
  return pathToFileURL(join(dirname(pkgPath), rel)).href;
}

async function registerTsx(fromUrl: string): Promise<void> {
  if (loader.registered) return;
  const candidates = [fromUrl, pathToFileURL(`${process.cwd()}/`).href, import.meta.url];
  let lastErr: unknown;
  for (const base of candidates) {
    try {
      const api = await nativeImport(tsxEsmApi(base));
      api.register();
      loader.registered = true;
      return;
    } catch (err) {
      lastErr = err;
    }
  }
  throw new Error(
    `cannot load TypeScript module ${fromUrl} in a worker: install tsx (npm i -D tsx) or compile it first (${String(lastErr)})`,
  );
}

const importing = stateSlot('importingTargetModules', () => new Set<string>());
const scopes = stateSlot('packageScopeTypes', () => new Map<string, boolean>());

/** Whether the nearest package.json above `dir` says `"type": "module"`. */
function inModuleScope(dir: string): boolean {
  let known = scopes.get(dir);
  if (known === undefined) {
    let text: string | undefined;
    try {
      text = readFileSync(join(dir, 'package.json'), 'utf8');
    } catch {
      text = undefined;
    }
    if (text !== undefined) {
      try {
        known = (JSON.parse(text) as { type?: unknown }).type === 'module';
      } catch {
        known = false; // Node fails on it either way; let require say so
      }
    } else {
      const up = dirname(dir);
      known = up !== dir && inModuleScope(up);
    }
    scopes.set(dir, known);
  }
  return known;
}

/**
 * Whether `url` is a CommonJS file this thread may simply `require()`: the same module
 * `import()` would load (Node's ESM loader requires CommonJS files itself), without starting
 * the ESM loader in a new worker (~4 ms). Not when loader hooks came with this thread's flags:
 * on Node 20 they see `import()`, not `require()`.
 */
function requirable(url: string): boolean {
  if (!url.startsWith('file:')) return false;
  if (process.execArgv.some((arg) => LOADER_FLAG.test(arg))) return false;
  const path = fileURLToPath(url);
  if (path.endsWith('.cjs')) return true;
  return path.endsWith('.js') && !inModuleScope(dirname(path));
}

const LOADER_FLAG = /^--(import|loader|experimental-loader)(=|$)/;

/**
 * `require()` a module found {@link requirable}, as the namespace `import()` would give; or
 * undefined when only `import()` can load it (ES module syntax with a top-level await).
 */
function requireModule(url: string): Record<string, unknown> | undefined {
  let exports: any;
  try {
    exports = createRequire(url)(fileURLToPath(url));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ERR_REQUIRE_ESM' || code === 'ERR_REQUIRE_ASYNC_MODULE') return undefined;
    throw err;
  }
  if (exports?.[Symbol.toStringTag] === 'Module') return exports; // an ES module, required
  return { ...exports, default: exports };
}

/**
 * The module this worker is importing to find a target, if any. While it is evaluated, its
 * top-level code must not start threads: that would start them again in every thread that
 * runs one of its targets (and again in theirs…).
 */
export function moduleBeingImported(): string | undefined {
  for (const url of importing) return url;
  return undefined;
}

/**
 * Import `url` in this thread. A TypeScript module is imported as its compiled JavaScript
 * (`js`: the one a spec carries, from {@link compiledTsUrl} in the thread that made it; ''
 * when that failed), else through tsx, registered first.
 */
export async function importModule(url: string, js?: string): Promise<Record<string, unknown>> {
  let target = url;
  if (isTsModule(url)) {
    const compiled = usesCompiled() ? (js ?? compiledTsUrl(url)) : '';
    if (compiled) {
      // Stack traces then name the .ts file and its lines, as under tsx (which does the same).
      process.setSourceMapsEnabled(true);
      target = compiled;
    } else await registerTsx(url);
  }
  importing.add(url);
  try {
    const required = requirable(target) ? requireModule(target) : undefined;
    return required ?? (await nativeImport(target));
  } finally {
    importing.delete(url);
  }
}
