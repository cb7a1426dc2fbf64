"""CPython side of suites/thread-start.ts: Thread.start() until the target runs; start+join
of a batch; RSS per idle thread; seven threads at once, the first ThreadPoolExecutor task and a
spawn Process start (beside the first starts of suites/thread-start.ts's fresh programs)."""

import multiprocessing as mp
import threading
import time
from concurrent.futures import ThreadPoolExecutor

from benchlib import emit, params, summarize

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


def seven_at_once():
    """Seven threads started at once, until all seven targets run (ms)."""
    ran = [0] * 7
    t0 = clock()

    def run(i):
        ran[i] = clock()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(7)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return (max(ran) - t0) / 1e6


def first_pool_task():
    t0 = clock()
    with ThreadPoolExecutor(max_workers=1) as ex:
        ex.submit(int, 1).result()
        ms = (clock() - t0) / 1e6
    return ms


def send_start_time(conn):
    conn.send(time.monotonic_ns())
    conn.close()


def spawn_start(ctx):
    r, w = ctx.Pipe(False)
    t0 = time.monotonic_ns()
    p = ctx.Process(target=send_start_time, args=(w,))
    p.start()
    w.close()
    t1 = r.recv()
    p.join()
    r.close()
    return (t1 - t0) / 1e6


def median_figure(fid, label, samples, note):
    s = summarize(samples, 1)
    return {"id": fid, "label": label, "value": s["p50"], "unit": "ms", "stats": s, "note": note}



def main():
    p = params()


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
    runs = p.get("programs", 7)
    seven = [seven_at_once() for _ in range(runs)]
    pool = [first_pool_task() for _ in range(runs)]
    ctx = mp.get_context("spawn")
    spawned = [spawn_start(ctx) for _ in range(runs)]

    emit([
        median_figure("py.seven", "CPython seven Thread.start()s at once", seven, "until all seven targets run"),
        median_figure("py.pool", "CPython first ThreadPoolExecutor task", pool, "new executor, submit, result"),
        median_figure("py.spawn", "CPython Process start (spawn)", spawned, "start() until the target runs"),
        {"id": "py.start", "label": "CPython Thread.start()", "value": stats["p50"], "unit": "µs (p50)", "stats": stats},
        {"id": "py.batch", "label": f"CPython start+join ×{p.get('batch', 100)}", "value": batch_ms, "unit": "ms"},
        {"id": "py.idle", "label": "CPython idle thread", "value": per / 1048576, "unit": "MiB/thread"},
    ])


if __name__ == "__main__":
    main()
