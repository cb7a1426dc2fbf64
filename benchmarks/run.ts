/**
 * The benchmark runner: `pnpm bench [suite…] [--quick] [--no-python] [--no-save] [--list]`.
 *
 * Every `suites/<name>.ts` is a suite (its default export, made with `defineSuite`); its CPython
 * counterpart is `python/<name>.py`. For each suite the runner measures the Node side (threadkit
 * and raw-Node baselines), then runs the CPython script (never at the same time: the machine
 * may have two cores), prints a table of ratios and goals, and saves the results to
 * `results/latest.json` and the README's results section.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { renderChart } from './lib/chart.js';
import { inChildProcess } from './lib/child.js';
import { pythonVersion, runPython } from './lib/python.js';
import {
  evaluateRows,
  type Machine,
  type Results,
  renderConsole,
  renderMarkdown,
  type SuiteResult,
  spliceReadme,
} from './lib/report.js';
import type { Measured, Suite } from './lib/types.js';

const ROOT = fileURLToPath(new URL('.', import.meta.url));
const SUITES = `${ROOT}suites/`;
const RESULTS = `${ROOT}results/latest.json`;
const CHARTS = `${ROOT}results/charts/`;
const README = `${ROOT}README.md`;
const BIOME = createRequire(import.meta.url).resolve('@biomejs/biome/bin/biome');

const argv = process.argv.slice(2);
const flags = new Set(argv.filter((a) => a.startsWith('--')));
const wanted = argv.filter((a) => !a.startsWith('--'));
const quick = flags.has('--quick');
const withPython = !flags.has('--no-python');
const save = !flags.has('--no-save');
for (const f of flags) {
  if (!['--quick', '--no-python', '--no-save', '--list', '--render-only', '--help'].includes(f)) {
    console.error(`unknown flag ${f}`);
    process.exit(2);
  }
}
if (flags.has('--help')) {
  console.log(
    'usage: pnpm bench [suite…] [--quick] [--no-python] [--no-save] [--list] [--render-only]',
  );
  process.exit(0);
}

const log = (msg: string) => process.stderr.write(`  … ${msg}\n`);

async function loadSuites(): Promise<Suite<any>[]> {
  const files = readdirSync(SUITES)
    .filter((f) => f.endsWith('.ts') && !f.startsWith('_'))
    .sort();
  const suites: Suite<any>[] = [];
  for (const file of files) {
    const mod = (await import(pathToFileURL(SUITES + file).href)) as { default?: Suite<any> };
    const suite = mod.default;
    const name = file.replace(/\.ts$/, '');
    if (!suite || typeof suite.run !== 'function')
      throw new Error(`suites/${file} has no default export made with defineSuite()`);
    if (suite.name !== name)
      throw new Error(`suites/${file} declares name '${suite.name}'; it must be '${name}'`);
    suites.push(suite);
  }
  return suites;
}

async function machine(): Promise<Machine> {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model.trim() ?? 'unknown CPU',
    cores: cpus.length,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.versions.node,
    v8: process.versions.v8,
    python: await pythonVersion(),
    load: [os.loadavg()[0], os.loadavg()[0]],
  };
}

async function runSuite(suite: Suite<any>): Promise<SuiteResult> {
  const started = new Date();
  const t0 = performance.now();
  const params = suite.params(quick);
  const errors: string[] = [];
  let figures: Measured[] = [];
  log(`${suite.name}: Node side`);
  try {
    // A process per suite: no JIT feedback, warm workers or heap carried over between suites.
    const measured = await inChildProcess<Measured[]>(
      new URL('./lib/suite-child.ts', import.meta.url).href,
      'runSuite',
      [`${SUITES}${suite.name}.ts`, quick, params],
      { nodeFlags: [], inheritStderr: true },
    );
    figures = measured.map((f) => ({ source: 'threadkit' as const, ...f }));
  } catch (err) {
    errors.push(
      `Node side failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`,
    );
  }
  let pythonError: string | undefined;
  if (suite.python !== false) {
    if (withPython) {
      log(`${suite.name}: CPython side`);
      const py = await runPython(`${ROOT}python/${suite.name}.py`, params);
      figures.push(...py.figures);
      if (py.error) {
        pythonError = py.error;
        errors.push(`CPython side: ${py.error}`);
      }
    } else {
      pythonError = 'CPython not run (--no-python)';
    }
  }
  return {
    name: suite.name,
    title: suite.title,
    description: suite.description,
    goal: suite.goal,
    quick,
    params,
    startedAt: started.toISOString(),
    durationMs: Math.round(performance.now() - t0),
    figures,
    rows: evaluateRows(suite, figures, pythonError),
    errors,
  };
}

function readResults(): Results | null {
  try {
    return JSON.parse(readFileSync(RESULTS, 'utf8')) as Results;
  } catch {
    return null;
  }
}

function writeAtomically(path: string, text: string): void {
  writeFileSync(`${path}.tmp`, text);
  renameSync(`${path}.tmp`, path);
}

/** Format the README with the project's Biome (it aligns Markdown tables), so lint stays clean. */
function formatReadme(): void {
  const r = spawnSync(process.execPath, [BIOME, 'format', '--write', README], { encoding: 'utf8' });
  if (r.status !== 0)
    console.error(`note: could not format README.md with biome: ${r.stderr || r.error}`);
}

