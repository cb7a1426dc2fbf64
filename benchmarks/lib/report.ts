/**
 * Turning figures into tables: ratios against baselines, goal checks, the console table, the
 * JSON results and the README's results section.
 */
import {
  type Figure,
  type GoalClause,
  isSkipped,
  type Measured,
  type Row,
  type Suite,
} from './types.js';

export interface BaselineResult {
  id: string;
  label: string;
  value?: number;
  unit?: string;
  /** Cost ratio: row / baseline (lower-is-better), baseline / row (higher-is-better). */
  ratio?: number;
  text: string;
}

export interface GoalResult {
  text: string;
  /** null when a figure it needs is missing (skipped, or no python3). */
  met: boolean | null;
  clauses: { vs: string; maxRatio: number; ratio?: number; met: boolean | null }[];
}

export interface RowResult {
  figure: string;
  label: string;
  value?: number;
  unit?: string;
  skipped?: string;
  baselines: BaselineResult[];
  goal?: GoalResult;
  /** One line: "threadkit Lock 31 ns/op · raw CAS lock 24 ns (1.3× slower) · …". */
  summary: string;
}

export interface SuiteResult {
  name: string;
  title: string;
  description: string;
  goal: string;
  quick: boolean;
  params: unknown;
  startedAt: string;
  durationMs: number;
  figures: Measured[];
  rows: RowResult[];
  errors: string[];
}

export interface Machine {
  cpu: string;
  cores: number;
  memoryGiB: number;
  os: string;
  node: string;
  v8: string;
  python: string | null;
  /** 1-minute load average before the run and at its end (the end includes the run's own work). */
  load?: [number, number];
}

export interface Results {
  machine: Machine;
  updatedAt: string;
  suites: Record<string, SuiteResult>;
}

// ---------------------------------------------------------------- formatting numbers

/** Three significant digits, no exponent: 0.0123, 1.23, 12.3, 123, 1234. */
export function sig(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  if (a >= 100) return Math.round(v).toLocaleString('en-US');
  if (a >= 10) return v.toFixed(1);
  if (a >= 1) return v.toFixed(2);
  if (a === 0) return '0';
  return v.toPrecision(3);
}

/**
 * `31.2 ns/op`. With `short`, a cost unit loses its denominator (`31.2 ns` beside a figure in
 * ns/op); a rate (`items/s`) keeps it.
 */
export function fmt(v: number | undefined, unit: string, short = false): string {
  if (v === undefined || !Number.isFinite(v)) return '–';
  const u =
    short && /^(ns|µs|us|ms|s|B|KiB|MiB|GiB)\//.test(unit) ? unit.replace(/\/.*$/, '') : unit;
  return `${sig(v)} ${u}`;
}

/** Ratios: two significant digits (1.3, 6.5, 12). */
export function ratio2(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  if (v >= 10) return String(Math.round(v));
  return String(Number(v.toFixed(1)));
}

function ratioText(ratio: number, better: 'lower' | 'higher', unit: string): string {
  const bytes = /^(B|KiB|MiB|bytes)\b/.test(unit);
  if (Math.abs(ratio - 1) < 0.05) return '≈ same';
  if (ratio > 1)
    return `${ratio2(ratio)}× ${bytes ? 'more' : better === 'lower' ? 'slower' : 'less'}`;
  return `${ratio2(1 / ratio)}× ${bytes ? 'less' : better === 'lower' ? 'faster' : 'more'}`;
}

function costRatio(row: Figure, base: Figure): number {
  return (row.better ?? 'lower') === 'lower' ? row.value / base.value : base.value / row.value;
}

export function clauseText(c: GoalClause, label: string): string {
  if (c.maxRatio === 1) return `no worse than ${label}`;
  if (c.maxRatio > 1) return `within ${ratio2(c.maxRatio)}× of ${label}`;
  return `≥ ${ratio2(1 / c.maxRatio)}× faster than ${label}`;
}

// ---------------------------------------------------------------- rows and goals

