/**
 * Runs the book's examples: one, a chapter, or all of them, each as its own program.
 *
 *   pnpm example ch04/barriers          one script (also: ch04/barriers.ts, or just barriers)
 *   pnpm example ch04                   every script of chapter 4, one after another
 *   pnpm example all --fast             every script, with sleeps scaled down
 *   pnpm example --help                 the list, one line per script
 *   pnpm example --table                the list as the Markdown table of README.md
 *
 * Options after the name go to the scripts: --fast, --scale <f>, --iterations <n>,
 * --seconds <s>, --threads <n> (see lib/cli.ts).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

export interface ExampleInfo {
  /** `ch04/barriers` */
  name: string;
  /** Absolute path of the script. */
  file: string;
  /** `Chapter 04/barriers.py`, or '' for scripts that port nothing (demo). */
  original: string;
  /** One line: what it shows. */
  shows: string;
}

/** Read the header comment: `Original: …` and `Shows: …` (which may wrap onto more lines). */
export function describe(file: string): { original: string; shows: string } {
  const text = readFileSync(file, 'utf8');
  const header = /^\/\*\*([\s\S]*?)\*\//.exec(text)?.[1] ?? '';
  const lines = header.split('\n').map((l) => l.replace(/^\s*\*\s?/, ''));
  let original = '';
  let shows = '';
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (line.startsWith('Original:')) original = line.slice('Original:'.length).trim();
    if (line.startsWith('Shows:')) {
      shows = line.slice('Shows:'.length).trim();
      for (let j = i + 1; j < lines.length && lines[j].trim() !== ''; j++)
        shows += ` ${lines[j].trim()}`;
    }
  }
  return { original, shows };
}

/** Every example script, chapter by chapter, then the demo. */
export function listExamples(): ExampleInfo[] {
  const chapters = readdirSync(here)
    .filter((d) => /^ch\d\d$/.test(d))
    .sort();
  const list: ExampleInfo[] = [];
  for (const ch of chapters) {
    const files = readdirSync(join(here, ch))
      .filter((f) => f.endsWith('.ts'))
      .sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase()));
    for (const f of files) {
      const file = join(here, ch, f);
      list.push({ name: `${ch}/${f.slice(0, -3)}`, file, ...describe(file) });
    }
  }
  const demo = join(here, 'demo.ts');
  if (existsSync(demo)) list.push({ name: 'demo', file: demo, ...describe(demo) });
  return list;
}

/** The examples a selector names: `all`, `ch04`, `ch04/barriers(.ts)`, or a unique `barriers`. */
export function select(all: ExampleInfo[], selector: string): ExampleInfo[] {
  const s = selector.replace(/\.ts$/, '').replace(/\/$/, '');
  if (s === 'all') return all;
  if (/^ch\d\d$/.test(s)) return all.filter((e) => e.name.startsWith(`${s}/`));
  const exact = all.filter((e) => e.name === s);
  if (exact.length > 0) return exact;
  const byBase = all.filter((e) => e.name.split('/').pop()!.toLowerCase() === s.toLowerCase());
  return byBase.length === 1 ? byBase : [];
}

function usage(all: ExampleInfo[]): string {
  const width = Math.max(...all.map((e) => e.name.length));
  const rows = all.map((e) => `  ${e.name.padEnd(width)}  ${e.shows}`);
  return [
    'Usage: pnpm example <script | chapter | all> [--fast] [--scale f] [--iterations n] [--seconds s] [--threads n]',
    '',
    '  pnpm example ch04/barriers   run one script',
    '  pnpm example ch04            run every script of a chapter',
    '  pnpm example all --fast      run everything, sleeps scaled down (also THREADKIT_FAST=1)',
    '',
    'Options of single scripts: --out-dir <dir> (ch06/profileTest: where its CPU profile and',
    '  memory chart go), --log-file <path> (ch08/logging: default myapp.log).',
    '',
    `Scripts (${all.filter((e) => e.original).length} ports of the book's chapters 1–8, and the demo):`,
    ...rows,
  ].join('\n');
}

function table(all: ExampleInfo[]): string {
  const rows = all
    .filter((e) => e.original)
    .map((e) => {
      const ch = Number(e.name.slice(2, 4));
      const shows = e.shows.charAt(0).toUpperCase() + e.shows.slice(1);
      return `| ${ch} | \`${e.original}\` | [\`${e.name}.ts\`](${e.name}.ts) | ${shows} |`;
    });
  return ['| Ch | Original | Our script | What it shows |', '|---|---|---|---|', ...rows].join(
    '\n',
  );
}

/** The `--import` argument that lets node run TypeScript (tsx's loader). */
export function tsxImport(): string {
  const loader = createRequire(import.meta.url).resolve('tsx');
  return pathToFileURL(loader).href;
}

const VALUE_OPTIONS = new Set([
  '--scale',
  '--iterations',
  '--seconds',
  '--threads',
  '--out-dir',
  '--log-file',
]);

/** The first positional argument (the selector) and the rest (passed on to the scripts). */
function splitArgs(argv: string[]): { selector: string | undefined; args: string[] } {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (VALUE_OPTIONS.has(a)) i++;
    else if (!a.startsWith('-'))
      return { selector: a, args: [...argv.slice(0, i), ...argv.slice(i + 1)] };
  }
  return { selector: undefined, args: argv };
}

function main(argv: string[]): number {
  process.stdout.on('error', () => {}); // e.g. piped into head
  const all = listExamples();
  const { selector, args } = splitArgs(argv);
  if (argv.includes('--table')) {
    console.log(table(all));
    return 0;
  }
  if (argv.includes('--help') || argv.includes('-h') || !selector) {
    console.log(usage(all));
    return selector || argv.includes('--help') || argv.includes('-h') ? 0 : 2;
  }
  const chosen = select(all, selector);
  if (chosen.length === 0) {
    console.error(`No example named '${selector}'. Run 'pnpm example --help' for the list.`);
    return 2;
  }
  const failed: string[] = [];
  for (const e of chosen) {
    if (chosen.length > 1) {
      const what = e.original ? ` (${e.original})` : '';
      console.log(`\n=== ${e.name}${what} ===`);
    }
    const env = { ...process.env };
    delete env.THREADKIT_EXAMPLE_ARGS; // each script parses its own command line
    const r = spawnSync(process.execPath, ['--import', tsxImport(), e.file, ...args], {
      stdio: 'inherit',
      cwd: here,
      env,
    });
    if (r.status !== 0) failed.push(`${e.name} (${r.signal ?? `exit code ${r.status}`})`);
  }
  if (chosen.length > 1) {
    console.log(
      `\n${chosen.length - failed.length} of ${chosen.length} examples ran successfully.`,
    );
    if (failed.length > 0) console.log(`Failed: ${failed.join(', ')}`);
  }
  return failed.length > 0 ? 1 : 0;
}

if (process.argv[1] && relative(process.argv[1], fileURLToPath(import.meta.url)) === '') {
  process.exitCode = main(process.argv.slice(2));
}
