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


def micro(fid, label, loop, batch, batches, warmup_batches):
    """Time `loop(batch)` `batches` times (after warm-up); samples are ns per operation."""
    for _ in range(warmup_batches):
        loop(batch)
    clock = time.perf_counter_ns
    samples = []
    for _ in range(batches):
        t0 = clock()
        loop(batch)
        samples.append((clock() - t0) / batch)
    stats = summarize(samples)
    stats["opsPerSec"] = 1e9 / stats["mean"]
    stats["ops"] = batch * batches
    return {"id": fid, "label": label, "value": stats["mean"], "unit": "ns/op", "stats": stats}


def emit(figures):
    """Print the figures as the one JSON line the harness reads."""
    print(json.dumps({"figures": figures}))
