"""CPython side of suites/queues.ts: items/s through queue.Queue / queue.SimpleQueue."""

import queue
import statistics
import threading
import time

from benchlib import emit, params

p = params()
N, MANY, REPEATS = p.get("items", 200_000), p.get("manyItems", 400_000), p.get("repeats", 3)
clock = time.perf_counter


def produce(q, kind, start, n):
    # One loop per kind, so that the item is built inline as a user's loop would.
    if kind == "int":
        for i in range(start, start + n):
            q.put(i)
    elif kind == "str":
        for i in range(start, start + n):
            q.put(f"item-{i}")
    else:
        for i in range(start, start + n):
            q.put({"id": i, "name": "item", "ok": True})


def consume(q, n, out):
    got, first, last = 0, 0.0, 0.0
    while got < n:
        x = q.get(True, 60)
        if x is None:
            break
        last = clock()
        if got == 0:
            first = last
        got += 1
    out.append((first, last, got))


def one_to_one(make, kind, n):
    """A producer thread, the main thread consuming; items/s from the first item to the last."""
    q = make()
    out = []
    t = threading.Thread(target=produce, args=(q, kind, 0, n))
    t.start()
    consume(q, n, out)
    t.join()
    first, last, got = out[0]
    assert got == n
    return (n - 1) / (last - first)


def many_to_many(n):
    q = queue.Queue()
    per = -(-n // 4)
    out = []
    consumers = [threading.Thread(target=consume, args=(q, per * 4, out)) for _ in range(4)]
    producers = [threading.Thread(target=produce, args=(q, "int", k * per, per)) for k in range(4)]
    for t in consumers + producers:
        t.start()
    for t in producers:
        t.join()
    for _ in range(4):
        q.put(None)
    for t in consumers:
        t.join()
    total = sum(g for _, _, g in out)
    assert total == per * 4
    first = min(f for f, _, g in out if g)
    last = max(l for _, l, g in out if g)
    return (total - 1) / (last - first)


VARIANTS = [
    ("py.queue.int", "CPython Queue, int", lambda: one_to_one(queue.Queue, "int", N), "ints"),
    ("py.queue.str", "CPython Queue, str", lambda: one_to_one(queue.Queue, "str", N), "short strings"),
    ("py.queue.obj", "CPython Queue, obj", lambda: one_to_one(queue.Queue, "obj", N), "small dicts"),
    ("py.simple.int", "CPython SimpleQueue, int", lambda: one_to_one(queue.SimpleQueue, "int", N), "ints"),
    ("py.bounded.int", "CPython Queue(1000), int", lambda: one_to_one(lambda: queue.Queue(1000), "int", N), "ints"),
    ("py.mm.int", "CPython Queue, 4 × 4 threads", lambda: many_to_many(MANY), "ints; total items/s"),
]

rates = {fid: [] for fid, _, _, _ in VARIANTS}
for _ in range(REPEATS):
    for fid, _, run, _ in VARIANTS:
        rates[fid].append(run())

emit(
    [
        {
            "id": fid,
            "label": label,
            "value": statistics.median(rates[fid]),
            "unit": "items/s",
            "better": "higher",
            "source": "python",
            "stats": {"min": min(rates[fid]), "max": max(rates[fid]), "samples": len(rates[fid])},
            "note": note,
        }
        for fid, label, _, note in VARIANTS
    ]
)
