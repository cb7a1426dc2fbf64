/** Python's `zip(*iterables)` and `itertools.batched`, lazily, for `map`. */

function iteratorOf(value: unknown, index: number): Iterator<unknown> {
  if (
    value === null ||
    value === undefined ||
    typeof (value as any)[Symbol.iterator] !== 'function'
  ) {
    const what = value === null ? 'null' : typeof value;
    throw new TypeError(`map(): argument ${index + 2} (${what}) is not iterable`);
  }
  return (value as Iterable<unknown>)[Symbol.iterator]();
}

/** Tuples of the i-th items of every iterable, stopping at the shortest. */
export function* zipIterables(
  iterables: readonly unknown[],
): Generator<unknown[], void, undefined> {
  const its = iterables.map(iteratorOf);
  if (its.length === 0) return;
  try {
    for (;;) {
      const row: unknown[] = [];
      for (const it of its) {
        const r = it.next();
        if (r.done) return;
        row.push(r.value);
      }
      yield row;
    }
  } finally {
    for (const it of its) it.return?.();
  }
}

/** Consecutive groups of `size` items (the last may be shorter). */
export function* batched<T>(items: Iterator<T>, size: number): Generator<T[], void, undefined> {
  for (;;) {
    const batch: T[] = [];
    while (batch.length < size) {
      const r = items.next();
      if (r.done) break;
      batch.push(r.value);
    }
    if (batch.length === 0) return;
    yield batch;
    if (batch.length < size) return;
  }
}
