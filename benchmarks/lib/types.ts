/**
 * The shape of a benchmark suite and of the figures it produces.
 *
 * A suite is two files: `suites/<name>.ts` (the Node side: threadkit and raw-Node baselines)
 * exporting `default defineSuite({...})`, and `python/<name>.py` (the CPython equivalent),
 * which receives the suite's params as JSON in argv[1] and prints `{"figures": [...]}`.
 */

/** Where a figure comes from; decides the column it is shown in. */
export type Source = 'threadkit' | 'node' | 'python';

/** Summary statistics of a figure's samples, in the figure's unit. */
export interface Stats {
  mean?: number;
  p50?: number;
  p99?: number;
  min?: number;
  max?: number;
  /** Relative margin of error of the mean, in percent (tinybench). */
  rme?: number;
  /** Operations per second (for per-operation timings). */
  opsPerSec?: number;
  /** Number of samples the statistics were computed from. */
  samples?: number;
  /** Operations measured in total. */
  ops?: number;
}

/** One measured number. */
export interface Figure {
  /** Stable id within the suite, e.g. `tk.lock`, `node.cas`, `py.lock`. */
  id: string;
  /** Human label, e.g. `threadkit Lock`, `raw CAS lock`, `CPython Lock`. */
  label: string;
  /** The headline value (what ratios and goals use). */
  value: number;
  /** Unit of `value` and `stats`, e.g. `ns/op`, `µs/rt`, `B/lock`. */
  unit: string;
  /** Whether lower values are better (times, bytes: the default) or higher (throughput). */
  better?: 'lower' | 'higher';
  source?: Source;
  stats?: Stats;
  note?: string;
}

/** A figure that could not be measured in this run (not exported yet, no python3…). */
export interface Skipped {
  id: string;
  label: string;
  skipped: string;
  source?: Source;
}

export type Measured = Figure | Skipped;

export function isSkipped(m: Measured | undefined): m is Skipped {
  return m !== undefined && 'skipped' in m;
}

/**
 * A goal clause: the row's figure compared with one baseline, as a cost ratio
 * (row / baseline for lower-is-better figures, baseline / row for higher-is-better).
 * `maxRatio: 2` reads "within 2× of"; `maxRatio: 0.25` reads "≥ 4× faster than".
 */
export interface GoalClause {
  vs: string;
  maxRatio: number;
}

/** One line of a suite's table: a threadkit figure beside its baselines. */
export interface Row {
  /** Id of the threadkit figure this row is about. */
  figure: string;
  /** Ids of the baselines shown beside it (Node ones, then CPython ones). */
  baselines: string[];
  /** The goal the row must meet; omitted for rows that are shown for information. */
  goal?: GoalClause[];
}

/** What a suite's `run` receives. */
export interface SuiteContext<P> {
  /** `--quick`: fewer iterations, for a fast look. */
  quick: boolean;
  /** The suite's params for this run (also passed to the CPython script). */
  params: P;
  /** Progress line on stderr (never mixed into the tables). */
  log(message: string): void;
}

export interface Suite<P = Record<string, unknown>> {
  /** Must equal the file name (`suites/<name>.ts`, `python/<name>.py`). */
  name: string;
  /** One-line title for the table. */
  title: string;
  /** What is measured and how, for the README. */
  description: string;
  /** The suite's goal in words (each row's clauses are checked separately). */
  goal: string;
  /** Iteration counts and sizes, shared by the Node side and the CPython script. */
  params(quick: boolean): P;
  /** Measure the threadkit figures and the raw-Node baselines. */
  run(ctx: SuiteContext<P>): Promise<Measured[]>;
  /** How to lay out the table. */
  rows: Row[];
  /** Set to false if the suite has no CPython counterpart. */
  python?: boolean;
}

/** Identity helper that gives suite files type checking. */
export function defineSuite<P>(suite: Suite<P>): Suite<P> {
  return suite;
}
