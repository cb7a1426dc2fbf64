/** What a child process is told when it starts (serialized with v8 into descriptor 3). */
import type { TargetSpec } from '@threadkit/core/internal';
import type { FdMode } from '../internal/transfer.js';

export interface ProcessJob {
  /** What to call: a function target, a Process-subclass instance, or nothing. */
  spec: TargetSpec | null;
  /** Positional arguments, encoded with `encodeShared` (descriptors mapped for the child). */
  args: unknown;
  kwargs?: unknown;
  hasKwargs: boolean;
  name: string;
  daemon: boolean;
  /** Python's `_identity`, joined with ':' (`'1:2'` for the 2nd child of Process-1). */
  identity: string;
  parent: { pid: number; name: string; startTime: number };
  /**
   * How the child gets the descriptors passed in its arguments: inherited as `stdio` entries
   * (a fresh child), or opened again through `/proc/<ppid>/fd/` (a warm one, which already runs).
   */
  fds:
    | { how: 'inherited'; count: number }
    | { how: 'reopen'; ppid: number; fds: number[]; modes: FdMode[] };
}
