"""CPython side of suites/pool-primes.ts: the book's Chapter 07/poolImprovement.py, timed."""

import math
import timeit
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor

from benchlib import emit, params


def is_prime(n):
    if n % 2 == 0:
        return False
    sqrt_n = int(math.floor(math.sqrt(n)))
    for i in range(3, sqrt_n + 1, 2):
        if n % i == 0:
            return False
    return True


def main():
    p = params()
    primes, workers = p["primes"], p["workers"]
    expected = None
    figures = []
    for fid, label, run in (
        ("py.seq", "CPython sequential", lambda: [is_prime(n) for n in primes]),
        ("py.threads", "CPython ThreadPoolExecutor", lambda: pooled(ThreadPoolExecutor, primes, workers)),
        ("py.procs", "CPython ProcessPoolExecutor", lambda: pooled(ProcessPoolExecutor, primes, workers)),
    ):
        t0 = timeit.default_timer()
        out = run()
        seconds = timeit.default_timer() - t0
        expected = expected or out
        if out != expected:
            raise RuntimeError(f"{fid}: wrong verdicts")
        note = f"{len(primes)} numbers" if fid == "py.seq" else f"{workers} workers, pool start and shutdown included"
        figures.append({"id": fid, "label": label, "value": seconds, "unit": "s", "note": note})
    emit(figures)


def pooled(executor_type, primes, workers):
    with executor_type(max_workers=workers) as executor:
        return list(executor.map(is_prime, primes))


if __name__ == "__main__":
    main()
