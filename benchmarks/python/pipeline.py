"""CPython side of suites/pipeline.ts: 3 producers -> queue.Queue(64) -> 4 consumers, locked tally."""

import queue
import threading
import time

from benchlib import emit, params

p = params()
items, repeats, warmup = p["items"], p["repeats"], p["warmupItems"]
PRODUCERS, CONSUMERS, CAPACITY = 3, 4, 64
clock = time.perf_counter


def pipeline(n):
    q = queue.Queue(CAPACITY)
    lock = threading.Lock()
    gate = threading.Barrier(PRODUCERS + CONSUMERS + 1)
    starts = [0.0] * (PRODUCERS + CONSUMERS)
    ends = [0.0] * CONSUMERS
    tally = [0, 0]
    done = [0]
    done_lock = threading.Lock()
    per = -(-n // PRODUCERS)

    def producer(slot, start):
        gate.wait()
        starts[slot] = clock()
        for i in range(start, start + per):
            q.put({"id": i, "name": "item", "ok": True})
        with done_lock:
            done[0] += 1
            last = done[0] == PRODUCERS
        if last:
            for _ in range(CONSUMERS):
                q.put(None)

    def consumer(slot, c):
        gate.wait()
        starts[slot] = clock()
        while True:
            item = q.get()
            if item is None:
                break
            with lock:
                tally[0] += 1
                tally[1] += item["id"]
        ends[c] = clock()

    threads = [threading.Thread(target=producer, args=(k, k * per)) for k in range(PRODUCERS)]
    threads += [threading.Thread(target=consumer, args=(PRODUCERS + c, c)) for c in range(CONSUMERS)]
    for t in threads:
        t.start()
    gate.wait()
    for t in threads:
        t.join()
    total = per * PRODUCERS
    assert tally == [total, total * (total - 1) // 2], tally
    return total / (max(ends) - min(starts))


pipeline(warmup)
rates = sorted(pipeline(items) for _ in range(repeats))
emit([
    {
        "id": "py.pipeline",
        "label": "CPython pipeline (3 → Queue(64) → 4, Lock tally)",
        "value": rates[len(rates) // 2],
        "unit": "items/s",
        "better": "higher",
        "stats": {"min": rates[0], "max": rates[-1], "samples": len(rates)},
        "note": f"{items} small dicts; threads parked on a Barrier before the clock",
    },
])
