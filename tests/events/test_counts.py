"""Counts across reports: low, best (the latest figure given), high; null only when no report gives one."""

from __future__ import annotations

import dataclasses
import datetime as dt

from incidents.events import chronological, count_range, summarize_event
from incidents.events.counts import CountRange
from tests.events.test_rule import ODESA, report


def tolls(*figures: tuple[str, dt.date | None, int | None]) -> list:  # type: ignore[type-arg]
    return [dataclasses.replace(report(doc, ODESA), incident_id=doc, published=published, killed=killed,
                                seq=n, source=f"https://news.example/{doc}")
            for n, (doc, published, killed) in enumerate(figures)]


def test_best_is_the_latest_figure_given() -> None:
    reports = tolls(("a", dt.date(2024, 3, 2), 4), ("b", dt.date(2024, 3, 3), 12),
                    ("c", dt.date(2024, 3, 4), None))
    assert count_range(reports, lambda r: r.killed) == CountRange(low=4, best=12, high=12)


def test_null_stays_null_unless_a_report_gives_a_number() -> None:
    reports = tolls(("a", None, None), ("b", None, None))
    assert count_range(reports, lambda r: r.killed) == CountRange()
    assert count_range(tolls(("a", None, 0)), lambda r: r.killed) == CountRange(0, 0, 0)


def test_an_undated_report_counts_as_published_with_those_before_it() -> None:
    reports = tolls(("a", dt.date(2024, 3, 5), 9), ("b", None, 7), ("c", dt.date(2024, 3, 4), 3))
    assert [r.doc_id for r in chronological(reports)] == ["c", "a", "b"]


def test_summary_lists_sources_and_report_dates() -> None:
    reports = tolls(("b", dt.date(2024, 3, 3), 12), ("a", dt.date(2024, 3, 2), 4))
    summary = summarize_event("ev-x", reports)
    assert summary.report_count == 2
    assert summary.sources == ("https://news.example/a", "https://news.example/b")
    assert (summary.first_reported, summary.last_reported) == (dt.date(2024, 3, 2), dt.date(2024, 3, 3))
    assert summary.killed == CountRange(4, 12, 12)
    assert summary.places == (ODESA,)
