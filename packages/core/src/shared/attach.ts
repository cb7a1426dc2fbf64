/**
 * Rebuilding shared objects over existing memory. A class's constructor allocates fresh
 * shared words; when the shared-object protocol revives one that crossed from another thread,
 * it must run the constructor (to set `#private` fields) but over the *existing* words.
 * `attach(data, () => new X())` hands `data` to the constructor, which claims it with
 * {@link takeAttached} instead of allocating.
 */
let pending: unknown;

/** Construct an object that attaches to existing shared memory described by `data`. */
export function attach<T>(data: unknown, construct: () => T): T {
  pending = data;
  try {
    return construct();
  } finally {
    pending = undefined;
  }
}

/** In a constructor: the attach data, if this construction is a revival (else undefined). */
export function takeAttached<T>(): T | undefined {
  const data = pending as T | undefined;
  pending = undefined;
  return data;
}
