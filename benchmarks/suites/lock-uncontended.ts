/**
 * Uncontended acquire + release on one thread: threadkit's Lock, RLock and Semaphore beside a
 * raw compare-exchange lock on an Int32Array and CPython's Lock, RLock and Semaphore.
 */
import { Lock } from '@threadkit/core';
import { allocPermanent, lockWord, unlockWord } from '@threadkit/core/internal';
import { type MicroTask, microBench } from '../lib/micro.js';
import { summarize } from '../lib/stats.js';
import { coreExport, exported } from '../lib/threads.js';
import { defineSuite, type Measured } from '../lib/types.js';

export interface Params {
  /** acquire + release pairs per timed batch. */
  batch: number;
  /** Timed batches per figure. */
  batches: number;
  /** Untimed batches at the start of each round. */
  warmupBatches: number;
  /** Rounds the tasks are interleaved over. */
  rounds: number;
}

/** A raw futex-style lock: CAS 0→1 to take it, exchange to 0 to release (waking if 2). */
function rawCasTask(id: string, label: string, i32: Int32Array, note: string): MicroTask {
  return {
    id,
    label,
    source: 'node',
    note,
    loop: (n) => {
      for (let i = 0; i < n; i++) {
        while (Atomics.compareExchange(i32, 0, 0, 1) !== 0);
        if (Atomics.exchange(i32, 0, 0) === 2) Atomics.notify(i32, 0, 1);
      }
    },
  };
}

