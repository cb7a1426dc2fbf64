/**
 * Whether a pipe has data, without taking any: the kernel's own readiness test. Node exposes
 * no poll(2), select(2) or FIONREAD, but its WASI runtime (uvwasi) implements `poll_oneoff`
 * with `uv_poll` handles on a private libuv loop — epoll underneath — and a WASI instance can
 * be given any host descriptor as its stdin. So a three-line WebAssembly module that re-exports
 * `poll_oneoff` is a blocking, timed, non-consuming poll usable from any thread.
 *
 * Two details of uvwasi shape the calls. `uv_poll_init` sets O_NONBLOCK on what it polls, so
 * the descriptor handed over must be a private description (the Connection's non-blocking
 * reopen), never the shared blocking one. And its timeouts are whole milliseconds on a loop
 * that runs due timers before it looks at the descriptors, so a zero timeout answers "not
 * ready" without looking, and the loop only stops early when the polled descriptor fires
 * (an always-ready second descriptor does not end it). The shortest wait that looks is thus
 * one millisecond: readiness is reported at once, its absence after ~1 ms. (A millisecond
 * boundary crossed between the loop's start and its first look makes that timer due before
 * the look: `wait` notices the early end and looks again.)
 */
import { createRequire } from 'node:module';
import { WASI_POLL_MODULE } from './wasi-module.js';

// WASI preview1 layouts (little-endian): subscription 48 bytes, event 32 bytes.
const SUB = 48;
const EVENTS_AT = 128;
const EVENT = 32;
const NEVENTS_AT = 256;
const EVENTTYPE_CLOCK = 0;
const EVENTTYPE_FD_READ = 1;
const CLOCK_MONOTONIC = 1;
/** The polled pipe is the instance's descriptor 0 (its stdin). */
const WASI_POLLED = 0;

type WasiCtor = new (
  options: Record<string, unknown>,
) => {
  getImportObject(): object;
  initialize(instance: object): void;
};

/** The part of the WebAssembly API used here (this package's TypeScript libs do not declare it). */
interface Wasm {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (
    module: object,
    imports: object,
  ) => {
    exports: {
      memory: { buffer: ArrayBuffer };
      poll: (subs: number, events: number, n: number, nevents: number) => number;
    };
  };
}
const wasm = (globalThis as unknown as { WebAssembly: Wasm }).WebAssembly;

let wasiClass: WasiCtor | null = null;
let module: object | null = null;

/**
 * node:wasi, loaded on first use. Node 20 prints "WASI is an experimental feature" when it
 * loads; the program did not ask for WASI, so that one warning is kept off its stderr.
 */
function loadWasi(): WasiCtor {
  if (wasiClass) return wasiClass;
  const emit = process.emitWarning;
  process.emitWarning = function filtered(this: unknown, warning: unknown, ...rest: unknown[]) {
    if (String((warning as Error)?.message ?? warning).includes('WASI')) return;
    return (emit as (...a: unknown[]) => void).call(process, warning, ...rest);
  } as typeof process.emitWarning;
  try {
    wasiClass = (createRequire(import.meta.url)('node:wasi') as { WASI: WasiCtor }).WASI;
  } finally {
    process.emitWarning = emit;
  }
  return wasiClass!;
}

/** Kernel readiness of one pipe descriptor (see the module comment). */
export class ReadinessProbe {
  readonly #poll: (subs: number, events: number, n: number, nevents: number) => number;
  readonly #view: DataView;

  /** `fd`: a private, non-blocking description of the pipe (uv_poll makes it non-blocking anyway). */
  constructor(fd: number) {
    const WASI = loadWasi();
    const wasi = new WASI({
      version: 'preview1',
      stdin: fd,
      stdout: fd,
      stderr: fd,
      returnOnExit: true,
    });
    module ??= new wasm.Module(WASI_POLL_MODULE);
    const instance = new wasm.Instance(module, wasi.getImportObject());
    wasi.initialize(instance);
    const { exports } = instance;
    this.#poll = exports.poll;
    this.#view = new DataView(exports.memory.buffer);
  }

  #subscribe(i: number, type: number, fdOrClock: number, timeoutNs = 0): void {
    const v = this.#view;
    const at = i * SUB;
    for (let k = 0; k < SUB; k += 8) v.setBigUint64(at + k, 0n, true);
    v.setBigUint64(at, BigInt(i + 1), true); // userdata
    v.setUint8(at + 8, type);
    v.setUint32(at + 16, fdOrClock, true);
    if (type === EVENTTYPE_CLOCK) v.setBigUint64(at + 24, BigInt(timeoutNs), true);
  }

  /**
   * Wait until the pipe is readable (data or end of file) or `timeoutMs` passes (null: no
   * limit). Takes nothing from the pipe. Timeouts are whole milliseconds, at least one
   * (see the module comment): a shorter one is rounded up.
   */
  wait(timeoutMs: number | null): boolean {
    const start = performance.now();
    for (;;) {
      this.#subscribe(0, EVENTTYPE_FD_READ, WASI_POLLED);
      let n = 1;
      if (timeoutMs !== null) {
        const ms = Math.max(1, Math.ceil(timeoutMs));
        this.#subscribe(n++, EVENTTYPE_CLOCK, CLOCK_MONOTONIC, ms * 1e6);
      }
      const err = this.#poll(0, EVENTS_AT, n, NEVENTS_AT);
      if (err !== 0) throw new Error(`poll_oneoff failed (WASI errno ${err})`);
      const count = this.#view.getUint32(NEVENTS_AT, true);
      for (let i = 0; i < count; i++) {
        const at = EVENTS_AT + i * EVENT;
        if (this.#view.getUint8(at + 10) === EVENTTYPE_FD_READ) return true;
      }
      // libuv's clock counts whole milliseconds: when one ends between the loop's start and
      // its first look, the timer is due before the descriptor is looked at. Such a timer
      // fires almost at once; a real one after at least half a millisecond — else look again.
      if (performance.now() - start >= 0.5) return false;
    }
  }
}
