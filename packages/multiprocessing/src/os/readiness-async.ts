/**
 * Waiting on the event loop until a pipe is readable, without taking anything from it. libuv
 * asks its `alloc_cb` for a buffer before each read and, given an empty one, reports
 * `UV_ENOBUFS` instead of reading (documented for `uv_read_start`): so a `net.Socket` on a
 * private non-blocking description of the pipe, whose `onread` buffer is empty, turns the
 * kernel's readiness into an `ENOBUFS` error event, with every byte left in the pipe. The
 * socket is then destroyed (closing that description); each wait opens a new one.
 */
import { Socket } from 'node:net';
import { openReadiness } from './fd.js';

const EMPTY = Buffer.alloc(0);

/** How a wait ended. */
export type Readiness = 'ready' | 'timeout' | 'aborted';

/**
 * Resolve `ready` once the pipe behind `fd` has data or is at end of file, `timeout` after
 * `timeoutMs` (0: after one look; null: no limit), `aborted` when `signal` fires.
 */
export function readableAsync(
  fd: number,
  timeoutMs: number | null,
  signal?: AbortSignal,
): Promise<Readiness> {
  if (signal?.aborted) return Promise.resolve('aborted');
  const own = openReadiness(fd);
  return new Promise((resolve) => {
    // `onread` (user-supplied read buffers) is accepted by net.Socket though typed only on connect().
    const options = {
      fd: own,
      readable: true,
      writable: false,
      onread: { buffer: () => EMPTY, callback: () => false },
    };
    const socket = new Socket(options as ConstructorParameters<typeof Socket>[0]);
    let timer: NodeJS.Timeout | null = null;
    let immediate: NodeJS.Immediate | null = null;
    let settled = false;
    const onAbort = () => done('aborted');
    const done = (how: Readiness) => {
      if (settled) return;
      settled = true;
      if (timer) clearTimeout(timer);
      if (immediate) clearImmediate(immediate);
      signal?.removeEventListener('abort', onAbort);
      socket.destroy(); // closes `own`
      resolve(how);
    };
    // ENOBUFS is the readiness report; any other error or the end also means a read would not
    // block (it returns what the error is, or end of file).
    socket.on('error', () => done('ready'));
    socket.on('end', () => done('ready'));
    if (timeoutMs === 0) {
      // The loop polls its descriptors between one check phase (immediates) and the next;
      // called from an I/O callback, the next check phase comes before any poll: so wait for
      // the second.
      immediate = setImmediate(() => {
        immediate = setImmediate(() => done('timeout'));
      });
    } else if (timeoutMs !== null) {
      timer = setTimeout(() => done('timeout'), timeoutMs);
    }
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
