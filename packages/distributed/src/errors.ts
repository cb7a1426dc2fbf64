/**
 * The errors of @threadkit/distributed. Each sets `name`, as core's Python errors do.
 */

function named<T extends new (...args: any[]) => Error>(cls: T, name: string): T {
  Object.defineProperty(cls.prototype, 'name', { value: name, writable: true, configurable: true });
  return cls;
}

/**
 * A task's job was running on workers that died (or lost their lock) more often than the
 * workers allow (`maxStalledCount`): dask's `KilledWorker`. The message names the task.
 */
export class KilledWorker extends Error {}
named(KilledWorker, 'KilledWorker');

/**
 * Redis could not be reached, or stopped answering, for longer than the executor's
 * `connectTimeout`: the task's state is unknown and its future fails with this error.
 */
export class ConnectionError extends Error {}
named(ConnectionError, 'ConnectionError');

/** A task's result was larger than the executor's `maxResultBytes`. */
export class ResultTooLarge extends Error {}
named(ResultTooLarge, 'ResultTooLarge');

/** A task's job vanished from Redis (removed by hand, or Redis restarted without its data). */
export class JobLost extends Error {}
named(JobLost, 'JobLost');
