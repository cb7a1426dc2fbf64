/**
 * Import a user module inside a worker. TypeScript modules need tsx's loader registered in
 * the worker itself (on Node 20 `execArgv: ['--import', 'tsx']` does not reach workers), so
 * for `.ts` files we register `tsx/esm/api`, resolved from the user's module first.
 */
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { stateSlot } from '../internal/state.js';

const TS_FILE = /\.(c|m)?tsx?$/i;
const loader = stateSlot('tsxLoader', () => ({ registered: false }));

async function registerTsx(fromUrl: string): Promise<void> {
  if (loader.registered) return;
  const candidates = [fromUrl, pathToFileURL(`${process.cwd()}/`).href, import.meta.url];
  let lastErr: unknown;
  for (const base of candidates) {
    try {
      const path = createRequire(base).resolve('tsx/esm/api');
      const api = await import(pathToFileURL(path).href);
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

/** Import `url` in this thread, registering tsx first for TypeScript files. */
export async function importModule(url: string): Promise<Record<string, unknown>> {
  if (TS_FILE.test(new URL(url).pathname)) await registerTsx(url);
  return import(url);
}
