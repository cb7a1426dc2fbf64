"""Helpers shared by the CPython side of the benchmark suites.

A suite's script is run as `python3 python/<name>.py '<params JSON>'` (the same params as the
Node side) and prints one JSON line: {"figures": [{"id", "label", "value", "unit", "stats"}]}.
"""

import json
import math
import sys
import time


def params():
    """The suite's params, as passed by the Node harness (argv[1], JSON)."""
    return json.loads(sys.argv[1]) if len(sys.argv) > 1 else {}


def quantile(sorted_values, q):
    """Linear-interpolated quantile, the same as the harness's lib/stats.ts."""
    n = len(sorted_values)
    if n == 0:
        return math.nan
    pos = (n - 1) * q
    lo, hi = math.floor(pos), math.ceil(pos)
    return sorted_values[lo] + (sorted_values[hi] - sorted_values[lo]) * (pos - lo)


def summarize(samples, scale=1.0):
    s = sorted(samples)
    return {
        "mean": sum(s) / len(s) * scale,
        "p50": quantile(s, 0.5) * scale,
        "p99": quantile(s, 0.99) * scale,
        "min": s[0] * scale,
        "max": s[-1] * scale,
        "samples": len(s),
    }


def micro(tasks, batch, batches, warmup_batches, rounds=4):
    """Like the harness's microBench: `tasks` is a list of (id, label, loop); each sample is
    `loop(batch)` timed as a whole, in ns per operation; the tasks are interleaved over
    `rounds` rounds (each with its warm-up); the headline value is the median batch."""
    rounds = max(1, min(rounds, batches))
    per_round = math.ceil(batches / rounds)
    clock = time.perf_counter_ns
    samples = {fid: [] for fid, _, _ in tasks}
    for _ in range(rounds):
        for fid, _, loop in tasks:
            for _ in range(warmup_batches):
                loop(batch)
            out = samples[fid]
            for _ in range(per_round):
                t0 = clock()
                loop(batch)
                out.append((clock() - t0) / batch)
    figures = []
    for fid, label, _ in tasks:
        stats = summarize(samples[fid])
        stats["opsPerSec"] = 1e9 / stats["mean"]
        stats["ops"] = stats["samples"] * batch
        figures.append({"id": fid, "label": label, "value": stats["p50"], "unit": "ns/op", "stats": stats})
    return figures


def emit(figures):
    """Print the figures as the one JSON line the harness reads."""
    print(json.dumps({"figures": figures}))
