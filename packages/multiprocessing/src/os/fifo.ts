/**
 * Anonymous blocking pipes. Node has no `pipe(2)`, and the socketpairs it makes for child
 * stdio are non-blocking on the parent side, so a blocked thread could not wait on them.
 * Instead we make FIFOs (`mkfifo`, in batches, since each call spawns a process), open both
 * ends in blocking mode, and unlink them at once: what is left is an ordinary kernel pipe
 * whose descriptors can be read with `readSync` on any thread and passed to child processes.
 *
 * Opening trick (Linux): open the read end with O_NONBLOCK (a FIFO open would otherwise wait
 * for a writer), then the write end, then reopen the read end blocking via /proc/self/fd.
 */
import { spawnSync } from 'node:child_process';
import { accessSync, constants, mkdtempSync, openSync, rmdirSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stateSlot } from '@threadkit/core/internal';
import { OSError } from '../errors.js';

/** The descriptors of one pipe: blocking read end, a non-blocking read description, write end. */
export interface FifoFds {
  r: number;
  w: number;
  nb: number;
}

const BATCH = 16;
const stock = stateSlot('mp.fifoStock', () => ({ ready: [] as FifoFds[] }));

/** Where private temporary files go: tmpfs when there is one (no disk I/O). */
export function tempBase(): string {
  try {
    accessSync('/dev/shm', constants.W_OK);
    return '/dev/shm';
  } catch {
    return tmpdir();
  }
}

function makeBatch(): FifoFds[] {
  const dir = mkdtempSync(join(tempBase(), 'threadkit-'));
  const paths = Array.from({ length: BATCH }, (_, i) => join(dir, `p${i}`));
  const out: FifoFds[] = [];
  try {
    const r = spawnSync('mkfifo', ['-m', '600', ...paths], { stdio: ['ignore', 'ignore', 'pipe'] });
    if (r.status !== 0) {
      throw new OSError(
        `cannot create a pipe: mkfifo failed (${r.error?.message ?? r.stderr?.toString().trim()})`,
      );
    }
    for (const p of paths) {
      const nb = openSync(p, constants.O_RDONLY | constants.O_NONBLOCK);
      const w = openSync(p, constants.O_WRONLY);
      const rd = openSync(`/proc/self/fd/${nb}`, constants.O_RDONLY);
      out.push({ r: rd, w, nb });
    }
  } finally {
    for (const p of paths) {
      try {
        unlinkSync(p);
      } catch {}
    }
    try {
      rmdirSync(dir);
    } catch {}
  }
  return out;
}

/** A fresh pipe (blocking descriptors, close-on-exec, nothing left on disk). */
export function newFifo(): FifoFds {
  if (stock.ready.length === 0) stock.ready.push(...makeBatch());
  return stock.ready.pop()!;
}
