/**
 * A small file shared by processes through an inherited descriptor: the state of a process
 * queue lives here, read and written with positioned I/O (`pread`/`pwrite`) under a
 * cross-process mutex. The file is unlinked as soon as it is open (on tmpfs when available),
 * so it needs no cleanup and vanishes with its last descriptor.
 */

import { randomBytes } from 'node:crypto';
import { ftruncateSync, openSync, readSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { osError } from './fd.js';
import { tempBase } from './fifo.js';

/** Create an anonymous temporary file; returns its descriptor. */
export function anonymousFile(): number {
  const path = join(tempBase(), `threadkit-${process.pid}-${randomBytes(6).toString('hex')}`);
  const fd = openSync(path, 'w+', 0o600);
  unlinkSync(path);
  return fd;
}

/** Read `len` bytes at `pos` into `buf` (all of them; the file is ours). */
export function pread(fd: number, buf: Uint8Array, len: number, pos: number): void {
  let got = 0;
  while (got < len) {
    let n: number;
    try {
      n = readSync(fd, buf, got, len - got, pos + got);
    } catch (err) {
      throw osError(err, 'read');
    }
    if (n === 0) throw osError(new Error('unexpected end of file'), 'read');
    got += n;
  }
}

/** Write `len` bytes of `buf` at `pos`. */
export function pwrite(fd: number, buf: Uint8Array, len: number, pos: number): void {
  let put = 0;
  while (put < len) {
    try {
      put += writeSync(fd, buf, put, len - put, pos + put);
    } catch (err) {
      throw osError(err, 'write');
    }
  }
}

/** Shrink (or grow) the file to `len` bytes. */
export function truncate(fd: number, len: number): void {
  ftruncateSync(fd, len);
}
