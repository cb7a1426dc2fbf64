/**
 * Runs one suite's Node side in the child process the runner started for it, and returns its
 * figures (JSON) to the runner.
 */
import { pathToFileURL } from 'node:url';
import type { Measured, Suite } from './types.js';

export async function runSuite(file: string, quick: boolean, params: unknown): Promise<Measured[]> {
  const mod = (await import(pathToFileURL(file).href)) as { default: Suite<unknown> };
  const suite = mod.default;
  const log = (m: string) => process.stderr.write(`  … ${suite.name}: ${m}\n`);
  const figures = await suite.run({ quick, params, log });
  // Threads the suite started may still be parked in a pool: the runner only needs the figures.
  setImmediate(() => process.exit(0));
  return figures;
}
