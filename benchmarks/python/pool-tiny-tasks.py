"""CPython side of suites/pool-tiny-tasks.ts: tiny tasks through the thread and process pools."""

import time
import multiprocessing
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from multiprocessing.pool import ThreadPool

from benchlib import emit, params, summarize

p = params()
tasks, repeats, sequential, workers = p["tasks"], p["repeats"], p["sequential"], p["workers"]
clock = time.perf_counter


def inc(x):
    return x + 1


def measure(submit):
    """Burst rates and one-at-a-time round trips (µs) of `submit(x)` -> object with a getter."""
    def burst(n):
        rs = [submit(i) for i in range(n)]
        for r in rs:
            r()
    burst(tasks)
    seconds = []
    for _ in range(repeats):
        t0 = clock()
        burst(tasks)
        seconds.append(clock() - t0)
    for i in range(200):
        submit(i)()
    times = []
    for i in range(sequential):
        t0 = clock()
        submit(i)()
        times.append(clock() - t0)
    return seconds, times


def figures(fid, label, seconds, times, how):
    rates = summarize([tasks / s for s in seconds])
    rates["samples"] = repeats
    one = summarize(times, 1e6)
    return [
        {
            "id": f"{fid}.burst",
            "label": f"{label}: burst",
            "value": tasks / sorted(seconds)[len(seconds) // 2],
            "unit": "tasks/s",
            "better": "higher",
            "stats": rates,
            "note": f"{tasks} {how}, then the result of each (median of {repeats})",
        },
        {
            "id": f"{fid}.one",
            "label": f"{label}: one at a time",
            "value": one["p50"],
            "unit": "µs/task",
            "stats": one,
            "note": f"{how.rstrip('s')}, wait for the result, repeat",
        },
    ]


def main():
    out = []
    with ThreadPoolExecutor(max_workers=workers) as ex:
        s, t = measure(lambda x: ex.submit(inc, x).result)
        out += figures("py", "CPython ThreadPoolExecutor", s, t, "submits")
    with ThreadPool(workers) as pool:
        s, t = measure(lambda x: pool.apply_async(inc, (x,)).get)
        out += figures("py.threadpool", "CPython ThreadPool", s, t, "apply_asyncs")
    with multiprocessing.Pool(workers) as pool:
        s, t = measure(lambda x: pool.apply_async(inc, (x,)).get)
        out += figures("py.mppool", "CPython multiprocessing.Pool", s, t, "apply_asyncs")
    with ProcessPoolExecutor(max_workers=workers) as ex:
        s, t = measure(lambda x: ex.submit(inc, x).result)
        out += figures("py.procs", "CPython ProcessPoolExecutor", s, t, "submits")
    emit(out)


if __name__ == "__main__":
    main()
