"""Growth checks: time must grow about linearly with input, never quadratically.

Absolute speed lives in bench/ (docs/benchmarks.md); these tests only compare a small input with
one `factor` times larger, in CPU time, so a busy machine does not make them fail.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any


def cpu_seconds(fn: Callable[[], Any]) -> float:
    start = time.process_time()
    fn()
    return time.process_time() - start


def assert_linear(run: Callable[[int], Any], factor: int = 8, slack: float = 2.0, floor: float = 0.05) -> None:
    """`run(k)` handles an input k times the base size; time(factor) ≤ slack·factor·time(1) + floor.

    A quadratic algorithm takes factor² (64×) as long and fails; noise of 2× passes. Each size is
    timed three times and the fastest counts: timed once each on a busy machine, 7 ms at ×1 became
    0.21 s at ×8 (28×) for a linear parser (cache and scheduler noise, even in CPU time).
    """
    small = max(min(cpu_seconds(lambda: run(1)) for _ in range(3)), 1e-3)
    big = min(cpu_seconds(lambda: run(factor)) for _ in range(3))
    assert big <= slack * factor * small + floor, (
        f"×{factor} input took {big / small:.1f}× the time ({small:.3f}s → {big:.3f}s)")
