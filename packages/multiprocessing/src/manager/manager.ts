/**
 * `multiprocessing.managers`: `BaseManager` (a server process holding shared objects, with
 * `register(typeid, callable)` for custom types) and `SyncManager` (Python's standard types),
 * returned started by `Manager()`. Built on comlink over a Unix socket.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isMainThread } from 'node:worker_threads';
import { EOFError, ValueError } from '@threadkit/core';
import { stateSlot } from '@threadkit/core/internal';
import { Pipe } from '../connection/pipe.js';
import { ProcessError } from '../errors.js';
import { checkCrossProcess } from '../internal/transfer.js';
import { Process, recordOf } from '../process/process.js';
import { F_MANAGER, setFlag } from '../process/record.js';
import { connectionTo, guarded, makeProxy } from './client.js';
import { encodeFactory, type FactorySpec } from './factory.js';
import { serveManager, type TypeSpec } from './server.js';
import type {
  AcquirerProxy,
  ArrayProxy,
  ConditionProxy,
  DictProxy,
  EventProxy,
  ListProxy,
  NamespaceProxy,
  QueueProxy,
  ValueProxy,
} from './types.js';

/** Options of `register()`. */
export interface RegisterOptions {
  /** Add a method named `typeid` to the manager class (default true). */
  createMethod?: boolean;
}

const registries = new WeakMap<Function, Map<string, FactorySpec | null>>();

function registryOf(cls: Function): Map<string, FactorySpec | null> {
  let own = registries.get(cls);
  if (!own) {
    const parent = Object.getPrototypeOf(cls);
    own = new Map(
      typeof parent === 'function' && parent !== Function.prototype ? registryOf(parent) : [],
    );
    registries.set(cls, own);
  }
  return own;
}

const cleanup = stateSlot('mp.managerDirs', () => ({ dirs: new Set<string>(), hooked: false }));

function removeDirs(): void {
  for (const dir of cleanup.dirs) rmSync(dir, { recursive: true, force: true });
  cleanup.dirs.clear();
}

/**
 * A manager (Python's `multiprocessing.managers.BaseManager`): a server process holding
 * objects that every process and thread can use through proxies.
 *
 * ```ts
 * class MathsManager extends BaseManager {}
 * MathsManager.register('Maths', Maths); // a class with `static module = import.meta.url`
 * const m = new MathsManager().start();
 * const maths = await m.create('Maths');
 * await maths.add(1, 2);
 * ```
 */
export class BaseManager {
  #address: string | null;
  #process: Process | null = null;
  #dir: string | null = null;
  #state: 'initial' | 'started' | 'shutdown' = 'initial';

  /**
   * Register a type: `callable` makes an object in the manager process (a function target —
   * inline or `threadable` — or a class). Adds a method `typeid(...args)` to the class unless
   * `createMethod` is false; `create(typeid, ...args)` works in every case.
   */
  static register(typeid: string, callable?: Function | null, options: RegisterOptions = {}): void {
    if (typeof typeid !== 'string' || typeid === '')
      throw new TypeError('typeid must be a non-empty string');
    // `this` is the subclass register() was called on: each manager class has its own types.
    // biome-ignore lint/complexity/noThisInStatic: per-subclass registry, as Python's cls._registry
    registryOf(this).set(typeid, callable ? encodeFactory(callable, typeid) : null);
    if (options.createMethod !== false) {
      // biome-ignore lint/complexity/noThisInStatic: the method goes on that subclass
      Object.defineProperty(this.prototype, typeid, {
        value: function (this: BaseManager, ...args: unknown[]) {
          return this.create(typeid, ...args);
        },
        configurable: true,
        writable: true,
      });
    }
  }

  /** `address`: connect to a manager started elsewhere (then call `connect()`, not `start()`). */
  constructor(options: { address?: string | null } = {}) {
    this.#address = options.address ?? null;
  }

  /** Whether this manager serves Python's standard types (SyncManager does). */
  protected get builtins(): boolean {
    return false;
  }

  /** The Unix socket path of the server (null before `start()`/`connect()`). */
  get address(): string | null {
    return this.#address;
  }

