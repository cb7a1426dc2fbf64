"""CPython side of suites/lock-memory.ts: memory per threading.Lock.

RSS growth is measured in fresh child processes (this script re-runs itself with `--child`),
tracemalloc in this process.
"""

import gc
import json
import os
import statistics
import subprocess
import sys
import threading
import tracemalloc

from benchlib import params


def rss_bytes():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def make(n):
    keep = []
    for _ in range(n):
        lock = threading.Lock()
        lock.acquire()
        lock.release()
        keep.append(lock)
    return keep


def child(n):
    warm = make(100)
    gc.collect()
    before = rss_bytes()
    keep = make(n)
    gc.collect()
    after = rss_bytes()
    assert len(keep) == n and len(warm) == 100
    print(json.dumps((after - before) / n))


if len(sys.argv) > 2 and sys.argv[2] == "--child":
    child(params()["count"])
    sys.exit(0)

p = params()
count, repeats = p.get("count", 100_000), p.get("repeats", 3)

rss = []
for _ in range(repeats):
    out = subprocess.run([sys.executable, __file__, sys.argv[1], "--child"], capture_output=True, text=True, check=True)
    rss.append(json.loads(out.stdout))

warm = make(100)
gc.collect()
tracemalloc.start()
base = tracemalloc.get_traced_memory()[0]
keep = make(count)
gc.collect()
traced = (tracemalloc.get_traced_memory()[0] - base) / count
tracemalloc.stop()

print(
    json.dumps(
        {
            "figures": [
                {
                    "id": "py.lock.rss",
                    "label": "CPython Lock (RSS)",
                    "value": statistics.median(rss),
                    "unit": "B/lock",
                    "stats": {"min": min(rss), "max": max(rss), "samples": len(rss)},
                },
                {
                    "id": "py.lock.tracemalloc",
                    "label": "CPython Lock (tracemalloc)",
                    "value": traced,
                    "unit": "B/lock",
                    "note": "bytes allocated by Python for the locks and the list",
                },
            ]
        }
    )
)
