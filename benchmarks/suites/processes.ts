/**
 * Processes: how long `Process.start()` takes until the target runs in the child, and how many
 * round trips per second a Pipe, a process Queue and a manager proxy carry between two
 * processes — beside CPython's `multiprocessing` (spawn and fork) and bare Node mechanisms.
 */
import { fork, spawn } from 'node:child_process';
import { mkdtempSync, readSync, rmSync, writeSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  type Connection,
  Manager,
  Pipe,
  Process,
  Queue,
  setStartMethod,
  threadable,
} from '@threadkit/multiprocessing';
import { summarize } from '../lib/stats.js';
import { defineSuite, type Figure, type Measured } from '../lib/types.js';

export interface Params {
  /** Process starts timed (each one after the other). */
  starts: number;
  /** Round trips timed through each channel. */
  roundTrips: number;
  /** Round trips before timing. */
  warmup: number;
  /** Manager proxy calls timed. */
  managerCalls: number;
}

const now = () => process.hrtime.bigint(); // CLOCK_MONOTONIC: comparable across processes

// --- code run in the child processes (module targets of this suite) ---

export const sendStartTime = threadable(
  import.meta.url,
  function sendStartTimeFromChild(conn: Connection) {
    conn.send(now());
    conn.close();
  },
);

export const echoPipe = threadable(import.meta.url, function echoOverPipe(conn: Connection) {
  for (;;) {
    const m = conn.recv();
    if (m === null) break;
    conn.send(m);
  }
  conn.close();
});

export const echoQueue = threadable(
  import.meta.url,
  function echoOverQueue(req: Queue, resp: Queue) {
    for (;;) {
      const m = req.get();
      resp.put(m);
      if (m === null) break;
    }
  },
);

// --- measurements ---

/** `target`: this suite's module function (its child loads tsx and this .ts file) or inline. */
function startLatencies(count: number, target: (conn: Connection) => void): number[] {
  const out: number[] = [];
  for (let i = 0; i < count + 1; i++) {
    const [r, w] = Pipe(false);
    const t0 = now();
    const p = new Process({ target, args: [w] });
    p.start();
    w.close();
    const t1 = r.recv() as bigint;
    p.join();
    r.close();
    if (i > 0) out.push(Number(t1 - t0) / 1e6); // the first start is a warm-up (module loading)
  }
  return out;
}

/**
 * The forkserver start method with a ready spare: a pause (not timed) between starts lets
 * the next spare boot. Returns the latencies and how many children ran in a spare.
 */
async function warmStarts(count: number): Promise<{ ms: number[]; warm: number }> {
  setStartMethod('forkserver', true);
  const ms: number[] = [];
  let warm = 0;
  for (let i = 0; i < count + 1; i++) {
    await new Promise((r) => setTimeout(r, 400));
    const [r, w] = Pipe(false);
    const t0 = now();
    const p = new Process({
      target: (conn: Connection) =>
        conn.send([process.hrtime.bigint(), process.argv.includes('--threadkit-spare')]),
      args: [w],
    });
    p.start();
    w.close();
    const [t1, inSpare] = r.recv() as [bigint, boolean];
    p.join();
    r.close();
    if (i > 0) {
      ms.push(Number(t1 - t0) / 1e6);
      if (inSpare) warm++;
    }
  }
  setStartMethod('spawn', true);
  return { ms, warm };
}

async function rawNodeStart(count: number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < count; i++) {
    const t0 = now();
    const child = spawn(
      process.execPath,
      ['-e', 'process.stdout.write(String(process.hrtime.bigint()))'],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    let text = '';
    child.stdout!.setEncoding('utf8').on('data', (d: string) => (text += d));
    await new Promise((resolve) => child.on('close', resolve));
    out.push(Number(BigInt(text) - t0) / 1e6);
  }
  return out;
}

function roundTrips(n: number, one: () => void): number[] {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const t0 = now();
    one();
    out[i] = Number(now() - t0) / 1e3;
  }
  return [...out];
}

/**
 * A throughput figure (round trips per second = 1 / mean round trip). The per-round-trip
 * statistics are in µs, not in the figure's unit, so they go in the note.
 */
function throughput(id: string, label: string, samplesUs: number[], note: string): Figure {
  const stats = summarize(samplesUs);
  return {
    id,
    label,
    value: 1e6 / stats.mean!,
    unit: 'rt/s',
    better: 'higher',
    stats: { samples: samplesUs.length },
    note: `${note}; per round trip: p50 ${stats.p50!.toFixed(1)} µs, mean ${stats.mean!.toFixed(1)} µs, p99 ${stats.p99!.toFixed(0)} µs`,
  };
}

function pipeRoundTrips(p: Params): number[] {
  const [mine, theirs] = Pipe();
  const child = new Process({ target: echoPipe, args: [theirs] });
  child.start();
  theirs.close();
  const msg = { seq: 0, payload: 'x'.repeat(16) };
  roundTrips(p.warmup, () => {
    mine.send(msg);
    mine.recv();
  });
  const samples = roundTrips(p.roundTrips, () => {
    mine.send(msg);
    mine.recv();
  });
  mine.send(null);
  child.join();
  mine.close();
  return samples;
}

