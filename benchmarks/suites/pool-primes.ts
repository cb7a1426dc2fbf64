/**
 * CPU-bound work in pools: the book's `Chapter 07/poolImprovement.py` (is_prime over 15 large
 * numbers) run sequentially, on a ThreadPoolExecutor and on a ProcessPoolExecutor, in threadkit
 * and in CPython. Node has no GIL, so threads speed CPU-bound work up where CPython's cannot.
 */
import { ProcessPoolExecutor, ThreadPoolExecutor } from '@threadkit/pool';
import { median } from '../lib/stats.js';
import { defineSuite, type Figure } from '../lib/types.js';

export interface Params {
  /** The numbers tested (the book's PRIMES, or a prefix of them with --quick). */
  primes: number[];
  /** Pool size (the book uses 4). */
  workers: number;
  /** Timed runs of each variant (median kept); CPython runs each once. */
  repeats: number;
}

/** The book's PRIMES (Chapter 07/poolImprovement.py). */
const PRIMES = [
  112272535095293, 112582705942171, 112272535095293, 115280095190773, 115797848077099,
  112272535095293, 115280095190773, 115797848077099, 112272535095293, 115280095190773,
  115797848077099, 112272535095293, 115280095190773, 115797848077099, 1099726899285419,
];

/** The book's is_prime, self-contained so that it can run as an inline task. */
function isPrime(n: number): boolean {
  if (n % 2 === 0) return false;
  const sqrtN = Math.floor(Math.sqrt(n));
  for (let i = 3; i <= sqrtN; i += 2) if (n % i === 0) return false;
  return true;
}

type Variant = 'seq' | 'threads' | 'procs';

/** One run, timed like the book: pool creation, map over every number, shutdown. */
async function runOnce(
  variant: Variant,
  primes: number[],
  workers: number,
): Promise<{ s: number; out: boolean[] }> {
  const t0 = performance.now();
  const out: boolean[] = [];
  if (variant === 'seq') {
    for (const n of primes) out.push(isPrime(n));
  } else {
    await using pool =
      variant === 'threads'
        ? new ThreadPoolExecutor({ maxWorkers: workers })
        : new ProcessPoolExecutor({ maxWorkers: workers });
    for await (const r of pool.map(isPrime, primes)) out.push(r);
  }
  return { s: (performance.now() - t0) / 1000, out };
}

const LABELS: Record<Variant, string> = {
  seq: 'threadkit sequential (main thread)',
  threads: 'threadkit ThreadPoolExecutor',
  procs: 'threadkit ProcessPoolExecutor',
};

export default defineSuite<Params>({
  name: 'pool-primes',
  title: "CPU-bound: the book's prime check (sequential vs thread pool vs process pool)",
  description:
    "`is_prime` (trial division by odd numbers) over the 15 numbers of the book's " +
    '`Chapter 07/poolImprovement.py`, as the book times it: create the pool, `map` over the ' +
    'numbers, shut down. Sequential runs on the main thread; the pools have `workers` workers ' +
    '(4, as in the book) on this 2-core machine. Figures are seconds (median of `repeats` runs; ' +
    'CPython runs each variant once). Node has no GIL: its threads run the loop in parallel, ' +
    "which CPython's threads cannot.",
  goal: 'ThreadPoolExecutor at least 1.8× faster than sequential (2 cores).',
  params: (quick) => ({
    primes: quick ? PRIMES.slice(0, 6) : PRIMES,
    workers: 4,
    repeats: quick ? 1 : 3,
  }),
  rows: [
    {
      figure: 'tk.threads',
      baselines: ['tk.seq', 'py.threads'],
      goal: [{ vs: 'tk.seq', maxRatio: 1 / 1.8 }],
    },
    { figure: 'tk.procs', baselines: ['tk.seq', 'py.procs'] },
    { figure: 'tk.seq', baselines: ['py.seq'] },
    { figure: 'py.threads', baselines: ['py.seq'] },
    { figure: 'py.procs', baselines: ['py.seq'] },
  ],
  async run({ params, log }) {
    const expected = params.primes.map(isPrime);
    const times = new Map<Variant, number[]>([
      ['seq', []],
      ['threads', []],
      ['procs', []],
    ]);
    // Interleaved, so load from elsewhere on the machine hits every variant alike.
    for (let r = 0; r < params.repeats; r++) {
      for (const v of ['seq', 'threads', 'procs'] as const) {
        log(`${LABELS[v]} (run ${r + 1}/${params.repeats})`);
        const { s, out } = await runOnce(v, params.primes, params.workers);
        if (JSON.stringify(out) !== JSON.stringify(expected))
          throw new Error(`${v}: wrong verdicts`);
        times.get(v)!.push(s);
      }
    }
    return (['seq', 'threads', 'procs'] as const).map(
      (v): Figure => ({
        id: `tk.${v}`,
        label: LABELS[v],
        source: v === 'seq' ? 'node' : 'threadkit',
        value: median(times.get(v)!),
        unit: 's',
        stats: {
          min: Math.min(...times.get(v)!),
          max: Math.max(...times.get(v)!),
          samples: params.repeats,
        },
        note:
          v === 'seq'
            ? `${params.primes.length} numbers`
            : `${params.workers} workers, pool start and shutdown included`,
      }),
    );
  },
});
