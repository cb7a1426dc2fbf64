/**
 * Loads threadkit's bundle (`dist/lib.cjs`) with a V8 code cache, in every thread and process
 * that imports the library: compiling ~300 KB of JavaScript again in each new worker was about
 * half of what threadkit added to a cold `Thread.start()` (see docs/DESIGN.md, Start-up).
 *
 * Node 20 has no compile cache of its own (`module.enableCompileCache` came in Node 22), and
 * none at all for ES modules, so the library is one CommonJS bundle compiled here through
 * `vm.Script` with `cachedData`; the ESM entry points are thin wrappers over it (one instance
 * of the library for ESM and CommonJS importers alike). Where the running Node has its own
 * compile cache, a worker program turns it on ({@link enableNodeCompileCache}) and the bundle
 * is left to it.
 *
 * The cache lives in `<tmpdir>/threadkit-<uid>/v8/` (`$THREADKIT_V8_CACHE` to move it;
 * `THREADKIT_V8_CACHE=0` turns it off), one file per bundle file, size, mtime, V8 version and
 * architecture; V8 itself rejects data made under other flags, and a rejected or missing
 * entry is written again at once (temporary file, then rename: concurrent writers never leave
 * half a file). The directory is used only if it is ours and nobody else can write to it:
 * its files are code this process runs.
 *
 * This file is built on its own (`dist/code-cache.cjs`) and loaded by Node's own CommonJS
 * loader, which matters: code compiled by `vm.Script` cannot use `import()` on Node 20
 * without an experimental flag, so the bundle's dynamic imports and `new Function`s go
 * through {@link HOST}, defined here, outside it.
 */
import { readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
import { Script } from 'node:vm';
import { isMainThread, threadId } from 'node:worker_threads';
import { isPrivateDir, userCacheDir } from '../cache-dir.js';

/** What code compiled outside `vm.Script` does for the bundle (see targets/native-import.ts). */
export interface Host {
  /** Node's dynamic `import()`. */
  import(specifier: string): Promise<any>;
  /** `new Function(...args)`, whose body may use `import()`. */
  makeFunction(...args: string[]): (...a: any[]) => any;
}

/** The global key of the {@link Host} (read by targets/native-import.ts in the bundle). */
export const HOST = Symbol.for('threadkit.host');

function installHost(): void {
  const g = globalThis as unknown as Record<symbol, Host | undefined>;
  if (g[HOST]) return;
  // Both compiled by this file's CommonJS loader: `import()` inside them works.
  const importer = new Function('specifier', 'return import(specifier)') as Host['import'];
  g[HOST] = {
    import: importer,
    makeFunction: (...args: string[]) => new Function(...args) as (...a: any[]) => any,
  };
}

/** The directory of code cache files, or '' when the cache is off or not safe to use. */
function cacheDir(): string {
  const env = process.env.THREADKIT_V8_CACHE;
  if (env === '0') return '';
  const dir = env || userCacheDir('v8');
  return isPrivateDir(dir, true) ? dir : '';
}

/** `require.cache`: the bundle is put there, so any later `require()` of it finds this copy. */
const moduleCache = (Module as unknown as { _cache: Record<string, Module | undefined> })._cache;

type ModuleInternals = typeof Module & {
  getCompileCacheDir?: () => string | undefined;
  enableCompileCache?: (dir?: string) => unknown;
};

/**
 * In a worker program of ours, turn on Node's own compile cache where Node has one (22+): it
 * then covers the bundle and the worker's target modules too. The user's main thread is left
 * as the user set it.
 */
export function enableNodeCompileCache(): void {
  const m = Module as ModuleInternals;
  if (isMainThread || typeof m.enableCompileCache !== 'function') return;
  if (process.env.THREADKIT_V8_CACHE === '0' || m.getCompileCacheDir?.()) return;
  const dir = cacheDir();
  if (dir) m.enableCompileCache(join(dir, 'node'));
}

/** Write `data` to `path` atomically: a temporary file of this thread, then a rename. */
function writeAtomic(path: string, data: Buffer): void {
  const tmp = `${path}.${process.pid}-${threadId}.tmp`;
  try {
    writeFileSync(tmp, data, { mode: 0o600 });
    renameSync(tmp, path);
  } catch {
    // A full or read-only disk: the next load compiles again, as without a cache.
  }
}

const WRAPPER = ['(function (exports, require, module, __filename, __dirname) { ', '\n});'];

/**
 * `require(file)` for a file of this package's `dist/`, compiled with the code cache (see the
 * file comment). A file already loaded in this thread is returned as it is.
 */
export function requireWithCodeCache(file: string): unknown {
  installHost();
  const loaded = moduleCache[file];
  if (loaded) return loaded.exports;
  const dir = (Module as ModuleInternals).getCompileCacheDir?.() ? '' : cacheDir();
  if (!dir) return createRequire(file)(file);
  const st = statSync(file);
  const key = `${basename(file)}-${st.size}-${Math.trunc(st.mtimeMs)}-${process.versions.v8}-${process.arch}`;
  const cachePath = join(dir, `${key}.bin`);
  let cachedData: Buffer | undefined;
  try {
    cachedData = readFileSync(cachePath);
  } catch {
    cachedData = undefined;
  }
  const source = readFileSync(file, 'utf8');
  const script = new Script(WRAPPER[0] + source + WRAPPER[1], { filename: file, cachedData });
  const mod = new Module(file, module);
  mod.filename = file;
  moduleCache[file] = mod;
  try {
    const fn = script.runInThisContext() as (...args: unknown[]) => void;
    fn.call(mod.exports, mod.exports, createRequire(file), mod, file, dirname(file));
    mod.loaded = true;
  } catch (err) {
    delete moduleCache[file];
    throw err;
  }
  // Made once per file and Node, right after the top level ran (what it compiled is in it).
  if (cachedData === undefined || script.cachedDataRejected) {
    writeAtomic(cachePath, script.createCachedData());
  }
  return mod.exports;
}
