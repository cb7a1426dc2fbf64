/**
 * Original: Chapter 06/profileTest.py
 * Shows: profiling a program: Node's CPU profiler finds where the time went, and memory over time is charted.
 *
 * The book runs this program under cProfile, kernprof (line_profiler) and mprof
 * (memory_profiler). The port runs itself again as a child under Node's own profiler,
 * `node --cpu-prof`, and meanwhile samples the child's memory (RSS, from /proc) every 10 ms,
 * as `mprof run` does. When the child ends it prints the functions that took the most time,
 * read from the `.cpuprofile` it wrote (open that in Chrome DevTools or VS Code for the whole
 * tree), and writes the memory samples as an SVG chart (`mprof plot`) to open in a browser.
 * The files go to --out-dir <dir> (default: a new folder under the system's temp folder).
 * The child's sleep (1–5 s, scaled by --fast) is time in `sleep` (Atomics.wait), so the
 * profiler sees it as time spent in `sleep`, not as idle time; in a short (--fast) run most
 * of the time goes to Node loading TypeScript (tsx's loader hooks: makeSyncRequest…).
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { print } from '@threadkit/core';
import { isMain, nap, randint } from '../lib/cli.js';
import { type CpuProfile, memoryChartSvg, rssMiB, topFunctions } from '../lib/profiling.js';
import { tsxImport } from '../run.js';

const CHILD_ENV = 'THREADKIT_PROFILE_CHILD';

function slowFunction(): void {
  nap(randint(1, 5));
  print('Slow Function Executed');
}

function fastFunction(): void {
  print('Fast Function Executed');
}

function main(): void {
  slowFunction();
  fastFunction();
}

/** Run this file as a profiled child; sample its memory until it ends. */
async function profile(outDir: string): Promise<void> {
  const name = 'profileTest.cpuprofile';
  const t0 = performance.now();
  const child = spawn(
    process.execPath,
    [
      '--cpu-prof',
      '--cpu-prof-dir',
      outDir,
      '--cpu-prof-name',
      name,
      '--import',
      tsxImport(),
      fileURLToPath(import.meta.url),
      ...process.argv.slice(2),
    ],
    { env: { ...process.env, [CHILD_ENV]: '1' }, stdio: ['ignore', 'inherit', 'inherit'] },
  );
  const samples: [number, number][] = [];
  const sample = async () => {
    try {
      const mib = rssMiB(await readFile(`/proc/${child.pid}/status`, 'utf8'));
      if (mib !== undefined) samples.push([(performance.now() - t0) / 1000, mib]);
    } catch {
      // the child has just ended
    }
  };
  const timer = setInterval(sample, 10);
  const code = await new Promise<number | null>((r) => child.on('close', r));
  clearInterval(timer);
  if (code !== 0) throw new Error(`the profiled child failed (exit code ${code})`);

  const profileFile = join(outDir, name);
  const top = topFunctions(JSON.parse(readFileSync(profileFile, 'utf8')) as CpuProfile);
  const total = top.reduce((s, f) => s + f.selfMs, 0);
  print(`CPU profile: ${profileFile}`);
  print('Top functions by self time:');
  for (const f of top.slice(0, 8)) {
    const pct = ((100 * f.selfMs) / total).toFixed(1).padStart(5);
    print(
      `  ${f.selfMs.toFixed(1).padStart(9)} ms ${pct}%  ${f.name}${f.where ? `  ${f.where}` : ''}`,
    );
  }
  const chart = join(outDir, 'mprofile.svg');
  writeFileSync(chart, memoryChartSvg(samples, 'profileTest.ts: memory over time'));
  const peak = Math.max(...samples.map(([, m]) => m));
  print(`Memory: ${samples.length} samples, peak ${peak.toFixed(1)} MiB; chart: ${chart}`);
}

if (isMain(import.meta.url)) {
  if (process.env[CHILD_ENV] === '1') main();
  else {
    const { values } = parseArgs({
      options: { 'out-dir': { type: 'string' } },
      strict: false,
      allowPositionals: true,
    });
    const dir = values['out-dir'];
    const outDir =
      typeof dir === 'string' ? resolve(dir) : mkdtempSync(join(tmpdir(), 'profileTest-'));
    mkdirSync(outDir, { recursive: true });
    await profile(outDir);
  }
}
