"""CPython side of suites/lifetime.ts: make-use-drop rates of Lock and Queue, the RSS
growth of a service loop making a Lock, an Event and a Queue per request, and the rate of
Thread start+join.

Each figure is measured in a fresh child process (this script re-runs itself with `--child`).
"""

import json
import os
import queue
import statistics
import subprocess
import sys
import threading
import time

from benchlib import params


def rss_bytes():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def use_lock(_i):
    lock = threading.Lock()
    lock.acquire()
    lock.release()


def use_queue(i):
    q = queue.Queue()
    q.put(i)
    q.get()


def request(i):
    use_lock(i)
    e = threading.Event()
    e.set()
    use_queue(i)


def child(what, p):
    if what == "thread":
        n = p["threads"]
        for _ in range(max(1100, n // 10)):
            t = threading.Thread(target=lambda: None)
            t.start()
            t.join()
        t0 = time.perf_counter()
        for _ in range(n):
            t = threading.Thread(target=lambda: None)
            t.start()
            t.join()
        print(json.dumps((time.perf_counter() - t0) * 1e6 / n))
        return
    if what in ("lock", "queue"):
        once = use_lock if what == "lock" else use_queue
        for i in range(10_000):
            once(i)
        n = p["count"]
        t0 = time.perf_counter()
        for i in range(n):
            once(i)
        print(json.dumps((time.perf_counter() - t0) * 1e9 / n))
    else:
        n = p["requests"]
        for i in range(n // 5):
            request(i)
        before = rss_bytes()
        for i in range(n):
            request(i)
        print(json.dumps((rss_bytes() - before) / 2**20))


if len(sys.argv) > 3 and sys.argv[2] == "--child":
    child(sys.argv[3], params())
    sys.exit(0)

p = params()
repeats = p.get("repeats", 3)


def runs(what):
    values = []
    for _ in range(repeats):
        out = subprocess.run(
            [sys.executable, __file__, sys.argv[1], "--child", what], capture_output=True, text=True, check=True
        )
        values.append(json.loads(out.stdout))
    return values


def fig(id_, label, values, unit):
    return {
        "id": id_,
        "label": label,
        "value": statistics.median(values),
        "unit": unit,
        "stats": {"min": min(values), "max": max(values), "samples": len(values)},
    }


print(
    json.dumps(
        {
            "figures": [
                fig("py.lock.rate", "CPython Lock make-use-drop", runs("lock"), "ns/obj"),
                fig("py.queue.rate", "CPython Queue make-put-get-drop", runs("queue"), "ns/obj"),
                fig("py.service.rss", f"CPython service loop, RSS growth after {p['requests']} requests", runs("rss"), "MiB"),
                fig("py.thread.rate", "CPython Thread start+join", runs("thread"), "µs/thread"),
            ]
        }
    )
)
