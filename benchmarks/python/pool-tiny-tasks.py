"""CPython side of suites/pool-tiny-tasks.ts: tiny tasks through ThreadPoolExecutor."""

import time
from concurrent.futures import ThreadPoolExecutor

from benchlib import emit, params, summarize

p = params()
tasks, repeats, sequential, workers = p["tasks"], p["repeats"], p["sequential"], p["workers"]
clock = time.perf_counter


def inc(x):
    return x + 1


def burst(ex, n):
    fs = [ex.submit(inc, i) for i in range(n)]
    for f in fs:
        f.result()


with ThreadPoolExecutor(max_workers=workers) as ex:
    burst(ex, tasks)
    seconds = []
    for _ in range(repeats):
        t0 = clock()
        burst(ex, tasks)
        seconds.append(clock() - t0)
    for i in range(200):
        ex.submit(inc, i).result()
    times = []
    for i in range(sequential):
        t0 = clock()
        ex.submit(inc, i).result()
        times.append(clock() - t0)

rates = summarize([tasks / s for s in seconds])
rates["samples"] = repeats
one = summarize(times, 1e6)
emit([
    {
        "id": "py.burst",
        "label": "CPython ThreadPoolExecutor: burst",
        "value": tasks / sorted(seconds)[len(seconds) // 2],
        "unit": "tasks/s",
        "better": "higher",
        "stats": rates,
        "note": f"{tasks} submits, then result() of each (median of {repeats})",
    },
    {
        "id": "py.one",
        "label": "CPython ThreadPoolExecutor: one at a time",
        "value": one["p50"],
        "unit": "µs/task",
        "stats": one,
        "note": "submit, result(), repeat",
    },
])
