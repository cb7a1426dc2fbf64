"""CPython side of suites/handoff.ts: ping-pong round trips between two threads."""

import math
import random
import threading
import time

from benchlib import emit, params, summarize

p = params()
rounds, warmup, chunks = p.get("rounds", 5000), p.get("warmup", 100), p.get("chunks", 10)
per = math.ceil(rounds / chunks)
TIMEOUT = 30.0
clock = time.perf_counter_ns


def stuck(what):
    raise RuntimeError(f"{what}: partner did not answer within {TIMEOUT} s")


def run_pair(ping, pong):
    """Run `pong` in a new thread and `ping` in this one; return ping's round-trip times (ns)."""
    t = threading.Thread(target=pong, daemon=True)
    t.start()
    times = ping()
    t.join()
    return times


def events(total):
    e1, e2 = threading.Event(), threading.Event()

    def ping():
        times = []
        for k in range(total):
            t0 = clock()
            e1.set()
            if not e2.wait(TIMEOUT):
                stuck("ping")
            e2.clear()
            if k >= warmup:
                times.append(clock() - t0)
        return times

    def pong():
        for _ in range(total):
            if not e1.wait(TIMEOUT):
                stuck("pong")
            e1.clear()
            e2.set()

    return run_pair(ping, pong)


def locks(total):
    l1, l2 = threading.Lock(), threading.Lock()
    l1.acquire()
    l2.acquire()

    def ping():
        times = []
        for k in range(total):
            t0 = clock()
            l1.release()
            if not l2.acquire(True, TIMEOUT):
                stuck("ping")
            if k >= warmup:
                times.append(clock() - t0)
        return times

    def pong():
        for _ in range(total):
            if not l1.acquire(True, TIMEOUT):
                stuck("pong")
            l2.release()

    return run_pair(ping, pong)


def condition(total):
    cond = threading.Condition()
    turn = [0]
    ready = threading.Event()

    def ping():
        ready.wait()
        times = []
        with cond:
            for k in range(total):
                t0 = clock()
                turn[0] = 2 * k + 1
                cond.notify()
                while turn[0] != 2 * k + 2:
                    if not cond.wait(TIMEOUT):
                        stuck("ping")
                if k >= warmup:
                    times.append(clock() - t0)
        return times

    def pong():
        with cond:
            ready.set()
            for k in range(total):
                while turn[0] != 2 * k + 1:
                    if not cond.wait(TIMEOUT):
                        stuck("pong")
                turn[0] = 2 * k + 2
                cond.notify()

    return run_pair(ping, pong)


VARIANTS = [
    ("py.event", "CPython Event ping-pong", events, "two Events, two threads"),
    ("py.lock", "CPython Lock hand-off", locks, "two Locks, each released by the other thread"),
    ("py.cond", "CPython Condition ping-pong", condition, "one Condition, a turn counter"),
]

samples = {fid: [] for fid, _, _, _ in VARIANTS}
for c in range(chunks):
    # A different order in every chunk and an idle gap before each variant, as on the Node side.
    order = list(VARIANTS)
    random.Random(c).shuffle(order)
    for fid, _, run, _ in order:
        time.sleep(0.02)
        samples[fid].extend(run(warmup + per))


def figure(fid, label, note):
    stats = summarize(samples[fid], 1e-3)  # ns -> µs
    return {"id": fid, "label": label, "value": stats["mean"], "unit": "µs/rt", "stats": stats, "note": note}


emit([figure(fid, label, note) for fid, label, _, note in VARIANTS])
