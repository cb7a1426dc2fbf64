/**
 * `installDumpSignal()` and `dumpThreadsLater()`: a thread dump on stderr from outside the
 * code, as Java's SIGQUIT and Python's `faulthandler.register`/`dump_traceback_later`.
 */
import { threadable } from '../targets/threadable.js';
import { Thread } from '../threads/thread.js';
import { formatThreadDump } from './dump.js';

/**
 * Write a thread dump to stderr whenever the process receives `signal` (default SIGUSR2).
 * Node delivers signals on the main thread's event loop, so the dump is printed when the main
 * thread next returns to it (at once if it is idle or awaiting; after the blocking call if it
 * is blocked — use {@link dumpThreadsLater} or the watchdog for a blocked main thread).
 * Returns a function that removes the handler.
 */
export function installDumpSignal(signal: NodeJS.Signals = 'SIGUSR2'): () => void {
  if (typeof signal !== 'string' || !signal.startsWith('SIG')) {
    throw new TypeError(
      `installDumpSignal: signal must be a signal name such as 'SIGUSR2', got ${String(signal)}`,
    );
  }
  const handler = () => process.stderr.write(formatThreadDump());
  process.on(signal, handler);
  return () => process.off(signal, handler);
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
