/**
 * Compile once, not once per worker (docs/DESIGN.md, start-up): a `.ts` module that threads
 * import is transformed by esbuild (tsx's own, with tsx's settings and the module's
 * tsconfig) into plain JavaScript in a cache directory, once per edit of the file. Workers
 * then import that file natively: no loader hooks (on Node 20 each worker that registers tsx
 * starts a hooks thread of its own and transforms the module again, ~150 ms per worker).
 *
 * The output is rewritten so it behaves as the original would: `import.meta.url` (and
 * `filename`, `dirname`) is the original's, and every import specifier is resolved from the
 * original's location (a `.ts` dependency points at its own compiled file). A module this
 * cannot reproduce exactly — no ESM syntax (a CommonJS-style `.ts`), `require` or
 * `__dirname`, an `import()` of a computed specifier, other `import.meta` uses, a specifier
 * that does not resolve — is reported as `undefined`, and the caller falls back to tsx.
 *
 * Built as its own `dist/ts-compile.cjs` (with its libraries bundled in) and loaded with
 * `require` only by a thread that finds a stale entry (ts-cache.ts checks them), so a warm
 * cache costs no thread anything but a few file reads.
 */
import { readFileSync, statSync } from 'node:fs';
import { createRequire, isBuiltin } from 'node:module';
import { dirname, extname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { initSync, parse } from 'es-module-lexer';
import { getTsconfig } from 'get-tsconfig';
import { resolve as resolveSpecifier } from 'import-meta-resolve';
import { cacheFile, esbuildPackage, settingsOf, staleEntries, writeEntry } from './ts-cache.js';

const TS_FILE = /\.(c|m)?tsx?$/i;

interface Esbuild {
  transformSync(code: string, options: Record<string, unknown>): { code: string };
}

/** Why the fast path was not taken (for the fallback's error message and for tests). */
class NotCompilable extends Error {}

let esbuildLoaded: Esbuild | undefined;

function esbuild(fromPath: string): Esbuild {
  if (!esbuildLoaded) {
    const pkg = esbuildPackage(fromPath);
    if (!pkg) throw new NotCompilable('tsx (and its esbuild) is not installed');
    esbuildLoaded = createRequire(pkg)('esbuild') as Esbuild;
  }
  return esbuildLoaded;
}

const tsconfigs = new Map<string, Record<string, unknown>>();

/** The compilerOptions of the nearest tsconfig.json (with `extends` applied), as tsx reads them. */
function tsconfigFor(path: string): Record<string, unknown> {
  const dir = dirname(path);
  let raw = tsconfigs.get(dir);
  if (!raw) {
    raw = { compilerOptions: getTsconfig(dir)?.config.compilerOptions ?? {} };
    tsconfigs.set(dir, raw);
  }
  return raw;
}

function loaderFor(path: string): string {
  return /x$/i.test(path) ? 'tsx' : 'ts';
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

// How tsx finds a file the specifier does not name exactly: `./a.js` may be `./a.ts`, and
// `./a` may be `./a.ts` or `./a/index.ts`.
const JS_TO_TS: Record<string, string[]> = {
  '.js': ['.ts', '.tsx'],
  '.jsx': ['.tsx'],
  '.mjs': ['.mts'],
  '.cjs': ['.cts'],
};
const IMPLICIT = ['.ts', '.tsx', '.mts', '.js', '.mjs', '/index.ts', '/index.tsx', '/index.js'];

function resolveRelative(specifier: string, parentUrl: string): string {
  const url = new URL(specifier, parentUrl);
  if (url.protocol !== 'file:') return url.href;
  const path = fileURLToPath(url);
  if (isFile(path)) return url.href;
  const ext = extname(path);
  const candidates = (JS_TO_TS[ext] ?? []).map((e) => path.slice(0, -ext.length) + e);
  if (!JS_TO_TS[ext]) candidates.push(...IMPLICIT.map((e) => path + e));
  for (const c of candidates) if (isFile(c)) return pathToFileURL(c).href + url.search;
  throw new NotCompilable(`cannot resolve ${specifier} from ${parentUrl}`);
}

/** Where an import of the original module leads, as an absolute URL. */
function resolveImport(specifier: string, parentUrl: string): string {
  if (isBuiltin(specifier)) return specifier;
  if (/^\.{0,2}\//.test(specifier) || specifier.startsWith('file:')) {
    return resolveRelative(specifier, parentUrl);
  }
  if (/^[a-z][a-z0-9+.-]*:/i.test(specifier)) return specifier; // data:, node:, …
  try {
    return resolveSpecifier(specifier, parentUrl);
  } catch (err) {
    throw new NotCompilable(`cannot resolve ${specifier} from ${parentUrl}: ${String(err)}`);
  }
}

/** `import.meta.*` that the output may use: the original module's. */
function metaDefines(path: string): Record<string, string> {
  return {
    'import.meta.url': JSON.stringify(pathToFileURL(path).href),
    'import.meta.filename': JSON.stringify(path),
    'import.meta.dirname': JSON.stringify(dirname(path)),
  };
}

// In a module loaded as ESM these would fail where tsx (running the file as CommonJS) works.
const COMMONJS_ONLY = /\b(require|__dirname|__filename|module\.exports|exports\.)/;

let lexerReady = false;

function transform(path: string, source: string, build: Esbuild, deps: string[]): string {
  const parentUrl = pathToFileURL(path).href;
  const out = build.transformSync(source, {
    loader: loaderFor(path),
    format: 'esm',
    target: `node${process.versions.node}`,
    keepNames: true,
    sourcemap: 'inline',
    sourcefile: path,
    tsconfigRaw: tsconfigFor(path),
    define: metaDefines(path),
  }).code;
  if (!lexerReady) {
    initSync();
    lexerReady = true;
  }
  const [imports, , , hasModuleSyntax] = parse(out);
  if (!hasModuleSyntax) throw new NotCompilable(`${path} has no import or export`);
  const code = out.slice(0, out.lastIndexOf('//# sourceMappingURL='));
  if (COMMONJS_ONLY.test(code)) throw new NotCompilable(`${path} uses CommonJS names`);
  let result = '';
  let last = 0;
  for (const imp of imports) {
    if (imp.d === -2)
      throw new NotCompilable(`${path} uses import.meta beyond url/filename/dirname`);
    if (imp.n === undefined) throw new NotCompilable(`${path} imports a computed specifier`);
    let target = resolveImport(imp.n, parentUrl);
    if (target.startsWith('file:') && TS_FILE.test(new URL(target).pathname)) {
      const depPath = fileURLToPath(target);
      deps.push(depPath);
      target = pathToFileURL(cacheFile(depPath, '.mjs')).href;
    }
    const dynamic = imp.d > -1;
    result += out.slice(last, imp.s) + (dynamic ? JSON.stringify(target) : target);
    last = imp.e;
  }
  return result + out.slice(last);
}

/**
 * Compile `path` and the `.ts` files it imports where their compiled files are stale.
 * Throws NotCompilable when the fast path cannot reproduce a module.
 */
function ensure(path: string, done: Set<string>): void {
  for (const stale of staleEntries(path)) {
    if (done.has(stale)) continue;
    done.add(stale);
    const source = readFileSync(stale, 'utf8');
    const settings = settingsOf(stale);
    if (settings === null) throw new NotCompilable('tsx (and its esbuild) is not installed');
    const deps: string[] = [];
    const code = transform(stale, source, esbuild(stale), deps);
    writeEntry(stale, source, settings, code, deps);
    for (const dep of deps) ensure(dep, done);
  }
}

/**
 * The URL of the compiled JavaScript of the `.ts` module at `url` (compiling it and the `.ts`
 * modules it imports when they changed), or the reason it must be loaded through tsx.
 */
export function compileTsModule(url: string): { url: string } | { reason: string } {
  try {
    const path = fileURLToPath(url);
    ensure(path, new Set());
    return { url: pathToFileURL(cacheFile(path, '.mjs')).href };
  } catch (err) {
    return { reason: err instanceof Error ? err.message : String(err) };
  }
}
