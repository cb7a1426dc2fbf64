/**
 * Whole-line output from any thread, at the moment of the call. A worker's `console.log` is
 * normally forwarded through its parent's event loop, so it is late (or lost) while the main
 * thread is blocked in `join()`; we write with `fs.writeSync` instead, under a process-wide
 * lock in the arena so lines from different threads never interleave.
 */
import { writeSync } from 'node:fs';
import { format, inspect } from 'node:util';
import { lockWord, unlockWord } from '../parking/word-lock.js';
import { stdoutLockWord } from './counters.js';

const sleeper = new Int32Array(new SharedArrayBuffer(4));

function writeAll(fd: number, text: string): void {
  let buf = Buffer.from(text, 'utf8');
  while (buf.length > 0) {
    try {
      const n = writeSync(fd, buf);
      buf = buf.subarray(n);
    } catch (err) {
      // A non-blocking pipe that is full: wait a moment for the reader, then retry.
      if ((err as NodeJS.ErrnoException).code !== 'EAGAIN') throw err;
      Atomics.wait(sleeper, 0, 0, 1);
    }
  }
}

/** Write `text` to `fd` (1 = stdout, 2 = stderr) as one uninterrupted piece. */
export function writeWhole(fd: 1 | 2, text: string): void {
  const w = stdoutLockWord();
  lockWord(w, Number.POSITIVE_INFINITY);
  try {
    writeAll(fd, text);
  } catch {
    // stdout closed (e.g. piped into `head`): output is best-effort, never a crash.
  } finally {
    unlockWord(w);
  }
}

/**
 * Python's `print()`: formats like `console.log` and writes the whole line at once, at the
 * moment of the call, from any thread — even while the main thread is blocked.
 */
export function print(...values: unknown[]): void {
  writeWhole(1, `${format(...values)}\n`);
}

/** In a threadkit worker: make `console.*` write whole lines immediately (see above). */
export function patchWorkerConsole(): void {
  const out = (...args: unknown[]) => writeWhole(1, `${format(...args)}\n`);
  const err = (...args: unknown[]) => writeWhole(2, `${format(...args)}\n`);
  console.log = out;
  console.info = out;
  console.debug = out;
  console.warn = err;
  console.error = err;
  console.dir = (obj: unknown, options?: object) => writeWhole(1, `${inspect(obj, options)}\n`);
  // process.stdout/stderr of a worker are also forwarded through the parent: write directly.
  for (const [stream, fd] of [
    [process.stdout, 1],
    [process.stderr, 2],
  ] as const) {
    stream.write = ((chunk: unknown, encoding?: unknown, cb?: unknown) => {
      const callback = typeof encoding === 'function' ? encoding : cb;
      const text =
        typeof chunk === 'string'
          ? chunk
          : Buffer.from(chunk as Uint8Array).toString(
              typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8',
            );
      writeWhole(fd, text);
      if (typeof callback === 'function') queueMicrotask(() => (callback as () => void)());
      return true;
    }) as typeof stream.write;
  }
  console.trace = (...args: unknown[]) => {
    const e = { name: 'Trace', message: format(...args) } as Error;
    Error.captureStackTrace(e, console.trace);
    writeWhole(2, `${e.stack}\n`);
  };
}