/** Write results/charts/<suite>.svg for every suite in the results. */
function writeCharts(results: Results): void {
  mkdirSync(CHARTS, { recursive: true });
  for (const r of Object.values(results.suites)) {
    const svg = renderChart(r);
    if (svg) writeAtomically(`${CHARTS}${r.name}.svg`, svg);
  }
}

/** Rewrite the README's results section and the charts from results/latest.json, running nothing. */
function renderOnly(): void {
  const results = readResults();
  if (!results) throw new Error('no results/latest.json to render');
  writeCharts(results);
  const readme = readFileSync(README, 'utf8');
  writeAtomically(README, spliceReadme(readme, renderMarkdown(results)));
  formatReadme();
  console.log('rendered the charts and the results section of README.md from results/latest.json');
}

async function main(): Promise<void> {
  if (flags.has('--render-only')) return renderOnly();
  const suites = await loadSuites();
  if (flags.has('--list')) {
    for (const s of suites) console.log(`${s.name.padEnd(20)} ${s.title}`);
    return;
  }
  const unknown = wanted.filter((w) => !suites.some((s) => s.name === w));
  if (unknown.length) {
    console.error(
      `unknown suite(s): ${unknown.join(', ')}; known: ${suites.map((s) => s.name).join(', ')}`,
    );
    process.exit(2);
  }
  const selected = wanted.length ? suites.filter((s) => wanted.includes(s.name)) : suites;
  const m = await machine();
  console.log(
    `threadkit benchmarks — ${m.cpu}, ${m.cores} cores, Node ${m.node}, ${m.python ?? 'no CPython'}${quick ? ', --quick' : ''}`,
  );
  if (m.load && m.load[0] > m.cores * 0.75) {
    console.log(
      `warning: the machine is busy (load average ${m.load[0].toFixed(1)} on ${m.cores} cores); figures will be unreliable`,
    );
  }
  const t0 = performance.now();
  const fresh: SuiteResult[] = [];
  for (const suite of selected) {
    const r = await runSuite(suite);
    fresh.push(r);
    console.log(renderConsole(r));
  }
  console.log(`\n${selected.length} suite(s) in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  m.load = [m.load?.[0] ?? 0, os.loadavg()[0]];
  if (!save) return;
  // Keep the other suites' last results when only some suites were run.
  const previous = readResults();
  const results: Results = { machine: m, updatedAt: new Date().toISOString(), suites: {} };
  for (const s of suites) {
    const r = fresh.find((x) => x.name === s.name) ?? previous?.suites[s.name];
    if (r) results.suites[s.name] = r;
  }
  writeAtomically(RESULTS, `${JSON.stringify(results, null, 2)}\n`);
  writeCharts(results);
  const readme = readFileSync(README, 'utf8');
  writeAtomically(README, spliceReadme(readme, renderMarkdown(results)));
  formatReadme();
  console.log(`saved results/latest.json, results/charts/ and the results section of README.md`);
}

main().then(
  () => process.exit(process.exitCode ?? 0), // do not wait for stray handles
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
