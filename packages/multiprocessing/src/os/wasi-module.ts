/**
 * The smallest WebAssembly module that lets JavaScript call WASI's `poll_oneoff`: it imports
 * the function, re-exports it as `poll`, and exports one page of memory for the
 * subscriptions and events (see readiness.ts). Assembled here byte by byte, so no build step
 * or binary file is needed.
 */
const name = (s: string): number[] => [s.length, ...Buffer.from(s, 'latin1')];
const section = (id: number, bytes: number[]): number[] => [id, bytes.length, ...bytes];
const I32 = 0x7f;

/** The module's bytes. */
export const WASI_POLL_MODULE = new Uint8Array([
  ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00], // "\0asm", version 1
  ...section(1, [1, 0x60, 4, I32, I32, I32, I32, 1, I32]), // type 0: (i32 ×4) → i32
  ...section(2, [1, ...name('wasi_snapshot_preview1'), ...name('poll_oneoff'), 0x00, 0]), // import func 0
  ...section(5, [1, 0x00, 1]), // one memory of at least one page
  ...section(7, [2, ...name('memory'), 0x02, 0, ...name('poll'), 0x00, 0]), // exports
]);
