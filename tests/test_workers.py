"""Every core: results in input order, the step inherited by fork, failures raised in the parent."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from incidents.workers import CHUNK, default_jobs, map_ordered


def test_results_come_back_in_input_order_from_forked_workers() -> None:
    offset = 1000  # a closure: inherited by the fork, it could never be pickled

    def work(n: int) -> tuple[int, int]:
        return n + offset, os.getpid()

    results = list(map_ordered(work, range(10 * CHUNK + 3), jobs=2))
    assert [n for n, _ in results] == [n + offset for n in range(10 * CHUNK + 3)]
    assert os.getpid() not in {pid for _, pid in results}, "the work ran in the workers"


def test_one_job_or_a_few_items_run_here() -> None:
    assert {pid for pid in map_ordered(lambda _: os.getpid(), range(50), jobs=1)} == {os.getpid()}
    few = list(map_ordered(lambda _: os.getpid(), range(CHUNK - 1), jobs=4))
    assert set(few) == {os.getpid()}


def test_one_job_reads_no_item_ahead_of_its_result() -> None:
    pulled: list[int] = []

    def items() -> Iterator[int]:
        for n in range(3):
            pulled.append(n)
            yield n

    results = map_ordered(lambda n: n * 2, items(), jobs=1)
    assert next(results) == 0
    assert pulled == [0]  # a document from a pipe is done before the next one is waited for


def test_an_error_in_a_worker_is_raised_here() -> None:
    def work(n: int) -> int:
        if n == 3 * CHUNK:
            msg = f"bad item {n}"
            raise ValueError(msg)
        return n

    with pytest.raises(ValueError, match="bad item 24"):
        list(map_ordered(work, range(6 * CHUNK), jobs=2))


def test_items_are_read_as_the_workers_need_them() -> None:
    read: list[int] = []

    def items() -> object:
        for n in range(10_000):
            read.append(n)
            yield n

    results = map_ordered(lambda n: n, items(), jobs=2)  # type: ignore[arg-type]
    assert next(results) == 0
    assert len(read) < 1000, "the input is not drained ahead of the workers"
    results.close()


def test_default_jobs_is_the_usable_cores() -> None:
    assert 1 <= default_jobs() <= (os.cpu_count() or 1)


def test_before_fork_runs_only_when_workers_are_started() -> None:
    called: list[int] = []
    list(map_ordered(lambda n: n, range(3), jobs=2, before_fork=lambda: called.append(1)))
    assert called == []
    list(map_ordered(lambda n: n, range(5 * CHUNK), jobs=2, before_fork=lambda: called.append(2)))
    assert called == [2]
