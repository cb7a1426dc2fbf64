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
 * `require` only by a thread that meets a `.ts` module, so no other thread pays for it.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { createRequire, isBuiltin } from 'node:module';
import { tmpdir, userInfo } from 'node:os';
import { dirname, extname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { initSync, parse } from 'es-module-lexer';
import { getTsconfig } from 'get-tsconfig';
import { resolve as resolveSpecifier } from 'import-meta-resolve';

/** Bumped when the output format changes, so older cache entries are never read. */
const FORMAT = 1;

const TS_FILE = /\.(c|m)?tsx?$/i;

interface Meta {
  format: number;
  /** Hash of the source and of everything else the output depends on (settings, esbuild). */
  key: string;
  /** The `.ts` files it imports (paths), whose compiled files it points at. */
  deps: string[];
}

interface Esbuild {
  version: string;
  transformSync(
    code: string,
    options: Record<string, unknown>,
  ): { code: string; warnings: unknown[] };
}

/** Why the fast path was not taken (for the fallback's error message and for tests). */
class NotCompilable extends Error {}

/** Where compiled files go: `$THREADKIT_TS_CACHE`, or a per-user directory in the tmpdir. */
export function cacheDir(): string {
  const env = process.env.THREADKIT_TS_CACHE;
  if (env) return env;
  let user: string;
  try {
    user = String(userInfo().uid >= 0 ? userInfo().uid : userInfo().username);
  } catch {
    user = 'user';
  }
  return join(tmpdir(), `threadkit-${user}`, `ts-${FORMAT}`);
}

function sha(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

let esbuildPkg: string | null | undefined;
let esbuildLoaded: Esbuild | undefined;

/** package.json of tsx's esbuild, found from the module, the working directory or threadkit. */
function esbuildPackage(fromPath: string): string {
  if (esbuildPkg === undefined) {
    esbuildPkg = null;
    for (const base of [fromPath, join(process.cwd(), 'x.js'), __filename]) {
      try {
        const tsxPkg = createRequire(base).resolve('tsx/package.json');
        esbuildPkg = createRequire(tsxPkg).resolve('esbuild/package.json');
        break;
      } catch {}
    }
  }
  if (!esbuildPkg) throw new NotCompilable('tsx (and its esbuild) is not installed');
  return esbuildPkg;
}

function esbuild(fromPath: string): Esbuild {
  esbuildLoaded ??= createRequire(esbuildPackage(fromPath))('esbuild') as Esbuild;
  return esbuildLoaded;
}

const versions = new Map<string, string>();

/** Everything the output depends on besides the source: a change recompiles. */
function settingsKey(path: string): string {
  const pkg = esbuildPackage(path);
  let version = versions.get(pkg);
  if (version === undefined) {
    version = String(JSON.parse(readFileSync(pkg, 'utf8')).version);
    versions.set(pkg, version);
  }
  return sha([FORMAT, process.versions.node, version, tsconfigFor(path).stamp].join('\0'));
}

const tsconfigs = new Map<string, { raw: Record<string, unknown>; stamp: string }>();

/** The compilerOptions of the nearest tsconfig.json (with `extends` applied), as tsx reads them. */
function tsconfigFor(path: string): { raw: Record<string, unknown>; stamp: string } {
  const dir = dirname(path);
  let found = tsconfigs.get(dir);
  if (!found) {
    const ts = getTsconfig(dir);
    const compilerOptions = (ts?.config.compilerOptions ?? {}) as Record<string, unknown>;
    const raw = { compilerOptions };
    found = { raw, stamp: JSON.stringify(raw) };
    tsconfigs.set(dir, found);
  }
  return found;
}

function loaderFor(path: string): string {
  return /x$/i.test(path) ? 'tsx' : 'ts';
}

function cacheFile(path: string, ext: string): string {
  return join(cacheDir(), `${sha(path).slice(0, 24)}${ext}`);
}

function writeAtomically(file: string, text: string): void {
  const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  writeFileSync(tmp, text, { mode: 0o600 });
  renameSync(tmp, file);
}

function readMeta(path: string): Meta | undefined {
  try {
    const meta = JSON.parse(readFileSync(cacheFile(path, '.json'), 'utf8')) as Meta;
    return meta.format === FORMAT ? meta : undefined;
  } catch {
    return undefined;
  }
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
    tsconfigRaw: tsconfigFor(path).raw,
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
 * Make sure `path` and the `.ts` files it imports have current compiled files; `seen` stops
 * cycles. Throws NotCompilable when the fast path cannot reproduce the module.
 */
function ensure(path: string, seen: Set<string>): void {
  if (seen.has(path)) return;
  seen.add(path);
  const source = readFileSync(path, 'utf8');
  const key = `${sha(source)}-${settingsKey(path)}`;
  const meta = readMeta(path);
  if (meta?.key === key && existsSync(cacheFile(path, '.mjs'))) {
    for (const dep of meta.deps) ensure(dep, seen);
    return;
  }
  const deps: string[] = [];
  const code = transform(path, source, esbuild(path), deps);
  mkdirSync(cacheDir(), { recursive: true, mode: 0o700 });
  writeAtomically(cacheFile(path, '.mjs'), code);
  const fresh: Meta = { format: FORMAT, key, deps };
  writeAtomically(cacheFile(path, '.json'), JSON.stringify(fresh));
  for (const dep of deps) ensure(dep, seen);
}

/**
 * The URL of the compiled JavaScript of the `.ts` module at `url` (compiling it and the `.ts`
 * modules it imports when their sources changed), or `undefined` with the reason when it
 * must be loaded through tsx instead.
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
