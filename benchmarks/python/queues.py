"""CPython side of suites/queues.ts: items/s through queue.Queue / queue.SimpleQueue."""

import queue
import statistics
import threading
import time

from benchlib import emit, params

p = params()
N, MANY, REPEATS = p.get("items", 200_000), p.get("manyItems", 400_000), p.get("repeats", 3)
WARMUP = p.get("warmupItems", 50_000)
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
        got += 1
        # As on the Node side: the clock at the first item, then every 64th and the last.
        if got == 1:
            first = last = clock()
        elif got % 64 == 0 or got == n:
            last = clock()
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
    ("py.queue.int", "CPython Queue, int", lambda n, m: one_to_one(queue.Queue, "int", n), "ints"),
    ("py.queue.str", "CPython Queue, str", lambda n, m: one_to_one(queue.Queue, "str", n), "short strings"),
    ("py.queue.obj", "CPython Queue, obj", lambda n, m: one_to_one(queue.Queue, "obj", n), "small dicts"),
    ("py.simple.int", "CPython SimpleQueue, int", lambda n, m: one_to_one(queue.SimpleQueue, "int", n), "ints"),
    ("py.bounded.int", "CPython Queue(1000), int", lambda n, m: one_to_one(lambda: queue.Queue(1000), "int", n), "ints"),
    ("py.mm.int", "CPython Queue, 4 × 4 threads", lambda n, m: many_to_many(m), "ints; total items/s"),
]

for _, _, run, _ in VARIANTS:  # the same untimed first run as the Node side
    run(WARMUP, WARMUP)
rates = {fid: [] for fid, _, _, _ in VARIANTS}
for _ in range(REPEATS):
    for fid, _, run, _ in VARIANTS:
        rates[fid].append(run(N, MANY))

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
