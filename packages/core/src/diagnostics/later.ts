/**
 * `installDumpSignal()` and `dumpThreadsLater()`: a thread dump on stderr from outside the
 * code, as Java's SIGQUIT and Python's `faulthandler.register`/`dump_traceback_later`.
 */
import { constants } from 'node:os';
import { threadable } from '../targets/threadable.js';
import { writeWhole } from '../threads/output.js';
import { Thread } from '../threads/thread.js';
import { formatThreadDump } from './dump.js';

/** Node's own signal watcher (its internal `signal_wrap` binding), as `process.on` uses. */
interface SignalWatcher {
  onsignal: (signum: number) => void;
  start(signum: number): number;
  close(): void;
}

const signalLoop = threadable(
  import.meta.url,
  async (signum: number, ready: Int32Array, stop: Int32Array): Promise<void> => {
    // `process.on(signal)` is a no-op in a worker, but a worker's own event loop can watch a
    // signal through the binding `process.on` is built on (libuv hands a signal to every loop
    // watching it), so the dump is written here even while the main thread is blocked.
    let watcher: SignalWatcher;
    const quiet = process.noDeprecation;
    try {
      process.noDeprecation = true; // process.binding() warns (DEP0111) even for this use
      const { Signal } = (process as unknown as { binding(n: string): unknown }).binding(
        'signal_wrap',
      ) as { Signal: new () => SignalWatcher };
      watcher = new Signal();
      watcher.onsignal = () => writeWhole(2, formatThreadDump());
      if (watcher.start(signum) !== 0) throw new Error('signal watcher did not start');
    } catch {
      Atomics.store(ready, 0, FAILED); // the main thread's handler prints instead
      Atomics.notify(ready, 0);
      return;
    } finally {
      process.noDeprecation = quiet;
    }
    Atomics.store(ready, 0, WATCHING);
    Atomics.notify(ready, 0);
    // The watcher keeps this worker's loop alive; the daemon thread ends when removed.
    while (Atomics.load(stop, 0) === 0) await Atomics.waitAsync(stop, 0, 0).value;
    watcher.close();
  },
  'threadkit.dumpSignal',
);

const WATCHING = 1;
const FAILED = 2;
/** How long installDumpSignal waits for its thread to watch the signal. */
const START_MS = 10_000;

/**
 * Write a thread dump to stderr whenever the process receives `signal` (default SIGUSR2), as
 * `faulthandler.register` and Java's SIGQUIT. The dump is written by a daemon thread
 * ("DumpSignal") watching the signal on its own event loop, so it comes at once even while
 * the main thread is blocked (in `join()`, a lock…). Returns once that thread watches the
 * signal; if it cannot (should Node drop the binding it uses), the main thread's handler
 * writes the dump when its event loop next runs. Returns a function that removes both.
 */
export function installDumpSignal(signal: NodeJS.Signals = 'SIGUSR2'): () => void {
  const signum =
    typeof signal === 'string' ? (constants.signals as Record<string, number>)[signal] : undefined;
  if (signum === undefined) {
    throw new TypeError(
      `installDumpSignal: signal must be a signal name such as 'SIGUSR2', got ${String(signal)}`,
    );
  }
  const ready = new Int32Array(new SharedArrayBuffer(4));
  const stop = new Int32Array(new SharedArrayBuffer(4));
  // Also on the main thread: it keeps the signal from ending the process before the thread
  // watches it, and prints if the thread could not.
  const handler = () => {
    if (Atomics.load(ready, 0) !== WATCHING) process.stderr.write(formatThreadDump());
  };
  process.on(signal, handler);
  const t = new Thread({
    target: signalLoop,
    args: [signum, ready, stop],
    name: 'DumpSignal',
    daemon: true,
  });
  t.start();
  Atomics.wait(ready, 0, 0, START_MS);
  return () => {
    process.off(signal, handler);
    Atomics.store(stop, 0, 1);
    Atomics.notify(stop, 0);
  };
}

const laterLoop = threadable(
  import.meta.url,
  (timeoutMs: number, repeat: boolean, exit: boolean, cancel: Int32Array): void => {
    do {
      if (Atomics.wait(cancel, 0, 0, timeoutMs) !== 'timed-out') return;
      process.stderr.write(`Timeout (${timeoutMs / 1000} s)!\n${formatThreadDump()}`);
      // As faulthandler's exit=True: end the whole process, whatever its threads are doing.
      if (exit) process.kill(process.pid, 'SIGKILL');
    } while (repeat);
  },
  'threadkit.dumpThreadsLater',
);

/**
 * After `timeout` seconds, write a thread dump to stderr from a daemon thread (so it works
 * while every other thread is blocked); every `timeout` seconds if `repeat`; then kill the
 * process if `exit`. Returns a function that cancels it (`cancel_dump_traceback_later`).
 */
export function dumpThreadsLater(
  timeout: number,
  options: { repeat?: boolean; exit?: boolean } = {},
): () => void {
  if (typeof timeout !== 'number' || !(timeout > 0) || !Number.isFinite(timeout)) {
    throw new TypeError(
      `dumpThreadsLater: timeout must be a positive number of seconds, got ${String(timeout)}`,
    );
  }
  const cancel = new Int32Array(new SharedArrayBuffer(4));
  const t = new Thread({
    target: laterLoop,
    args: [timeout * 1000, options.repeat === true, options.exit === true, cancel],
    name: 'DumpThreadsLater',
    daemon: true,
  });
  t.start();
  return () => {
    Atomics.store(cancel, 0, 1);
    Atomics.notify(cancel, 0);
  };
}