export default defineSuite<Params>({
  name: 'lock-uncontended',
  title: 'uncontended acquire + release',
  description:
    'One thread takes and releases the same lock in a loop. Each sample is a batch of 1 000 ' +
    'acquire + release pairs timed as a whole; figures are the **median** batch in ns per pair ' +
    '(mean, p99 and ops/s in the details); the tasks are interleaved over a few rounds so that ' +
    'load from elsewhere hits them alike. CPython runs the same batches of ' +
    "`lock.acquire(); lock.release()` in a `for` loop (the loop's own cost, ~15 ns in CPython " +
    'and ~1 ns in V8, is included). The raw baseline is a futex-style lock on an `Int32Array` ' +
    'over a plain `SharedArrayBuffer` (compare-exchange 0→1, exchange back to 0, notify if it ' +
    'was contended). Diagnostic rows: the same raw lock on a *length-tracking* `Int32Array` over ' +
    "a growable SAB (`arena().i32`'s kind of view), the same on a *fixed-length* view of a growable " +
    "SAB, and core's internal `lockWord`/`unlockWord` on an arena word (the Lock without its " +
    'argument parsing and deadline). An information row compares the idiomatic forms: ' +
    "`using _ = lock.hold()` beside CPython's `with lock:`, and beside a `using` of an empty " +
    'disposable: Node 20 has no native `using`, so esbuild and tsc lower each block to a ' +
    'disposal stack and closures, a cost no `hold()` can remove.',
  goal: "Lock within 2× of the raw CAS lock and ≥ 4× faster than CPython's Lock.",
  params: (quick) => ({
    batch: 1000,
    batches: quick ? 300 : 2000,
    warmupBatches: quick ? 20 : 50,
    rounds: quick ? 2 : 4,
  }),
  rows: [
    {
      figure: 'tk.lock',
      baselines: ['node.cas', 'py.lock'],
      goal: [
        { vs: 'node.cas', maxRatio: 2 },
        { vs: 'py.lock', maxRatio: 0.25 },
      ],
    },
    { figure: 'tk.lockHold', baselines: ['node.cas', 'node.usingEmpty', 'py.lockWith'] },
    // The floor of any `using` block on Node 20: the compiler's lowering around a no-op.
    { figure: 'node.usingEmpty', baselines: ['node.cas'] },
    {
      figure: 'tk.lockHoldDispose',
      baselines: ['node.cas', 'py.lockWith'],
      goal: [{ vs: 'node.cas', maxRatio: 1.5 }],
    },
    { figure: 'tk.lockHoldAsync', baselines: ['node.cas', 'py.lockWith'] },
    {
      figure: 'tk.lockWithLock',
      baselines: ['node.cas', 'py.lockWith'],
      goal: [{ vs: 'node.cas', maxRatio: 1.5 }],
    },
    {
      figure: 'tk.rlock',
      baselines: ['node.cas', 'py.rlock'],
      goal: [
        { vs: 'node.cas', maxRatio: 2 },
        { vs: 'py.rlock', maxRatio: 1 },
      ],
    },
    {
      figure: 'tk.sem',
      baselines: ['node.cas', 'py.sem'],
      goal: [
        { vs: 'node.cas', maxRatio: 2 },
        { vs: 'py.sem', maxRatio: 1 },
      ],
    },
    // Diagnostics: where the Lock's time goes.
    { figure: 'node.casGrowable', baselines: ['node.cas'] },
    { figure: 'node.casGrowableFixed', baselines: ['node.cas'] },
    { figure: 'tk.lockWord', baselines: ['node.casGrowable', 'node.cas'] },
  ],
  async run({ params }) {
    const skipped: Measured[] = [];
    // Order matters a little (later tasks run with the JIT feedback of earlier ones, and
    // RLock/Semaphore call the same lockWord/unlockWord): the headline figures go first.
    const tasks: MicroTask[] = [
      rawCasTask(
        'node.cas',
        'raw CAS lock',
        new Int32Array(new SharedArrayBuffer(16)),
        'Int32Array over a fixed-length SharedArrayBuffer',
      ),
    ];

    const lock = new Lock();
    tasks.push({
      id: 'tk.lock',
      label: 'threadkit Lock',
      loop: (n) => {
        for (let i = 0; i < n; i++) {
          lock.acquire();
          lock.release();
        }
      },
    });

    // The idiomatic forms: `using _ = lock.hold()` beside CPython's `with lock:`.
    const held = new Lock();
    tasks.push({
      id: 'tk.lockHold',
      label: 'threadkit `using _ = lock.hold()`',
      loop: (n) => {
        for (let i = 0; i < n; i++) {
          using _ = held.hold();
        }
      },
    });

    // The lowering alone: `using` of a disposable whose dispose does nothing.
    const nothing = { [Symbol.dispose]() {} };
    tasks.push({
      id: 'node.usingEmpty',
      label: '`using` of an empty disposable (the lowering alone)',
      loop: (n) => {
        for (let i = 0; i < n; i++) {
          using _ = nothing;
        }
      },
    });

    // What `hold()` itself costs, without the compiler's `using` lowering (esbuild and tsc
    // both allocate a disposal stack and closures per `using` block on Node 20, which has no
    // native `using`): the same hold, disposed by hand.
    tasks.push({
      id: 'tk.lockHoldDispose',
      label: 'threadkit lock.hold() + [Symbol.dispose]()',
      loop: (n) => {
        for (let i = 0; i < n; i++) {
          const h = held.hold();
          h[Symbol.dispose]();
        }
      },
    });
    const body = () => {};
    tasks.push({
      id: 'tk.lockWithLock',
      label: 'threadkit lock.withLock(fn)',
      loop: (n) => {
        for (let i = 0; i < n; i++) held.withLock(body);
      },
    });

    tasks.push(
      rawCasTask(
        'node.casGrowable',
        'raw CAS lock, growable SAB',
        new Int32Array(new SharedArrayBuffer(16, { maxByteLength: 1 << 20 })),
        "length-tracking Int32Array over a growable SharedArrayBuffer (arena().i32's kind of view)",
      ),
      rawCasTask(
        'node.casGrowableFixed',
        'raw CAS lock, fixed view of growable SAB',
        new Int32Array(new SharedArrayBuffer(4096, { maxByteLength: 1 << 20 }), 0, 1024),
        'fixed-length Int32Array over a growable SharedArrayBuffer',
      ),
    );

    // threadkit's futex word functions on an arena word, without the Lock API around them.
    const word = allocPermanent(4) >> 2;
    tasks.push({
      id: 'tk.lockWord',
      label: 'threadkit lockWord/unlockWord',
      note: "core's internal futex lock on an arena word (no argument parsing, no deadline)",
      loop: (n) => {
        for (let i = 0; i < n; i++) {
          lockWord(word, Number.POSITIVE_INFINITY);
          unlockWord(word);
        }
      },
    });

    if (exported('RLock')) {
      const RLock = coreExport('RLock');
      const rlock = new RLock();
      tasks.push({
        id: 'tk.rlock',
        label: 'threadkit RLock',
        loop: (n) => {
          for (let i = 0; i < n; i++) {
            rlock.acquire();
            rlock.release();
          }
        },
      });
    } else {
      skipped.push({
        id: 'tk.rlock',
        label: 'threadkit RLock',
        skipped: 'RLock is not exported by @threadkit/core yet',
      });
    }

    if (exported('Semaphore')) {
      const Semaphore = coreExport('Semaphore');
      const sem = new Semaphore(1);
      tasks.push({
        id: 'tk.sem',
        label: 'threadkit Semaphore',
        loop: (n) => {
          for (let i = 0; i < n; i++) {
            sem.acquire();
            sem.release();
          }
        },
      });
    } else {
      skipped.push({
        id: 'tk.sem',
        label: 'threadkit Semaphore',
        skipped: 'Semaphore is not exported by @threadkit/core yet',
      });
    }

    return [...(await microBench(tasks, params)), await holdAsyncFigure(params), ...skipped];
  },
});

/** `await using _ = await lock.holdAsync()` per operation: an async loop, timed per batch. */
async function holdAsyncFigure(params: { batch: number; batches: number }): Promise<Measured> {
  const lock = new Lock();
  const batch = Math.max(1, Math.floor(params.batch / 10));
  const samples: number[] = [];
  for (let k = 0; k < Math.max(5, Math.floor(params.batches / 4)); k++) {
    const t0 = performance.now();
    for (let i = 0; i < batch; i++) {
      await using _ = await lock.holdAsync();
    }
    samples.push((performance.now() - t0) / batch);
  }
  const stats = summarize(samples, 1e6);
  return {
    id: 'tk.lockHoldAsync',
    label: 'threadkit `await using _ = await lock.holdAsync()`',
    source: 'threadkit',
    value: stats.p50!,
    unit: 'ns/op',
    stats,
    note: 'two awaits per operation (the acquire and the disposal), so microtask turns dominate',
  };
}
