"""CPython side of suites/processes.ts: Process start (spawn, fork) until the target runs;
round trips per second through a Pipe, a pair of Queues and a Manager Namespace."""

import multiprocessing as mp
import time

from benchlib import emit, params, summarize

clock = time.monotonic_ns  # CLOCK_MONOTONIC: comparable across processes


def send_start_time(conn):
    conn.send(clock())
    conn.close()


def echo_pipe(conn):
    while True:
        m = conn.recv()
        if m is None:
            break
        conn.send(m)
    conn.close()


def echo_queue(req, resp):
    while True:
        m = req.get()
        resp.put(m)
        if m is None:
            break


def start_latencies(ctx, count):
    out = []
    for i in range(count + 1):
        r, w = ctx.Pipe(False)
        t0 = clock()
        p = ctx.Process(target=send_start_time, args=(w,))
        p.start()
        w.close()
        t1 = r.recv()
        p.join()
        r.close()
        if i > 0:
            out.append((t1 - t0) / 1e6)
    return out


def round_trips(n, one):
    out = []
    for _ in range(n):
        t0 = time.perf_counter_ns()
        one()
        out.append((time.perf_counter_ns() - t0) / 1e3)
    return out


def throughput(fid, label, samples, note):
    """Round trips per second (1 / mean); the µs statistics go in the note, not in `stats`."""
    stats = summarize(samples)
    return {
        "id": fid,
        "label": label,
        "value": 1e6 / stats["mean"],
        "unit": "rt/s",
        "better": "higher",
        "stats": {"samples": stats["samples"]},
        "note": f"{note}; per round trip: p50 {stats['p50']:.1f} µs, mean {stats['mean']:.1f} µs, "
        f"p99 {stats['p99']:.0f} µs",
    }


def median_ms(fid, label, samples, note):
    stats = summarize(samples)
    return {"id": fid, "label": label, "value": stats["p50"], "unit": "ms", "stats": stats, "note": note}


def main():
    p = params()
    msg = {"seq": 0, "payload": "x" * 16}
    spawn = mp.get_context("spawn")
    figures = [
        median_ms("py.start.spawn", "CPython Process start (spawn)", start_latencies(spawn, p["starts"]),
                  "start() until the target runs"),
        median_ms("py.start.fork", "CPython Process start (fork)",
                  start_latencies(mp.get_context("fork"), p["starts"]), "start() until the target runs"),
    ]

    mine, theirs = spawn.Pipe()
    child = spawn.Process(target=echo_pipe, args=(theirs,))
    child.start()
    theirs.close()

    def pipe_once():
        mine.send(msg)
        mine.recv()

    round_trips(p["warmup"], pipe_once)
    figures.append(throughput("py.pipe", "CPython Pipe round trips", round_trips(p["roundTrips"], pipe_once),
                              "duplex Pipe, child echoes"))
    mine.send(None)
    child.join()

    req, resp = spawn.Queue(), spawn.Queue()
    child = spawn.Process(target=echo_queue, args=(req, resp))
    child.start()

    def queue_once():
        req.put(msg)
        resp.get()

    round_trips(p["warmup"], queue_once)
    figures.append(throughput("py.queue", "CPython Queue round trips", round_trips(p["roundTrips"], queue_once),
                              "two multiprocessing Queues, child echoes"))
    req.put(None)
    resp.get()
    child.join()

    with spawn.Manager() as manager:
        ns = manager.Namespace(x=1)
        for _ in range(p["warmup"]):
            ns.x
        samples = []
        for _ in range(p["managerCalls"]):
            t0 = time.perf_counter_ns()
            ns.x
            samples.append((time.perf_counter_ns() - t0) / 1e3)
        figures.append(throughput("py.manager", "CPython manager proxy calls", samples, "`ns.x` on a Namespace"))

    emit(figures)


if __name__ == "__main__":
    main()