export function evaluateRows(
  suite: Suite<any>,
  figures: Measured[],
  pythonError?: string,
): RowResult[] {
  const byId = new Map(figures.map((f) => [f.id, f]));
  // The full CPython error is in the suite's errors; rows just say it is missing.
  const pyShort = pythonError?.startsWith('CPython not run')
    ? pythonError
    : 'no CPython figure (see the error below)';
  const missing = (id: string): string =>
    id.startsWith('py.') && pythonError ? pyShort : `not measured (${id})`;
  return suite.rows.map((row: Row) => {
    const f = byId.get(row.figure);
    const label = f?.label ?? row.figure;
    const baselines: BaselineResult[] = row.baselines.map((id) => {
      const b = byId.get(id);
      if (!b) return { id, label: id, text: `${id}: ${missing(id)}` };
      if (isSkipped(b)) return { id, label: b.label, text: `${b.label}: skipped` };
      const out: BaselineResult = { id, label: b.label, value: b.value, unit: b.unit, text: '' };
      if (f && !isSkipped(f)) out.ratio = costRatio(f, b);
      out.text =
        `${b.label} ${fmt(b.value, b.unit, true)}` +
        (out.ratio !== undefined && f && !isSkipped(f)
          ? ` (${ratioText(out.ratio, f.better ?? 'lower', f.unit)})`
          : '');
      return out;
    });
    let goal: GoalResult | undefined;
    if (row.goal) {
      const clauses = row.goal.map((c) => {
        const b = baselines.find((x) => x.id === c.vs);
        const ratio = b?.ratio;
        return {
          vs: c.vs,
          maxRatio: c.maxRatio,
          ratio,
          met: ratio === undefined ? null : ratio <= c.maxRatio,
        };
      });
      const text = row.goal
        .map((c) => clauseText(c, (byId.get(c.vs) as Measured | undefined)?.label ?? c.vs))
        .join(' and ');
      const met = clauses.some((c) => c.met === false)
        ? false
        : clauses.every((c) => c.met === true)
          ? true
          : null;
      goal = { text, met, clauses };
    }
    const head = !f
      ? `${label}: ${missing(row.figure)}`
      : isSkipped(f)
        ? `${label}: skipped (${f.skipped})`
        : `${label} ${fmt(f.value, f.unit)}`;
    const res: RowResult = {
      figure: row.figure,
      label,
      baselines,
      goal,
      summary: [head, ...baselines.map((b) => b.text)].join(' · '),
    };
    if (f && !isSkipped(f)) {
      res.value = f.value;
      res.unit = f.unit;
    } else {
      res.skipped = f ? (f as { skipped: string }).skipped : missing(row.figure);
    }
    return res;
  });
}

export function metText(goal: GoalResult | undefined): string {
  if (!goal) return '';
  if (goal.met === null) return 'n/a';
  if (goal.met) return 'met';
  return 'NOT met';
}

/** The measured ratio of each clause, unrounded enough to see why a goal is (not) met. */
export function measuredText(goal: GoalResult): string {
  return goal.clauses
    .map((c) =>
      c.ratio === undefined
        ? '?'
        : c.maxRatio >= 1
          ? `${c.ratio.toFixed(2)}×`
          : `${(1 / c.ratio).toFixed(2)}× faster`,
    )
    .join('; ');
}

// ---------------------------------------------------------------- console

