"""Run one step over many documents on every core, with the results in input order.

The workers are forked from the process that already loaded the gazetteer, so they share its pages
(copy-on-write) instead of each loading 400 MB again; the garbage collector's tracked objects are frozen
before the fork, so a collection in a worker does not write to (and copy) the shared pages. Only the
items and the results cross between processes (pickled), a chunk of items at a time, and only a few
chunks per worker are in flight: memory does not grow with the input.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import signal
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from itertools import islice
from typing import Any, TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")

CHUNK = 8
"""Items sent to a worker at a time: enough to amortise the pickling round trip of a 2 KB document."""
IN_FLIGHT_PER_WORKER = 4
"""Chunks queued per worker: keeps every worker busy while bounding memory."""

_work: Callable[[Any], Any] | None = None
"""The step the forked workers run; set in the parent just before the fork, inherited by it."""


def default_jobs() -> int:
    """Return the number of cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def _quiet_worker() -> None:
    # Ctrl-C reaches the whole process group: the parent stops the pool; workers must not each print
    # a traceback.
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _run_chunk(chunk: list[Any]) -> list[Any]:
    assert _work is not None, "the step is set before the fork"
    return [_work(item) for item in chunk]


def map_ordered(
    work: Callable[[Item], Result],
    items: Iterable[Item],
    *,
    jobs: int,
    chunk: int = CHUNK,
    before_fork: Callable[[], object] | None = None,
) -> Iterator[Result]:
    """Yield ``work(item)`` for each item, in input order, computed on ``jobs`` forked processes.

    ``work`` and everything it refers to (a loaded gazetteer) are inherited through ``fork``, never
    pickled: load what it needs before calling, and what it would load lazily in ``before_fork``
    (called only when workers are started). ``work`` should return expected failures as values; an
    exception it raises stops the run and is raised here. With ``jobs`` 1, or fewer items than one
    chunk, everything runs in this process.
    """
    iterator = iter(items)
    if jobs <= 1:  # nothing read ahead: a document from a pipe is done as soon as it has come
        yield from map(work, iterator)
        return
    first = list(islice(iterator, chunk))
    if len(first) < chunk or "fork" not in multiprocessing.get_all_start_methods():
        yield from map(work, first)
        yield from map(work, iterator)
        return
    if before_fork is not None:
        before_fork()
    yield from _forked(work, first, iterator, jobs=jobs, chunk=chunk)


def _forked(work: Callable[[Item], Result], first: list[Item], rest: Iterator[Item], *, jobs: int,
            chunk: int) -> Iterator[Result]:
    global _work  # the fork hands the step to the workers through this module
    _work = work
    gc.collect()
    gc.freeze()
    try:
        pool = multiprocessing.get_context("fork").Pool(jobs, initializer=_quiet_worker)
    finally:
        gc.unfreeze()
    with pool:
        pending: deque[Any] = deque([pool.apply_async(_run_chunk, (first,))])
        limit = jobs * IN_FLIGHT_PER_WORKER
        while pending:
            while len(pending) < limit and (batch := list(islice(rest, chunk))):
                pending.append(pool.apply_async(_run_chunk, (batch,)))
            yield from pending.popleft().get()
        pool.close()
        pool.join()
