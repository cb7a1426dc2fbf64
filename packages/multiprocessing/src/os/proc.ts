/**
 * Linux `/proc/<pid>/stat`: a child's state, start time and — once it is a zombie — its exit
 * status, readable from any thread. This is how a thread blocked in `join()` learns that a
 * child ended even though the event loop that would deliver the 'exit' event is not running
 * (the child stays a zombie, unreaped, until that loop runs).
 */
import { readFileSync } from 'node:fs';
import { constants } from 'node:os';

/** The fields of /proc/<pid>/stat that we use. */
export interface ProcStat {
  /** R, S, D, Z (zombie), T, … */
  state: string;
  /** Start time in clock ticks since boot: identifies the process across pid reuse. */
  startTime: number;
  /** The wait status (as waitpid reports it); meaningful for a zombie. */
  exitStatus: number;
  /** Parent pid. */
  ppid: number;
}

/** Read /proc/<pid>/stat, or null if there is no such process (any more). */
export function procStat(pid: number): ProcStat | null {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'latin1');
  } catch {
    return null;
  }
  // The command name (field 2) may contain spaces and parentheses: split after the last ')'.
  const rest = text
    .slice(text.lastIndexOf(')') + 2)
    .trimEnd()
    .split(' ');
  return {
    state: rest[0] ?? '?',
    ppid: Number(rest[1]),
    startTime: Number(rest[19]),
    exitStatus: Number(rest[49] ?? 0),
  };
}

/** Python's exit code from a wait status: the exit code, or minus the signal number. */
export function exitCodeFromStatus(status: number): number {
  const sig = status & 0x7f;
  return sig !== 0 ? -sig : (status >> 8) & 0xff;
}

/** Python's exit code from Node's 'exit' event arguments. */
export function exitCodeFromEvent(code: number | null, signal: NodeJS.Signals | null): number {
  if (signal) return -(constants.signals[signal] ?? 1);
  return code ?? 1;
}

/** `-SIGTERM` style names for negative exit codes (Python's repr of a Process). */
export function exitCodeName(code: number): string {
  if (code >= 0) return String(code);
  for (const [name, num] of Object.entries(constants.signals)) {
    if (num === -code) return `-${name}`;
  }
  return String(code);
}
