"""Shared helpers of the Python benchmarks: timing after a warm-up, the same repeat rule as the Node side
(bench/harness.ts), reading the raw float64 files the Node side wrote, and printing one JSON line."""
import json
import statistics
import sys
import time

import numpy as np


def read_f64(path, cols):
    """The n x cols row-major float64 matrix the Node generator wrote."""
    return np.fromfile(path, dtype="<f8").reshape(-1, cols)


def measure(fn, repeats=5):
    """Warm-up, then timed runs (3 if the warm-up took over 2 s, 1 over 8 s). fn may return its own ms."""
    t0 = time.perf_counter()
    fn()
    warm = time.perf_counter() - t0
    if warm > 8:
        repeats = 1
    elif warm > 2:
        repeats = min(repeats, 3)
    times = []
    extra = None
    for _ in range(repeats):
        t0 = time.perf_counter()
        out = fn()
        elapsed = (time.perf_counter() - t0) * 1000
        if isinstance(out, tuple):
            own, extra = out
            times.append(own if own is not None else elapsed)
        else:
            times.append(elapsed)
    return {
        "medianMs": statistics.median(times),
        "minMs": min(times),
        "maxMs": max(times),
        "runs": len(times),
        "extra": extra,
    }


def emit(result):
    sys.stdout.write(json.dumps(result) + "\n")
