"""CPython side of suites/thread-start.ts: Thread.start() until the target runs; start+join
of a batch; RSS per idle thread."""

import threading
import time

from benchlib import emit, params, summarize

p = params()
clock = time.perf_counter_ns


def start_latencies(count):
    out = []
    for _ in range(count):
        ran = []
        t0 = clock()
        t = threading.Thread(target=lambda: ran.append(clock()))
        t.start()
        t.join()
        out.append(ran[0] - t0)
    return out


def rss():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * 4096


start_latencies(50)
lat = start_latencies(p.get("warm", 2000))
t0 = clock()
for _ in range(p.get("batch", 100)):
    t = threading.Thread(target=lambda: None)
    t.start()
    t.join()
batch_ms = (clock() - t0) / 1e6

idle = p.get("idle", 8)
ev = threading.Event()
before = rss()
threads = [threading.Thread(target=ev.wait) for _ in range(idle)]
for t in threads:
    t.start()
per = (rss() - before) / idle
ev.set()
for t in threads:
    t.join()

stats = summarize(lat, 1e-3)
emit([
    {"id": "py.start", "label": "CPython Thread.start()", "value": stats["p50"], "unit": "µs (p50)", "stats": stats},
    {"id": "py.batch", "label": f"CPython start+join ×{p.get('batch', 100)}", "value": batch_ms, "unit": "ms"},
    {"id": "py.idle", "label": "CPython idle thread", "value": per / 1048576, "unit": "MiB/thread"},
])
