"""CPython side of suites/lock-uncontended.ts: uncontended acquire + release pairs."""

import threading

from benchlib import emit, micro, params

p = params()


def make_loop(lock):
    # The same shape as the Node loop: look the methods up on every call.
    def loop(n):
        for _ in range(n):
            lock.acquire()
            lock.release()

    return loop


def with_loop(lock):
    def loop(n):
        for _ in range(n):
            with lock:
                pass

    return loop


emit(
    micro(
        [
            ("py.lock", "CPython Lock", make_loop(threading.Lock())),
            ("py.lockWith", "CPython `with lock:`", with_loop(threading.Lock())),
            ("py.rlock", "CPython RLock", make_loop(threading.RLock())),
            ("py.sem", "CPython Semaphore", make_loop(threading.Semaphore(1))),
        ],
        p["batch"],
        p["batches"],
        p["warmupBatches"],
        p.get("rounds", 4),
    )
)
