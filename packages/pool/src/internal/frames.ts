/**
 * Length-prefixed frames on a byte stream (the channel of a pool process, both ways): a frame
 * is a 4-byte little-endian length, then that many bytes. A frame carries a batch of
 * messages (`v8.serialize` of an array), so one write and one read move many tasks or results.
 */
import type { Socket } from 'node:net';

/** Bytes of a frame's length prefix. */
const HEADER = 4;

/** The length prefix of a frame of `length` bytes. */
export function frameHeader(length: number): Buffer {
  const header = Buffer.allocUnsafe(HEADER);
  header.writeUInt32LE(length, 0);
  return header;
}

/** Write `body` as one frame: header and body go out in one system call (corked). */
export function writeFrame(socket: Socket, body: Uint8Array): void {
  const header = frameHeader(body.length);
  socket.cork();
  socket.write(header);
  socket.write(body);
  socket.uncork();
}

/**
 * Cuts a stream of chunks into frames. A frame split over many chunks is joined once, when
 * its last byte has come (not at every chunk: a large frame would be copied quadratically).
 */
export class FrameReader {
  /** Chunks of the frame in progress (its header first), and their bytes. */
  #parts: Buffer[] = [];
  #have = 0;
  /** Bytes the frame in progress needs in all (header included); 0 while the header is short. */
  #need = 0;

  /** Take `chunk`; call `each` with the body of every frame it completes, in order. */
  feed(chunk: Buffer, each: (body: Buffer) => void): void {
    let data = chunk;
    if (this.#parts.length > 0) {
      this.#parts.push(chunk);
      this.#have += chunk.length;
      if (this.#need === 0 && this.#have >= HEADER) {
        const head = Buffer.concat(this.#parts, HEADER);
        this.#need = HEADER + head.readUInt32LE(0);
      }
      if (this.#need === 0 || this.#have < this.#need) return;
      data = Buffer.concat(this.#parts, this.#have);
      this.#parts = [];
      this.#have = 0;
      this.#need = 0;
    }
    let off = 0;
    while (data.length - off >= HEADER) {
      const end = off + HEADER + data.readUInt32LE(off);
      if (end > data.length) break;
      each(data.subarray(off + HEADER, end));
      off = end;
    }
    if (off < data.length) {
      const rest = data.subarray(off);
      this.#parts = [rest];
      this.#have = rest.length;
      this.#need = rest.length >= HEADER ? HEADER + rest.readUInt32LE(0) : 0;
    }
  }
}
