"""CPU time of one call for the linear-time tests, with the garbage collector off.

The collector's passes over what the test session has loaded (indexes, lexicons) grow with what the
measured call allocates, and would blur what a test measures: the growth of the call itself.
"""

from __future__ import annotations

import gc
import math
import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


def cpu_seconds(call: Callable[[], T], *, runs: int = 1) -> tuple[float, T]:
    """Return the least CPU seconds of ``runs`` calls and the last call's result."""
    best = math.inf
    gc.collect()
    gc.disable()
    try:
        for _ in range(runs):
            started = time.process_time()
            result = call()
            best = min(best, time.process_time() - started)
    finally:
        gc.enable()
    return best, result
