/**
 * Import a user module inside a worker. TypeScript modules need tsx's loader registered in
 * the worker itself (on Node 20 `execArgv: ['--import', 'tsx']` does not reach workers), so
 * for `.ts` files we register `tsx/esm/api`, resolved from the user's module first.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { stateSlot } from '../thread-state.js';

const TS_FILE = /\.(c|m)?tsx?$/i;
const loader = stateSlot('tsxLoader', () => ({ registered: false }));

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
      const api = await import(tsxEsmApi(base));
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

/**
 * The module this worker is importing to find a target, if any. While it is evaluated, its
 * top-level code must not start threads: that would start them again in every thread that
 * runs one of its targets (and again in theirs…).
 */
export function moduleBeingImported(): string | undefined {
  for (const url of importing) return url;
  return undefined;
}

/** Import `url` in this thread, registering tsx first for TypeScript files. */
export async function importModule(url: string): Promise<Record<string, unknown>> {
  if (TS_FILE.test(new URL(url).pathname)) await registerTsx(url);
  importing.add(url);
  try {
    return await import(url);
  } finally {
    importing.delete(url);
  }
}
