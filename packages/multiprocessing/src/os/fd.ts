/**
 * Synchronous I/O on file descriptors, usable on any thread. Our pipes are FIFOs opened in
 * blocking mode, so a `readSync` simply parks the calling thread in the kernel until data
 * arrives, exactly like CPython's `os.read` — no event loop needed.
 */
import { closeSync, constants, openSync, readSync, writeSync } from 'node:fs';
import { BrokenPipeError, OSError } from '../errors.js';
import { sleepMs } from './sleep.js';

/** Wrap a failed system call in Python's error classes. */
export function osError(err: unknown, what: string): Error {
  const code = (err as NodeJS.ErrnoException)?.code;
  const e =
    code === 'EPIPE'
      ? new BrokenPipeError(`[Errno 32] Broken pipe (${what})`)
      : new OSError(`${what}: ${(err as Error)?.message ?? String(err)}`);
  if (code) e.code = code;
  return e;
}

/** Read exactly `n` bytes into `buf` at `offset`, blocking. Returns how many were read (< n only at EOF). */
export function readFully(fd: number, buf: Uint8Array, offset: number, n: number): number {
  let got = 0;
  while (got < n) {
    let r: number;
    try {
      r = readSync(fd, buf, offset + got, n - got, null);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EAGAIN' || code === 'EINTR') {
        sleepMs(0.2);
        continue;
      }
      throw osError(err, 'read');
    }
    if (r === 0) break;
    got += r;
  }
  return got;
}

/**
 * Read without blocking from a non-blocking descriptor: the number of bytes read, 0 at EOF,
 * or -1 when nothing is available yet.
 */
export function readNow(fd: number, buf: Uint8Array, offset: number, n: number): number {
  try {
    return readSync(fd, buf, offset, n, null);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EAGAIN' || code === 'EWOULDBLOCK' || code === 'EINTR') return -1;
    throw osError(err, 'read');
  }
}

/** Write the first `n` bytes of `buf` (all by default), blocking while the pipe is full. EPIPE becomes BrokenPipeError. */
export function writeFully(fd: number, buf: Uint8Array, n = buf.length): void {
  let off = 0;
  while (off < n) {
    try {
      off += writeSync(fd, buf, off, n - off);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EAGAIN' || code === 'EINTR') {
        sleepMs(0.2);
        continue;
      }
      throw osError(err, 'write');
    }
  }
}

/**
 * A second, non-blocking open file description of the pipe behind `fd` (Linux: reopening
 * `/proc/self/fd/N` gives a new description, so O_NONBLOCK does not affect the original).
 * Used to test for data without blocking (poll, timed waits).
 */
export function openNonBlocking(fd: number): number {
  return openSync(`/proc/self/fd/${fd}`, constants.O_RDONLY | constants.O_NONBLOCK);
}

/**
 * A private non-blocking read description of the FIFO behind `fd` whose readiness (poll,
 * epoll) reports end of file. Linux suppresses a FIFO reader's hang-up for a non-blocking
 * description opened while the FIFO had no writer, until a writer opens it; so a writer is
 * opened and closed at once (it writes nothing). A reader blocked in `read` cannot be
 * affected: with no writer its read has already returned end of file.
 */
export function openReadiness(fd: number): number {
  const own = openSync(`/proc/self/fd/${fd}`, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    closeSync(openSync(`/proc/self/fd/${own}`, constants.O_WRONLY | constants.O_NONBLOCK));
  } catch {} // not a FIFO we can open for writing: nothing is suppressed then
  return own;
}

/** Close `fd`, ignoring EBADF (already closed). */
export function closeQuietly(fd: number): void {
  try {
    closeSync(fd);
  } catch {}
}
