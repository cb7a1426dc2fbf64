/**
 * `multiprocessing.connection.Connection` over kernel pipes. A message is a frame — a 4-byte
 * big-endian length, then the bytes — as in CPython (`send` encodes the object as JSON or v8
 * serialization, see internal/message.ts).
 * Reads block the calling thread in the kernel (any thread, the main thread too); the async
 * twins wait on the event loop instead.
 *
 * A Connection crosses to a child process in its Process arguments (its descriptors are
 * inherited) and to threads of the same process (they share descriptors).
 */
import { inspect } from 'node:util';
import { EOFError, ValueError } from '@threadkit/core';
import {
  attach,
  registerSharedType,
  SHARED,
  type SharedDescriptor,
  takeAttached,
  timeouts,
} from '@threadkit/core/internal';
import { BufferTooShort, OSError } from '../errors.js';
import { decodeMessage, encodeMessage } from '../internal/message.js';
import { checkCrossProcess, fdOf, mapFd, PROCESS_SHARED } from '../internal/transfer.js';
import { AsyncReader } from '../os/async-reader.js';
import { closeQuietly, openNonBlocking, readFully, readNow, writeFully } from '../os/fd.js';
import { Backoff, sleepMs } from '../os/sleep.js';

/** Descriptors of one end: `r` to read (-1 if write-only), `w` to write (-1 if read-only). */
interface Ends {
  r: number;
  w: number;
  nb?: number;
}

const HEADER = 4;
const EMPTY = Buffer.alloc(0);

/**
 * One end of a {@link Pipe}. `send`/`recv` move structured-cloneable values (v8 serialization);
 * `sendBytes`/`recvBytes` move raw bytes. Made by `Pipe()`.
 */
export class Connection {
  #r: number;
  #w: number;
  #nb: number;
  #closed = false;
  #eof = false;
  /** Bytes already taken from the pipe but not yet delivered (a polled header, an aborted read). */
  #pending: Buffer = EMPTY;
  #reader: AsyncReader | null = null;

  /** @internal Connections are made by `Pipe()` (or revived from a parent process). */
  constructor() {
    const ends = takeAttached<Ends>();
    if (!ends) throw new TypeError('Connection objects are made by Pipe()');
    this.#r = ends.r;
    this.#w = ends.w;
    this.#nb = ends.nb ?? -1;
  }

  /** True once `close()` was called. */
  get closed(): boolean {
    return this.#closed;
  }

  /** Whether this end can receive. */
  get readable(): boolean {
    return this.#r >= 0;
  }

  /** Whether this end can send. */
  get writable(): boolean {
    return this.#w >= 0;
  }

  /** The file descriptor this end reads from (or writes to, if write-only). */
  fileno(): number {
    this.#checkOpen();
    return this.#r >= 0 ? this.#r : this.#w;
  }

  #checkOpen(): void {
    if (this.#closed) throw new OSError('handle is closed');
  }

  #checkReadable(): void {
    this.#checkOpen();
    if (this.#r < 0) throw new OSError('connection is write-only');
  }

  #checkWritable(): void {
    this.#checkOpen();
    if (this.#w < 0) throw new OSError('connection is read-only');
  }

  // --- sending ---

  /**
   * Send a value to the other end: structured-cloneable data (no functions, class instances
   * or shared objects — those are rejected with their path). Blocks only while the pipe is full.
   */
  send(obj: unknown): void {
    this.#checkWritable();
    checkCrossProcess(obj, 'obj', false);
    this.#sendFrame(encodeMessage(obj));
  }

