"""Counts across reports, the way UCDP gives them: the lowest, a best and the highest figure.

The best figure is the latest report's: tolls grow as the dead are found and the injured die, so the
newest figure is usually the truest, and a reader comparing with the news sees the figure last reported.
A report that gives no number for a count is skipped for that count (its silence is not a zero): the
best is the latest figure some report gives, and a count stays None only when no report gives one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from gazetteer.records import Place
from incidents.events.reports import Report, chronological
from incidents.records import IncidentType


@dataclass(frozen=True, slots=True)
class CountRange:
    """The lowest, best and highest figure the reports give; all None when none gives one."""

    low: int | None = None
    best: int | None = None
    high: int | None = None


@dataclass(frozen=True, slots=True)
class EventSummary:
    """An event: its reports oldest first, its places, counts across reports, first and last report dates."""

    event_id: str
    type: IncidentType
    reports: tuple[Report, ...]
    places: tuple[Place, ...]
    killed: CountRange
    injured: CountRange
    first_reported: dt.date | None
    last_reported: dt.date | None

    @property
    def report_count(self) -> int:
        """Return how many reports tell of the event."""
        return len(self.reports)

    @property
    def sources(self) -> tuple[str, ...]:
        """Return the reports' sources (or document ids when a source is unknown), oldest first, once each."""
        return tuple(dict.fromkeys(r.source or r.doc_id for r in self.reports))


def count_range(reports: Sequence[Report], count: Callable[[Report], int | None]) -> CountRange:
    """Return low, best (the latest figure given) and high of one count over reports oldest first."""
    figures = [value for value in map(count, reports) if value is not None]
    if not figures:
        return CountRange()
    return CountRange(low=min(figures), best=figures[-1], high=max(figures))


def summarize_event(event_id: str, reports: Sequence[Report]) -> EventSummary:
    """Return the summary of one event's reports (in any order; at least one)."""
    ordered = chronological(reports)
    places = {place.id: place for report in ordered for place in report.places}
    dates = [r.published for r in ordered if r.published is not None]
    return EventSummary(
        event_id=event_id,
        type=ordered[0].type,
        reports=tuple(ordered),
        places=tuple(places.values()),
        killed=count_range(ordered, lambda r: r.killed),
        injured=count_range(ordered, lambda r: r.injured),
        first_reported=min(dates, default=None),
        last_reported=max(dates, default=None),
    )
