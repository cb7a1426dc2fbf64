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
import { decodeMessage, decodeReused, encodeFrame, frameOf, HEADER } from '../internal/message.js';
import { checkCrossProcess, fdOf, mapFd, PROCESS_SHARED } from '../internal/transfer.js';
import { AsyncReader } from '../os/async-reader.js';
import { closeQuietly, openReadiness, readFully, writeFully } from '../os/fd.js';
import { ReadinessProbe } from '../os/readiness.js';
import { readableAsync } from '../os/readiness-async.js';

/** Descriptors of one end: `r` to read (-1 if write-only), `w` to write (-1 if read-only). */
interface Ends {
  r: number;
  w: number;
  nb?: number;
}

const EMPTY = Buffer.alloc(0);
/** Frames up to this size are built in (and read into) a reused buffer; larger ones get their own. */
const SCRATCH = 64 * 1024;
/** One send buffer per thread: a send is synchronous, and the frame leaves it before it returns. */
let sendScratch: Buffer | null = null;
const rejectUncloneable = (obj: unknown) => checkCrossProcess(obj, 'obj', false);

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
  /** Bytes already taken from the pipe but not yet delivered (an aborted async read). */
  #pending: Buffer = EMPTY;
  #reader: AsyncReader | null = null;
  #probe: ReadinessProbe | null = null;
  /** Where `recv` reads a frame's length and (up to SCRATCH bytes) its body. */
  #recvScratch: Buffer | null = null;

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
    sendScratch ??= Buffer.allocUnsafe(SCRATCH);
    const frame = encodeFrame(obj, sendScratch, rejectUncloneable);
    writeFully(this.#w, frame, HEADER + frame.readUInt32BE(0));
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
    // One write: a frame of up to PIPE_BUF bytes reaches the reader whole.
    sendScratch ??= Buffer.allocUnsafe(SCRATCH);
    writeFully(this.#w, frameOf(payload, sendScratch), HEADER + payload.length);
  }

  // --- receiving (blocking) ---

  /** Read exactly `n` bytes into `out` at `off` (pending ones first), blocking. EOFError if the pipe ends first. */
  #readExact(out: Buffer, off: number, n: number): void {
    let got = Math.min(n, this.#pending.length);
    if (got > 0) {
      this.#pending.copy(out, off, 0, got);
      this.#pending = this.#pending.subarray(got);
    }
    if (got < n) {
      got += this.#eof ? 0 : readFully(this.#r, out, off + got, n - got);
      if (got < n) {
        this.#eof = true;
        throw new EOFError();
      }
    }
  }

  /** The next frame's length (its header read into the reused buffer). */
  #readLength(): number {
    this.#recvScratch ??= Buffer.allocUnsafe(SCRATCH);
    this.#readExact(this.#recvScratch, 0, HEADER);
    return this.#recvScratch.readUInt32BE(0);
  }

  /** Read a body of `len` bytes into the reused buffer when it fits (valid until the next receive). */
  #readBody(len: number): Buffer {
    const into = len <= this.#recvScratch!.length ? this.#recvScratch! : Buffer.allocUnsafe(len);
    this.#readExact(into, 0, len);
    return into;
  }

  /** The next frame's body (see {@link #readBody}). */
  #recvFrame(): Buffer {
    const len = this.#readLength();
    return this.#readBody(len).subarray(0, len);
  }

  /**
   * Receive the next value sent with `send()`, blocking the calling thread until it arrives.
   * Throws EOFError when the other end is closed (everywhere) and nothing is left.
   */
  recv(): unknown {
    this.#checkReadable();
    const len = this.#readLength();
    return decodeReused(this.#readBody(len), len); // no view of the buffer: nothing allocated
  }

  /** Receive the next message as bytes; OSError if it is longer than `maxlength`. */
  recvBytes(maxlength?: number | null): Buffer {
    this.#checkReadable();
    if (maxlength != null && maxlength < 0) throw new ValueError('negative maxlength');
    const len = this.#readLength();
    if (maxlength != null && len > maxlength) {
      this.close();
      throw new OSError('bad message length');
    }
    const out = Buffer.allocUnsafe(len);
    this.#readExact(out, 0, len);
    return out;
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
   * `recv()` then throws EOFError). It takes nothing from the pipe (the kernel is asked, see
   * os/readiness.ts), so another thread or process may read the message that it saw.
   */
  poll(timeout: number | null = 0): boolean {
    this.#checkReadable();
    if (this.#pending.length > 0 || this.#eof) return true;
    if (timeout === null) return this.#readiness().wait(null);
    const deadline = timeouts.waitDeadline(timeout);
    // The kernel's wait lasts at least a millisecond when nothing comes (see os/readiness.ts);
    // its timer may end a little early: wait again until the deadline.
    do {
      if (this.#readiness().wait(deadline - performance.now())) return true;
    } while (performance.now() < deadline);
    return false;
  }

  #readiness(): ReadinessProbe {
    if (this.#nb < 0) this.#nb = openReadiness(this.#r);
    this.#probe ??= new ReadinessProbe(this.#nb);
    return this.#probe;
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

  /**
   * Async twin of {@link poll} (timeout in seconds; `null` waits until there is data). Like
   * `poll` it takes nothing from the pipe (see os/readiness-async.ts), and it never blocks the
   * event loop.
   */
  async pollAsync(
    timeout: number | null = 0,
    options?: { signal?: AbortSignal },
  ): Promise<boolean> {
    this.#checkReadable();
    const signal = options?.signal;
    if (this.#pending.length > 0 || this.#eof) return true;
    const deadline = timeouts.waitDeadline(timeout);
    const ms = timeout === null ? null : Math.max(0, deadline - performance.now());
    const how = await readableAsync(this.#r, ms, signal);
    if (how === 'aborted')
      throw signal?.reason ?? new DOMException('This operation was aborted', 'AbortError');
    return how === 'ready';
  }

  // --- life cycle ---

  /** Close this end (in this process). Idempotent. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#reader?.close();
    this.#reader = null;
    this.#probe = null;
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