function table(header: string[], rows: string[][]): string {
  const width = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (c ?? '').padEnd(width[i]))
      .join('  ')
      .trimEnd();
  return [line(header), width.map((w) => '─'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

/** The details table: every figure with its statistics (columns nobody has are dropped). */
function details(figures: Measured[]): { header: string[]; rows: string[][] } {
  const cols: [string, (f: Figure) => string][] = [
    ['value', (f) => fmt(f.value, f.unit)],
    ['mean', (f) => short(f, f.stats?.mean)],
    ['p50', (f) => short(f, f.stats?.p50)],
    ['p99', (f) => short(f, f.stats?.p99)],
    ['min', (f) => short(f, f.stats?.min)],
    ['max', (f) => short(f, f.stats?.max)],
    ['±', (f) => (f.stats?.rme === undefined ? '' : `${f.stats.rme.toFixed(1)}%`)],
    ['ops/s', (f) => (f.stats?.opsPerSec === undefined ? '' : sig(f.stats.opsPerSec))],
    ['samples', (f) => (f.stats?.samples === undefined ? '' : String(f.stats.samples))],
    ['note', (f) => f.note ?? ''],
  ];
  const cells = figures.map((f) =>
    isSkipped(f)
      ? cols.map(([name]) => (name === 'value' ? 'skipped' : name === 'note' ? f.skipped : ''))
      : cols.map(([, get]) => get(f)),
  );
  const keep = cols.map((_, i) => cells.some((row) => row[i] !== ''));
  return {
    header: ['figure', ...cols.map(([name]) => name).filter((_, i) => keep[i])],
    rows: figures.map((f, r) => [f.label, ...cells[r].filter((_, i) => keep[i])]),
  };
}

function short(f: Figure, v: number | undefined): string {
  return v === undefined ? '' : fmt(v, f.unit, true);
}

export function renderConsole(r: SuiteResult): string {
  const out: string[] = [];
  out.push(`\n━━ ${r.name}: ${r.title}${r.quick ? ' (quick)' : ''} ━━`);
  out.push(`goal: ${r.goal}\n`);
  for (const row of r.rows) {
    const mark = !row.goal ? '·' : row.goal.met === true ? '✔' : row.goal.met === false ? '✘' : '?';
    out.push(`${mark} ${row.summary}`);
    if (row.goal)
      out.push(
        `    goal: ${row.goal.text} → ${metText(row.goal)} (measured: ${measuredText(row.goal)})`,
      );
  }
  out.push('');
  const d = details(r.figures);
  out.push(table(d.header, d.rows));
  for (const e of r.errors) out.push(`! ${e}`);
  return out.join('\n');
}

// ---------------------------------------------------------------- markdown

const esc = (s: string) => s.replace(/\|/g, '\\|');

function mdTable(header: string[], rows: string[][]): string {
  return [
    `| ${header.join(' | ')} |`,
    `| ${header.map(() => '---').join(' | ')} |`,
    ...rows.map((r) => `| ${r.map((c) => esc(c ?? '')).join(' | ')} |`),
  ].join('\n');
}

export function renderMarkdown(results: Results): string {
  const m = results.machine;
  const out: string[] = [];
  out.push(
    `Last updated ${results.updatedAt.slice(0, 16).replace('T', ' ')} UTC on ${m.cpu} (${m.cores} cores, ${m.memoryGiB} GiB), ` +
      `${m.os}, Node ${m.node} (V8 ${m.v8}), ${m.python ?? 'no CPython'}` +
      (m.load ? `; load average ${m.load[0].toFixed(1)} before the run.` : '.'),
  );
  // Only the load before the run says whether other work was competing: the load at the end
  // includes the benchmarks' own threads.
  if (m.load && m.load[0] > m.cores * 0.75) {
    out.push('');
    out.push(
      `> **Note:** the machine was busy with other work when the run started (load average ${m.load[0].toFixed(1)} on ${m.cores} cores): treat the figures as rough.`,
    );
  }
  out.push('');
  const names = Object.keys(results.suites).sort();
  const all = names.flatMap((n) => results.suites[n].rows.filter((r) => r.goal));
  const met = all.filter((r) => r.goal?.met === true).length;
  out.push(`Goals met: **${met} of ${all.length}**.`);
  for (const name of names) {
    const r = results.suites[name];
    out.push('');
    out.push(`### \`${name}\`: ${r.title}`);
    out.push('');
    out.push(
      `Goal: ${r.goal} ${r.quick ? '_(measured with `--quick`)_ ' : ''}_Measured ${r.startedAt.slice(0, 16).replace('T', ' ')} UTC._`,
    );
    out.push('');
    out.push(r.description);
    out.push('');
    out.push(
      mdTable(
        ['figure', 'value', 'beside the baselines', 'goal', 'measured', 'met'],
        r.rows.map((row) => [
          row.label,
          row.skipped ? `skipped: ${row.skipped}` : fmt(row.value, row.unit ?? ''),
          row.baselines.map((b) => b.text).join(' · '),
          row.goal?.text ?? '(information)',
          row.goal ? measuredText(row.goal) : '',
          row.goal
            ? row.goal.met === true
              ? 'met'
              : row.goal.met === false
                ? '**not met**'
                : 'n/a'
            : '',
        ]),
      ),
    );
    out.push('');
    out.push(`![${name}: threadkit beside its baselines](results/charts/${name}.svg)`);
    out.push('');
    out.push('<details><summary>All figures</summary>');
    out.push('');
    const d = details(r.figures);
    out.push(mdTable(d.header, d.rows));
    out.push('');
    out.push('</details>');
    for (const e of r.errors) out.push(`\n> **Error:** ${e.split('\n')[0]}`);
  }
  return out.join('\n');
}

export const START = '<!-- bench:results:start -->';
export const END = '<!-- bench:results:end -->';

/** Replace the text between the results markers (append the section if they are missing). */
export function spliceReadme(readme: string, section: string): string {
  const block = `${START}\n<!-- Generated by \`pnpm bench\`: do not edit by hand. -->\n\n${section}\n\n${END}`;
  const a = readme.indexOf(START);
  const b = readme.indexOf(END);
  if (a < 0 || b < a) return `${readme.trimEnd()}\n\n## Latest results\n\n${block}\n`;
  return readme.slice(0, a) + block + readme.slice(b + END.length);
}