/**
 * Raw Node baseline for the Pipe: the same messages as length-prefixed JSON over two kernel
 * pipes, read with blocking `readSync` and written with `writeSync` on both sides — a bare
 * `node` child echoing them (no threadkit in the loop; the pipes come from `Pipe(false)`).
 */
async function rawPipeRoundTrips(p: Params): Promise<number[]> {
  const [toChildR, toChildW] = Pipe(false);
  const [fromChildR, fromChildW] = Pipe(false);
  const script = fileURLToPath(new URL('../lib/pipe-echo.mjs', import.meta.url));
  const child = spawn(process.execPath, [script], {
    stdio: ['ignore', 'inherit', 'inherit', toChildR.fileno(), fromChildW.fileno()],
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  toChildR.close();
  fromChildW.close();
  const w = toChildW.fileno();
  const r = fromChildR.fileno();
  const buf = Buffer.allocUnsafe(64 * 1024);
  const readExact = (off: number, n: number) => {
    for (let got = 0; got < n; ) got += readSync(r, buf, off + got, n - got, null);
  };
  const send = (msg: unknown) => {
    const n = buf.write(JSON.stringify(msg), 4, 'utf8');
    buf.writeUInt32BE(n, 0);
    writeSync(w, buf, 0, 4 + n);
  };
  const msg = { seq: 0, payload: 'x'.repeat(16) };
  const one = () => {
    send(msg);
    readExact(0, 4);
    const len = buf.readUInt32BE(0);
    readExact(4, len);
    JSON.parse(buf.toString('utf8', 4, 4 + len));
  };
  roundTrips(p.warmup, one);
  const samples = roundTrips(p.roundTrips, one);
  send(null);
  await exited;
  toChildW.close();
  fromChildR.close();
  return samples;
}

function queueRoundTrips(p: Params): number[] {
  const req = new Queue();
  const resp = new Queue();
  const child = new Process({ target: echoQueue, args: [req, resp] });
  child.start();
  const msg = { seq: 0, payload: 'x'.repeat(16) };
  const one = () => {
    req.put(msg);
    resp.get();
  };
  roundTrips(p.warmup, one);
  const samples = roundTrips(p.roundTrips, one);
  req.put(null);
  resp.get();
  child.join();
  req.close();
  resp.close();
  return samples;
}

/** `warmup` untimed calls of `once`, then the µs of each of `count` timed ones. */
async function timedRoundTrips(
  once: () => Promise<unknown>,
  warmup: number,
  count: number,
): Promise<number[]> {
  for (let i = 0; i < warmup; i++) await once();
  const out: number[] = [];
  for (let i = 0; i < count; i++) {
    const t0 = now();
    await once();
    out.push(Number(now() - t0) / 1e3);
  }
  return out;
}

async function ipcRoundTrips(p: Params): Promise<number[]> {
  const script = fileURLToPath(new URL('../lib/ipc-echo.mjs', import.meta.url));
  const child = fork(script, [], { stdio: 'ignore' });
  const msg = { seq: 0, payload: 'x'.repeat(16) };
  const once = () =>
    new Promise<void>((resolve) => {
      child.once('message', () => resolve());
      child.send(msg);
    });
  const out = await timedRoundTrips(once, p.warmup, p.roundTrips);
  child.kill();
  return out;
}

/**
 * Raw Node baseline for the manager: a bare Unix-socket echo server in a child process, a
 * small JSON request written and its echo awaited on the event loop, one at a time.
 */
async function socketRoundTrips(p: Params): Promise<number[]> {
  const script = fileURLToPath(new URL('../lib/socket-echo.mjs', import.meta.url));
  const dir = mkdtempSync(join(tmpdir(), 'threadkit-bench-'));
  const path = join(dir, 'echo.sock');
  const child = fork(script, [path], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  await new Promise((resolve) => child.once('message', resolve));
  const socket = createConnection(path);
  await new Promise((resolve) => socket.once('connect', resolve));
  const request = Buffer.from(JSON.stringify([1, 1, 1, ['x'], []]));
  let wake: () => void = () => {};
  socket.on('data', () => wake());
  const once = () =>
    new Promise<void>((resolve) => {
      wake = resolve;
      socket.write(request);
    });
  const out = await timedRoundTrips(once, p.warmup, p.managerCalls);
  socket.destroy();
  child.kill();
  rmSync(dir, { recursive: true, force: true });
  return out;
}

async function managerCalls(p: Params): Promise<number[]> {
  using manager = Manager();
  const ns = await manager.Namespace({ x: 1 });
  // `await`: the manager must live until the calls are done (`using` ends with the function).
  return await timedRoundTrips(async () => await ns.x, p.warmup, p.managerCalls);
}

export default defineSuite<Params>({
  name: 'processes',
  title: 'child processes: start-up, and round trips through a Pipe, a Queue and a manager',
  description:
    'Start: `new Process({ target }).start()` until the target runs in the child, which sends ' +
    'back `process.hrtime.bigint()` (CLOCK_MONOTONIC, so both clocks agree); one start after ' +
    'the other, after one warm-up start; figures are the **median** in ms. Three threadkit ' +
    'figures: an inline target (the default `spawn` start method); a module function of this ' +
    '`.ts` suite, which makes the child register tsx and compile the module (what CPython ' +
    'spawn does with `__main__`); and `setStartMethod("forkserver")`, which hands the job to a ' +
    'spare child booted ahead of time (a 0.4 s pause, not timed, lets each spare boot). CPython ' +
    'does the same with `multiprocessing` contexts `spawn` and `fork` (`time.monotonic_ns()`); ' +
    'the raw Node baseline is a bare `node -e` until its first statement. Round trips: a child ' +
    'echoes every message (a small object) back, one at a time; figures are round trips per ' +
    'second (1 / mean round trip; p50, mean and p99 in µs are in the notes). threadkit: a duplex ' +
    '`Pipe`, a pair of process `Queue`s, a manager `Namespace` attribute read (`await ns.x`); raw ' +
    'Node: the same messages as length-prefixed JSON over two kernel pipes with blocking ' +
    '`readSync`/`writeSync` on both sides (a bare `node` child echoing them), ' +
    '`child_process.fork` IPC (`send`/`message`), and for the manager a bare Unix-socket ' +
    'echo server in a child (a small request written, its echo awaited on the event loop, the ' +
    'least a manager call can cost); CPython: `multiprocessing.Pipe`, a pair ' +
    'of `multiprocessing.Queue`s, a `Manager().Namespace()` attribute read.',
  goal: 'Process start within 2× of CPython spawn; Pipe and Queue round trips at least as many per second as CPython.',
  params: (quick) => ({
    starts: quick ? 5 : 15,
    roundTrips: quick ? 1000 : 5000,
    warmup: quick ? 100 : 300,
    managerCalls: quick ? 300 : 2000,
  }),
  rows: [
    {
      figure: 'tk.start',
      baselines: ['node.start', 'py.start.spawn', 'py.start.fork'],
      goal: [{ vs: 'py.start.spawn', maxRatio: 2 }],
    },
    { figure: 'tk.start.ts', baselines: ['py.start.spawn'] },
    { figure: 'tk.start.forkserver', baselines: ['py.start.spawn', 'py.start.fork'] },
    {
      figure: 'tk.pipe',
      baselines: ['node.pipe', 'node.ipc', 'py.pipe'],
      goal: [{ vs: 'py.pipe', maxRatio: 1 }],
    },
    {
      figure: 'tk.queue',
      baselines: ['node.ipc', 'py.queue'],
      goal: [{ vs: 'py.queue', maxRatio: 1 }],
    },
    { figure: 'tk.manager', baselines: ['node.socket', 'py.manager'] },
  ],
  async run({ params, log }): Promise<Measured[]> {
    log('process starts');
    const inline = startLatencies(params.starts, (conn: Connection) =>
      conn.send(process.hrtime.bigint()),
    );
    const starts = startLatencies(params.starts, sendStartTime);
    const raw = await rawNodeStart(params.starts);
    log('forkserver starts');
    const warm = await warmStarts(params.starts);
    log('pipe round trips');
    const pipe = pipeRoundTrips(params);
    log('raw pipe round trips');
    const rawPipe = await rawPipeRoundTrips(params);
    log('queue round trips');
    const queue = queueRoundTrips(params);
    log('fork IPC round trips');
    const ipc = await ipcRoundTrips(params);
    log('raw socket round trips');
    const socket = await socketRoundTrips(params);
    log('manager proxy calls');
    const manager = await managerCalls(params);
    const median = (samples: number[], id: string, label: string, note: string): Figure => {
      const stats = summarize(samples);
      return { id, label, value: stats.p50!, unit: 'ms', stats, note };
    };
    return [
      median(inline, 'tk.start', 'threadkit Process start', 'start() until an inline target runs'),
      median(
        starts,
        'tk.start.ts',
        'threadkit Process start (.ts module target)',
        'the child registers tsx and loads this suite module first',
      ),
      median(raw, 'node.start', 'bare node process start', '`node -e` until its first statement'),
      median(
        warm.ms,
        'tk.start.forkserver',
        'threadkit Process start (forkserver)',
        `setStartMethod('forkserver'), a ready spare (${warm.warm} of ${warm.ms.length} ran in one)`,
      ),
      throughput('tk.pipe', 'threadkit Pipe round trips', pipe, 'duplex Pipe, child echoes'),
      throughput(
        'tk.queue',
        'threadkit Queue round trips',
        queue,
        'two process Queues, child echoes',
      ),
      throughput(
        'node.pipe',
        'bare Node pipe round trips',
        rawPipe,
        'readSync/writeSync of length-prefixed JSON, a bare node child echoes',
      ),
      throughput('node.ipc', 'fork IPC round trips', ipc, 'child_process.fork send/message'),
      throughput(
        'node.socket',
        'Unix socket round trips',
        socket,
        'a bare net socket echo server in a child, request awaited on the event loop',
      ),
      throughput(
        'tk.manager',
        'threadkit manager proxy calls',
        manager,
        '`await ns.x` on a Namespace',
      ),
    ];
  },
});
