"""CPython side of suites/containers.ts: dict, list and set operations, and two threads."""

import statistics
import threading
import time

from benchlib import emit, micro, params

p = params()
MASK = 1023

d = {i: i for i in range(MASK + 1)}
keys = [f"key-{i}" for i in range(MASK + 1)]
ds = {k: i for i, k in enumerate(keys)}
lst = []
full = list(range(MASK + 1))
s = set(range(MASK + 1))


def dict_set(n):
    for i in range(n):
        d[i & MASK] = i


def dict_get(n):
    for i in range(n):
        d.get(i & MASK)


def dict_get_str(n):
    for i in range(n):
        ds.get(keys[i & MASK])


def list_append(n):
    for i in range(n):
        lst.append(i)
    lst.clear()


def list_get(n):
    for i in range(n):
        full[i & MASK]


def set_add(n):
    for i in range(n):
        s.add(i & MASK)


def set_has(n):
    for i in range(n):
        (i & MASK) in s


figures = micro(
    [
        ("py.dictSet", "CPython dict d[k] = v", dict_set),
        ("py.dictGet", "CPython dict.get", dict_get),
        ("py.dictGetStr", "CPython dict.get, string keys", dict_get_str),
        ("py.listAppend", "CPython list.append", list_append),
        ("py.listGet", "CPython l[i]", list_get),
        ("py.setAdd", "CPython set.add", set_add),
        ("py.setHas", "CPython x in set", set_has),
    ],
    p["batch"],
    p["batches"],
    p["warmupBatches"],
    p.get("rounds", 4),
)


def hammer(shared, n, slot, times, start):
    base = slot * 1_000_000
    start.wait()
    times[2 * slot] = time.perf_counter()
    for i in range(n):
        shared[base + (i & MASK)] = i
    for i in range(n):
        shared.get(base + (i & MASK))
    times[2 * slot + 1] = time.perf_counter()


def two_threads(n):
    shared = {}
    times = [0.0] * 4
    start = threading.Barrier(2)
    ts = [threading.Thread(target=hammer, args=(shared, n, k, times, start)) for k in range(2)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    return 4 * n / (max(times[1], times[3]) - min(times[0], times[2]))


two_threads(p["threadOps"] // 4)
rates = [two_threads(p["threadOps"]) for _ in range(p["repeats"])]
figures.append(
    {
        "id": "py.two",
        "label": "CPython dict, 2 threads",
        "value": statistics.median(rates),
        "unit": "ops/s",
        "better": "higher",
        "stats": {"mean": statistics.mean(rates), "samples": len(rates)},
    }
)
emit(figures)
