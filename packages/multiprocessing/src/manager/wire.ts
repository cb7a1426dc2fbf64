/**
 * The manager's wire: frames (u32 length + a message, JSON or v8 serialization, see
 * internal/message.ts) on a Unix stream socket. A request is `[id, op, target, path, args]`,
 * a reply `[id, status, value]`: one small array each way, so a call is one socket write and
 * one read on each side, with no per-call objects beyond the promise the caller awaits.
 */
import { writeSync } from 'node:fs';
import type { Socket } from 'node:net';
import { decodeMessage, encodeFrame, HEADER } from '../internal/message.js';

/** What a request asks of the server. */
export const Op = {
  /** `target` is a typeid; `args` its constructor arguments; replies with the new id. */
  Create: 0,
  /** Read the attribute at `path` of object `target`. */
  Get: 1,
  /** Call the method at `path` of object `target` with `args`. */
  Apply: 2,
  /** Set attribute `path[0]` of object `target` to `args[0]`. */
  Set: 3,
  /** A copy of object `target` (`_getvalue()`). */
  Value: 4,
  /** Forget object `target` (`_release()`). */
  Release: 5,
} as const;
export type Op = (typeof Op)[keyof typeof Op];

/** How a request ended. */
export const Status = {
  Ok: 0,
  /** `value` describes a thrown Error: `{ name, message, stack }`. */
  Threw: 1,
  /** `value` is the thrown non-Error value itself. */
  ThrewValue: 2,
} as const;
export type Status = (typeof Status)[keyof typeof Status];

/** `[id, op, target, path, args]`. */
export type Request = [
  id: number,
  op: Op,
  target: number | string,
  path: string[],
  args: unknown[],
];
/** `[id, status, value]`. */
export type Reply = [id: number, status: Status, value: unknown];

/** One frame buffer per thread: a frame is built and written before anything else runs. */
let scratch: Buffer | null = null;
const noCheck = () => {};

/**
 * Send `message` as one frame on `socket`: straight to its descriptor with one `write(2)`
 * when the stream has nothing queued (the common case: no stream bookkeeping, no buffer per
 * frame), else — still connecting, or the kernel's buffer full — through `socket.write`,
 * which keeps the order. Throws what encoding throws (a value that cannot be sent).
 */
export function sendFrame(socket: Socket, message: unknown): void {
  scratch ??= Buffer.allocUnsafe(64 * 1024);
  const frame = encodeFrame(message, scratch, noCheck);
  const n = HEADER + frame.readUInt32BE(0);
  const fd = (socket as unknown as { _handle?: { fd?: number } })._handle?.fd ?? -1;
  let off = 0;
  if (fd >= 0 && !socket.connecting && socket.writableLength === 0) {
    try {
      off = writeSync(fd, frame, 0, n);
    } catch {
      off = 0; // EAGAIN, or a broken connection that the stream will report
    }
  }
  if (off < n) socket.write(Buffer.from(frame.subarray(off, n)));
}

/**
 * Cuts a byte stream into messages. `push` may be given a view of a buffer that the caller
 * reuses for its next read: a partial frame is copied out before `push` returns.
 */
export class FrameReader {
  #rest: Buffer | null = null;
  readonly #deliver: (message: unknown) => void;

  constructor(deliver: (message: unknown) => void) {
    this.#deliver = deliver;
  }

  push(chunk: Buffer): void {
    let buf = chunk;
    if (this.#rest) {
      buf = Buffer.concat([this.#rest, chunk]);
      this.#rest = null;
    }
    let off = 0;
    while (buf.length - off >= HEADER) {
      const len = buf.readUInt32BE(off);
      if (buf.length - off - HEADER < len) break;
      const body = buf.subarray(off + HEADER, off + HEADER + len);
      off += HEADER + len;
      this.#deliver(decodeMessage(body, true));
    }
    if (off < buf.length) this.#rest = Buffer.from(buf.subarray(off));
  }
}
