/**
 * The cache of compiled `.ts` modules (see ts-compile.ts, which fills it): where an entry
 * lives and whether it is current. This part is all a thread needs when the cache is warm,
 * so it is small and loads no library: no hashing library either (an entry keeps its source
 * and settings and compares them as they are).
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isPrivateDir, userCacheDir } from '../cache-dir.js';

/** Bumped when the output format changes, so older entries are never read. */
const FORMAT = 2;

/** An entry's record, next to its compiled file. */
interface Entry {
  format: number;
  /** The `.ts` file it was compiled from. */
  path: string;
  /** Its source, as compiled (a change recompiles). */
  source: string;
  /** Everything else the output depends on (see {@link settingsOf}). */
  settings: string;
  /** The `.ts` files it imports, whose compiled files it points at. */
  deps: string[];
}

/** Where compiled files go: `$THREADKIT_TS_CACHE`, or a per-user directory in the tmpdir. */
export function cacheDir(): string {
  return process.env.THREADKIT_TS_CACHE || userCacheDir(`ts-${FORMAT}`);
}

const trusted = new Map<string, boolean>();

/**
 * Whether the cache directory may be used: ours and writable by nobody else (its files are
 * code this process runs; in a shared tmpdir another user could have made it first).
 */
function trustedCacheDir(create: boolean): boolean {
  const dir = cacheDir();
  let ok = trusted.get(dir);
  if (ok === undefined) {
    ok = isPrivateDir(dir, create);
    if (ok === undefined) return false; // not made yet: decided when it is
    trusted.set(dir, ok);
  }
  return ok;
}

/** 64 bits of FNV-1a over the path: a file name (an entry records its path, so a clash is a miss). */
function pathHash(path: string): string {
  let a = 0x811c9dc5;
  let b = 0xcbf29ce4;
  for (let i = 0; i < path.length; i++) {
    const c = path.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x0100019d);
  }
  return (a >>> 0).toString(16).padStart(8, '0') + (b >>> 0).toString(16).padStart(8, '0');
}

/** The compiled file (`.mjs`) or record (`.json`) of the `.ts` file at `path`. */
export function cacheFile(path: string, ext: '.mjs' | '.json'): string {
  return join(cacheDir(), `${basename(path).replace(/\.[^.]*$/, '')}-${pathHash(path)}${ext}`);
}

const found = new Map<string, string | null>();

/** package.json of tsx's esbuild, found from the module, the working directory or threadkit. */
export function esbuildPackage(fromPath: string): string | null {
  const key = dirname(fromPath);
  let pkg = found.get(key);
  if (pkg === undefined) {
    pkg = null;
    for (const base of [fromPath, join(process.cwd(), 'x.js'), fileURLToPath(import.meta.url)]) {
      try {
        const tsxPkg = createRequire(base).resolve('tsx/package.json');
        pkg = createRequire(tsxPkg).resolve('esbuild/package.json');
        break;
      } catch {}
    }
    found.set(key, pkg);
  }
  return pkg;
}

const texts = new Map<string, string>();

function readOnce(file: string): string {
  let text = texts.get(file);
  if (text === undefined) {
    text = readFileSync(file, 'utf8');
    texts.set(file, text);
  }
  return text;
}

const tsconfigs = new Map<string, string>();

/** The nearest tsconfig.json above `dir` and its text ('' when there is none). */
function nearestTsconfig(dir: string): string {
  let stamp = tsconfigs.get(dir);
  if (stamp === undefined) {
    const file = join(dir, 'tsconfig.json');
    const parent = dirname(dir);
    if (existsSync(file)) stamp = `${file}\n${readFileSync(file, 'utf8')}`;
    else stamp = parent === dir ? '' : nearestTsconfig(parent);
    tsconfigs.set(dir, stamp);
  }
  return stamp;
}

/**
 * What the output of `path` depends on besides its source: the format, Node's version (the
 * esbuild target), esbuild's version, and the nearest tsconfig.json.
 */
export function settingsOf(path: string): string | null {
  const pkg = esbuildPackage(path);
  if (!pkg) return null;
  const version = String(JSON.parse(readOnce(pkg)).version);
  return [FORMAT, process.versions.node, version, nearestTsconfig(dirname(path))].join('\n');
}

function readEntry(path: string): Entry | undefined {
  try {
    const entry = JSON.parse(readFileSync(cacheFile(path, '.json'), 'utf8')) as Entry;
    return entry.format === FORMAT && entry.path === path ? entry : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Whether `path` and the `.ts` files it imports all have current compiled files (`seen`
 * stops import cycles). Returns the stale or missing ones' paths, [] when all are current.
 */
export function staleEntries(path: string, seen = new Set<string>()): string[] {
  if (seen.has(path)) return [];
  seen.add(path);
  if (!trustedCacheDir(false)) return [path];
  const entry = readEntry(path);
  let source: string;
  try {
    source = readFileSync(path, 'utf8');
  } catch {
    return [path];
  }
  if (
    !entry ||
    entry.source !== source ||
    entry.settings !== settingsOf(path) ||
    !existsSync(cacheFile(path, '.mjs'))
  ) {
    return [path];
  }
  return entry.deps.flatMap((dep) => staleEntries(dep, seen));
}

function writeAtomically(file: string, text: string): void {
  const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  writeFileSync(tmp, text, { mode: 0o600 });
  renameSync(tmp, file);
}

/** Store the compiled `code` of `path` (its record last, so a record means a whole file). */
export function writeEntry(
  path: string,
  source: string,
  settings: string,
  code: string,
  deps: string[],
): void {
  if (!trustedCacheDir(true)) {
    throw new Error(`${cacheDir()} is not a directory of this user's that only it can write`);
  }
  writeAtomically(cacheFile(path, '.mjs'), code);
  const entry: Entry = { format: FORMAT, path, source, settings, deps };
  writeAtomically(cacheFile(path, '.json'), JSON.stringify(entry));
}