  /**
   * Start the server process and wait until it serves (blocking, as Python's `start()`).
   * Returns the manager. Throws ProcessError if it is already started or cannot start.
   */
  start(): this {
    if (this.#state === 'started') throw new ProcessError('Already started server');
    if (this.#state === 'shutdown') throw new ProcessError('Manager has shut down');
    const types: TypeSpec[] = [...registryOf(this.constructor)].map(([typeid, factory]) => ({
      typeid,
      factory,
    }));
    const dir = mkdtempSync(join(tmpdir(), 'threadkit-m-'));
    const address = join(dir, 'manager.sock');
    const [reader, writer] = Pipe(false);
    const proc = new Process({
      target: serveManager,
      args: [address, types, this.builtins, writer],
    });
    proc.name = `${this.constructor.name}-${proc.name.replace(/^Process-/, '')}`;
    setFlag(recordOf(proc), F_MANAGER, true);
    cleanup.dirs.add(dir);
    if (!cleanup.hooked && isMainThread) {
      cleanup.hooked = true;
      process.on('exit', removeDirs);
    }
    try {
      proc.start();
    } finally {
      writer.close();
    }
    let msg: { address?: string; error?: string };
    try {
      msg = reader.recv() as typeof msg;
    } catch (err) {
      if (!(err instanceof EOFError)) throw err;
      proc.join();
      throw new ProcessError(`the manager process failed to start (exit code ${proc.exitcode})`);
    } finally {
      reader.close();
    }
    if (msg.error) {
      proc.join();
      throw new ProcessError(msg.error);
    }
    this.#address = address;
    this.#process = proc;
    this.#dir = dir;
    this.#state = 'started';
    return this;
  }

  /** Use a manager started elsewhere, at the `address` given to the constructor. */
  connect(): this {
    if (!this.#address) throw new ValueError('connect() needs the address of a running manager');
    connectionTo(this.#address);
    this.#state = 'started';
    return this;
  }

  /**
   * Create an object of type `typeid` in the manager and return its proxy. The arguments are
   * copied there (data only).
   */
  async create(typeid: string, ...args: unknown[]): Promise<any> {
    if (!this.#address || this.#state !== 'started')
      throw new ProcessError('Manager is not running');
    checkCrossProcess(args, `${typeid}() arguments`, false);
    const conn = connectionTo(this.#address);
    const id = await guarded(
      conn,
      conn.remote.then((r) => r.create(typeid, args)),
    );
    return makeProxy({ address: this.#address, id, typeid });
  }

  /** Stop the server process (its objects are gone) and wait for it. Idempotent. */
  shutdown(): void {
    if (this.#state !== 'started') return;
    this.#state = 'shutdown';
    const proc = this.#process;
    if (proc) {
      if (proc.isAlive()) proc.terminate();
      proc.join();
    }
    if (this.#dir) {
      rmSync(this.#dir, { recursive: true, force: true });
      cleanup.dirs.delete(this.#dir);
    }
  }

  /** Wait for the server process to end (Python's `BaseManager.join`). */
  join(timeout?: number | null): void {
    this.#process?.join(timeout);
  }

  /** `using manager = Manager()` shuts it down at the end of the block. */
  [Symbol.dispose](): void {
    this.shutdown();
  }

  /** `await using manager = Manager()`. */
  async [Symbol.asyncDispose](): Promise<void> {
    this.shutdown();
  }
}

/** Python's `SyncManager`: a manager serving the standard shared types. */
export class SyncManager extends BaseManager {
  protected override get builtins(): boolean {
    return true;
  }

  /** A namespace: attributes shared by every process. */
  Namespace(init?: Record<string, unknown>): Promise<NamespaceProxy> {
    return this.create('Namespace', init);
  }
  /** A shared `dict` (a Map in the manager). */
  dict<K = any, V = any>(init?: Record<string, V> | Iterable<[K, V]>): Promise<DictProxy<K, V>> {
    return this.create(
      'dict',
      init == null
        ? init
        : Symbol.iterator in Object(init)
          ? [...(init as Iterable<[K, V]>)]
          : init,
    );
  }
  /** A shared `list`. */
  list<T = any>(init?: Iterable<T>): Promise<ListProxy<T>> {
    return this.create('list', init == null ? init : [...init]);
  }
  /** A shared `queue.Queue` (with `taskDone`/`join`). */
  Queue<T = any>(maxsize = 0): Promise<QueueProxy<T>> {
    return this.create('Queue', maxsize);
  }
  /** Same as {@link Queue} (Python's `JoinableQueue` typeid). */
  JoinableQueue<T = any>(maxsize = 0): Promise<QueueProxy<T>> {
    return this.create('JoinableQueue', maxsize);
  }
  /** A shared `threading.Lock`. */
  Lock(): Promise<AcquirerProxy> {
    return this.create('Lock');
  }
  /** A shared `threading.RLock` (owned per connection, i.e. per client thread). */
  RLock(): Promise<AcquirerProxy> {
    return this.create('RLock');
  }
  /** A shared `threading.Semaphore`. */
  Semaphore(value = 1): Promise<AcquirerProxy> {
    return this.create('Semaphore', value);
  }
  /** A shared `threading.BoundedSemaphore`. */
  BoundedSemaphore(value = 1): Promise<AcquirerProxy> {
    return this.create('BoundedSemaphore', value);
  }
  /** A shared `threading.Condition` (over an RLock). */
  Condition(): Promise<ConditionProxy> {
    return this.create('Condition');
  }
  /** A shared `threading.Event`. */
  Event(): Promise<EventProxy> {
    return this.create('Event');
  }
  /** A shared value with a typecode (kept as given, as Python's manager `Value`). */
  Value<T = any>(typecode: string, value: T): Promise<ValueProxy<T>> {
    return this.create('Value', typecode, value);
  }
  /** A shared fixed-length array (`sequence`, or a length filled with 0). */
  Array<T = any>(typecode: string, sequence: Iterable<T> | number): Promise<ArrayProxy<T>> {
    return this.create('Array', typecode, typeof sequence === 'number' ? sequence : [...sequence]);
  }
}

/** Start a SyncManager (Python's `multiprocessing.Manager()`); blocks until it serves. */
export function Manager(): SyncManager {
  return new SyncManager().start();
}