  /** Send raw bytes (`buf.subarray(offset, offset + size)`) as one message. */
  sendBytes(buf: ArrayBufferView | ArrayBuffer, offset = 0, size?: number): void {
    this.#checkWritable();
    const bytes = ArrayBuffer.isView(buf)
      ? new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength)
      : new Uint8Array(buf);
    if (offset < 0) throw new ValueError('offset is negative');
    if (bytes.length < offset) throw new ValueError('buffer length < offset');
    const n = size ?? bytes.length - offset;
    if (n < 0) throw new ValueError('size is negative');
    if (offset + n > bytes.length) throw new ValueError('buffer length < offset + size');
    this.#sendFrame(bytes.subarray(offset, offset + n));
  }

  #sendFrame(payload: Uint8Array): void {
    if (payload.length > 0xffffffff) throw new ValueError('message too long');
    if (payload.length <= 64 * 1024) {
      // One write: a frame of up to PIPE_BUF bytes reaches the reader whole.
      const frame = Buffer.allocUnsafe(HEADER + payload.length);
      frame.writeUInt32BE(payload.length, 0);
      frame.set(payload, HEADER);
      writeFully(this.#w, frame);
    } else {
      const header = Buffer.allocUnsafe(HEADER);
      header.writeUInt32BE(payload.length, 0);
      writeFully(this.#w, header);
      writeFully(this.#w, payload);
    }
  }

  // --- receiving (blocking) ---

  /** Read exactly `n` bytes (pending ones first), blocking. EOFError if the pipe ends first. */
  #readExact(n: number): Buffer {
    const out = Buffer.allocUnsafe(n);
    let got = Math.min(n, this.#pending.length);
    if (got > 0) {
      this.#pending.copy(out, 0, 0, got);
      this.#pending = this.#pending.subarray(got);
    }
    if (got < n) {
      const r = this.#eof ? 0 : readFully(this.#r, out, got, n - got);
      got += r;
      if (got < n) {
        this.#eof = true;
        throw new EOFError();
      }
    }
    return out;
  }

  #recvFrame(): Buffer {
    const header = this.#readExact(HEADER);
    return this.#readExact(header.readUInt32BE(0));
  }

  /**
   * Receive the next value sent with `send()`, blocking the calling thread until it arrives.
   * Throws EOFError when the other end is closed (everywhere) and nothing is left.
   */
  recv(): unknown {
    this.#checkReadable();
    return decodeMessage(this.#recvFrame());
  }

  /** Receive the next message as bytes; OSError if it is longer than `maxlength`. */
  recvBytes(maxlength?: number | null): Buffer {
    this.#checkReadable();
    if (maxlength != null && maxlength < 0) throw new ValueError('negative maxlength');
    const header = this.#readExact(HEADER);
    const len = header.readUInt32BE(0);
    if (maxlength != null && len > maxlength) {
      this.close();
      throw new OSError('bad message length');
    }
    return this.#readExact(len);
  }

  /**
   * Receive the next message into `buf` at byte `offset`; returns its length. If it does not
   * fit, throws `BufferTooShort` carrying the whole message as `err.data`.
   */
  recvBytesInto(buf: ArrayBufferView, offset = 0): number {
    this.#checkReadable();
    const view = new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
    if (offset < 0 || offset > view.length) throw new ValueError('offset out of bounds');
    const data = this.#recvFrame();
    if (data.length > view.length - offset) throw new BufferTooShort(data);
    view.set(data, offset);
    return data.length;
  }

  /**
   * Whether there is anything to read: `timeout` 0 (default) checks at once, a number of
   * seconds waits that long, `null` waits until there is. True also at end of file (the next
   * `recv()` then throws EOFError). It may take the next message's header from the pipe.
   */
  poll(timeout: number | null = 0): boolean {
    this.#checkReadable();
    if (this.#pending.length > 0 || this.#eof) return true;
    if (timeout === null) {
      const one = Buffer.allocUnsafe(1);
      if (readFully(this.#r, one, 0, 1) === 0) this.#eof = true;
      else this.#pending = one;
      return true;
    }
    const deadline = timeouts.waitDeadline(timeout);
    const backoff = new Backoff();
    for (;;) {
      if (this.#tryFill()) return true;
      if (performance.now() >= deadline) return false;
      sleepMs(backoff.next(deadline));
    }
  }

  /** Take up to a header's worth of bytes without blocking; true if something (or EOF) came. */
  #tryFill(): boolean {
    if (this.#nb < 0) this.#nb = openNonBlocking(this.#r);
    const buf = Buffer.allocUnsafe(HEADER);
    const n = readNow(this.#nb, buf, 0, HEADER);
    if (n === 0) {
      this.#eof = true;
      return true;
    }
    if (n < 0) return false;
    this.#pending = buf.subarray(0, n);
    return true;
  }

  // --- receiving (async) ---

  /** Read exactly `n` bytes without blocking the event loop; consumed bytes go to `taken`. */
  async #readExactAsync(n: number, taken: Buffer[], signal?: AbortSignal): Promise<Buffer> {
    const out = Buffer.allocUnsafe(n);
    const got = Math.min(n, this.#pending.length);
    if (got > 0) {
      this.#pending.copy(out, 0, 0, got);
      this.#pending = this.#pending.subarray(got);
      taken.push(out.subarray(0, got));
    }
    if (got < n) {
      if (this.#eof) throw new EOFError();
      this.#reader ??= new AsyncReader(this.#r);
      const res = await this.#reader.read(n - got, Number.POSITIVE_INFINITY, signal);
      out.set(res.data, got);
      taken.push(res.data);
      if (res.status === 'eof') {
        this.#eof = true;
        throw new EOFError();
      }
      if (res.status !== 'ok')
        throw signal?.reason ?? new DOMException('This operation was aborted', 'AbortError');
    }
    return out;
  }

  async #recvFrameAsync(signal?: AbortSignal): Promise<Buffer> {
    const taken: Buffer[] = [];
    try {
      const header = await this.#readExactAsync(HEADER, taken, signal);
      return await this.#readExactAsync(header.readUInt32BE(0), taken, signal);
    } catch (err) {
      // Aborted mid-message: keep what was read, so the next receive starts where it should.
      if (!(err instanceof EOFError)) this.#pending = Buffer.concat([...taken, this.#pending]);
      throw err;
    }
  }

  /** Async twin of {@link recv}: waits on the event loop instead of blocking the thread. */
  async recvAsync(options?: { signal?: AbortSignal }): Promise<unknown> {
    this.#checkReadable();
    return decodeMessage(await this.#recvFrameAsync(options?.signal));
  }

  /** Async twin of {@link recvBytes}. */
  async recvBytesAsync(
    maxlength?: number | null,
    options?: { signal?: AbortSignal },
  ): Promise<Buffer> {
    this.#checkReadable();
    if (maxlength != null && maxlength < 0) throw new ValueError('negative maxlength');
    const data = await this.#recvFrameAsync(options?.signal);
    if (maxlength != null && data.length > maxlength) {
      this.close();
      throw new OSError('bad message length');
    }
    return data;
  }

  /** Async twin of {@link poll} (timeout in seconds; `null` waits until there is data). */
  async pollAsync(
    timeout: number | null = 0,
    options?: { signal?: AbortSignal },
  ): Promise<boolean> {
    this.#checkReadable();
    if (this.#pending.length > 0 || this.#eof) return true;
    if (timeout !== null && timeout <= 0) return this.#tryFill();
    const deadline = timeouts.waitDeadline(timeout);
    this.#reader ??= new AsyncReader(this.#r);
    const res = await this.#reader.read(1, deadline, options?.signal);
    if (res.data.length > 0) this.#pending = Buffer.concat([this.#pending, res.data]);
    if (res.status === 'eof') this.#eof = true;
    if (res.status === 'aborted') throw options?.signal?.reason;
    return res.status !== 'timeout';
  }

  // --- life cycle ---

  /** Close this end (in this process). Idempotent. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#reader?.close();
    this.#reader = null;
    for (const fd of [this.#r, this.#w, this.#nb]) if (fd >= 0) closeQuietly(fd);
  }

  /** `using conn = …` closes it. */
  [Symbol.dispose](): void {
    this.close();
  }

  /** @internal Descriptors for a thread (same numbers) or a child process (mapped). */
  [SHARED](): SharedDescriptor {
    this.#checkOpen();
    return { type: 'mp.Connection', words: [mapFd(this.#r, 'r'), mapFd(this.#w, 'w')] };
  }

  /** @internal May cross to a child process in its arguments. */
  get [PROCESS_SHARED](): boolean {
    return true;
  }

  /** A short description: `<Connection duplex fd=N>`. */
  toString(): string {
    const mode =
      this.readable && this.writable ? 'duplex' : this.readable ? 'read-only' : 'write-only';
    return `<Connection ${mode}${this.#closed ? ' closed' : ` fd=${this.fileno()}`}>`;
  }

  /** Shown by `console.log`. */
  [inspect.custom](): string {
    return this.toString();
  }
}

/** Make a Connection over existing descriptors. Package-internal (not in index.ts). */
export function connectionOf(ends: Ends): Connection {
  return attach(ends, () => new Connection());
}

registerSharedType('mp.Connection', (d) =>
  connectionOf({ r: fdOf(d.words[0]), w: fdOf(d.words[1]) }),
);
