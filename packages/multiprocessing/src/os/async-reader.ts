/**
 * Reading a pipe without blocking the event loop. A libuv stream (a `net.Socket` over our own
 * non-blocking description of the pipe) tells us when data arrives; its `onread` buffers are
 * sized to exactly what we still need, so it never takes a byte more from the pipe than the
 * caller asked for — the pipe can be shared with blocking readers and other processes.
 */
import { constants, openSync } from 'node:fs';
import { Socket } from 'node:net';
import { closeQuietly } from './fd.js';

/** How an async read ended. `data` holds what was read (possibly partial unless `ok`). */
export interface AsyncReadResult {
  data: Buffer;
  status: 'ok' | 'eof' | 'timeout' | 'aborted';
}

interface Request {
  target: Buffer;
  got: number;
  resolve: (r: AsyncReadResult) => void;
  timer: NodeJS.Timeout | null;
  signal?: AbortSignal;
  onAbort?: () => void;
}

/** Exact-size asynchronous reads from the pipe behind file descriptor `fd`. */
export class AsyncReader {
  readonly #fd: number;
  #socket: Socket | null = null;
  #fd2 = -1;
  readonly #queue: Request[] = [];
  readonly #scratch = Buffer.allocUnsafe(64 * 1024);
  #eof = false;
  #error: Error | null = null;

  constructor(fd: number) {
    this.#fd = fd;
  }

  /**
   * Read exactly `n` bytes. Resolves with status `eof` if the pipe ends first, `timeout` at
   * `deadline` (performance.now() ms), `aborted` when `signal` fires; `data` then holds the
   * bytes already taken from the pipe, which the caller must keep.
   */
  read(
    n: number,
    deadline = Number.POSITIVE_INFINITY,
    signal?: AbortSignal,
  ): Promise<AsyncReadResult> {
    if (this.#error) return Promise.reject(this.#error);
    if (this.#eof) return Promise.resolve({ data: Buffer.alloc(0), status: 'eof' });
    return new Promise((resolve) => {
      const req: Request = { target: Buffer.allocUnsafe(n), got: 0, resolve, timer: null, signal };
      if (deadline !== Number.POSITIVE_INFINITY) {
        req.timer = setTimeout(
          () => this.#finish(req, 'timeout'),
          Math.max(0, deadline - performance.now()),
        );
      }
      if (signal) {
        if (signal.aborted) {
          resolve({ data: Buffer.alloc(0), status: 'aborted' });
          return;
        }
        req.onAbort = () => this.#finish(req, 'aborted');
        signal.addEventListener('abort', req.onAbort, { once: true });
      }
      this.#queue.push(req);
      this.#start();
    });
  }

  #start(): void {
    if (!this.#socket) {
      this.#fd2 = openSync(`/proc/self/fd/${this.#fd}`, constants.O_RDONLY | constants.O_NONBLOCK);
      // `onread` (user-supplied read buffers) is accepted by net.Socket though typed only on connect().
      const options = {
        fd: this.#fd2,
        readable: true,
        writable: false,
        onread: {
          buffer: () => this.#nextBuffer(),
          callback: (n: number, buf: Uint8Array) => this.#onData(n, buf),
        },
      };
      const socket = new Socket(options as ConstructorParameters<typeof Socket>[0]);
      socket.on('end', () => this.#onEnd());
      socket.on('error', (err) => this.#onError(err));
      this.#socket = socket;
    }
    this.#socket.ref();
    this.#socket.resume();
  }

  /** The buffer libuv reads into next: exactly what the oldest request still lacks (or 1 byte). */
  #nextBuffer(): Buffer {
    const req = this.#queue[0];
    const want = req ? Math.min(req.target.length - req.got, this.#scratch.length) : 1;
    return this.#scratch.subarray(0, Math.max(1, want));
  }

  #onData(n: number, buf: Uint8Array): boolean {
    let off = 0;
    while (off < n) {
      const req = this.#queue[0];
      if (!req) break; // cannot happen: buffers are sized to the pending requests
      const take = Math.min(n - off, req.target.length - req.got);
      req.target.set(buf.subarray(off, off + take), req.got);
      req.got += take;
      off += take;
      if (req.got === req.target.length) this.#finish(req, 'ok');
    }
    return this.#queue.length > 0;
  }

  #finish(req: Request, status: AsyncReadResult['status']): void {
    const i = this.#queue.indexOf(req);
    if (i < 0) return;
    this.#queue.splice(i, 1);
    if (req.timer) clearTimeout(req.timer);
    if (req.onAbort) req.signal?.removeEventListener('abort', req.onAbort);
    req.resolve({ data: req.target.subarray(0, req.got), status });
    if (this.#queue.length === 0 && this.#socket) {
      this.#socket.pause();
      this.#socket.unref();
    }
  }

  #onEnd(): void {
    this.#eof = true;
    for (const req of [...this.#queue]) this.#finish(req, 'eof');
  }

  #onError(err: Error): void {
    this.#error = err;
    for (const req of [...this.#queue]) this.#finish(req, 'eof');
  }

  /** Stop reading and release the description (pending reads end with status `eof`). */
  close(): void {
    for (const req of [...this.#queue]) this.#finish(req, 'eof');
    if (this.#socket) {
      this.#socket.destroy(); // closes #fd2
      this.#socket = null;
    } else if (this.#fd2 >= 0) {
      closeQuietly(this.#fd2);
    }
    this.#fd2 = -1;
  }
}
