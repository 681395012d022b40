"""Reports: one document's incident as the grouping sees it, with when it may have happened.

A report's *window* is the range of days its event may have happened on. An incident dated ``d`` may
be the night before it (an "overnight" attack is told as either day): ``[d - 1, d]``. An undated
incident in a document published on ``p`` happened that day or up to two days before (reports come a
day later, and overnight): ``[p - 2, p]``. With neither, the window is unknown and contradicts nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from gazetteer.records import Place
from incidents.records import Incident, IncidentType

OVERNIGHT_DAYS = 1
"""An event told as day ``d`` may have happened in the night before it."""
REPORT_LAG_DAYS = 2
"""An undated report may come this many days after its event (a day later, plus overnight)."""

Window = tuple[dt.date, dt.date]


@dataclass(frozen=True, slots=True)
class Report:
    """One incident of one document, with what grouping needs: type, weapon, places, days, counts.

    ``seq`` is the arrival order (documents as they came in); ``published`` the document's date.
    """

    incident_id: str
    doc_id: str
    type: IncidentType
    subtype: str | None
    places: tuple[Place, ...]
    date: dt.date | None
    published: dt.date | None
    killed: int | None
    injured: int | None
    source: str | None
    seq: int


def report_of(incident: Incident, *, published: dt.date | None, seq: int) -> Report:
    """Return the report of an incident read from a document published on ``published``."""
    return Report(
        incident_id=incident.incident_id,
        doc_id=incident.doc_id,
        type=incident.type,
        subtype=incident.subtype,
        places=tuple(where.place for where in incident.places),
        date=incident.date,
        published=published,
        killed=incident.casualties.killed,
        injured=incident.casualties.injured,
        source=incident.source,
        seq=seq,
    )


@lru_cache(maxsize=1 << 12)
def _days_before(day: dt.date, days: int) -> dt.date:
    """Return the day ``days`` before, or the calendar's first day."""
    return day - dt.timedelta(days=min(days, (day - dt.date.min).days))


def window(report: Report) -> Window | None:
    """Return the days the report's event may have happened on, or None when nothing dates it."""
    return day_window(report.date, report.published)


def day_window(date: dt.date | None, published: dt.date | None) -> Window | None:
    """Return the days an event dated ``date`` and reported on ``published`` may have happened on."""
    if date is not None:
        return _days_before(date, OVERNIGHT_DAYS), date
    if published is not None:
        return _days_before(published, REPORT_LAG_DAYS), published
    return None


def common_window(windows: Iterable[Window | None]) -> Window | bool | None:
    """Return the days every window allows; None when none is known; False when they exclude each other."""
    lo: dt.date | None = None
    hi: dt.date | None = None
    for found in windows:
        if found is None:
            continue
        lo = found[0] if lo is None else max(lo, found[0])
        hi = found[1] if hi is None else min(hi, found[1])
    if lo is None or hi is None:
        return None
    return (lo, hi) if lo <= hi else False


def days_of(found: Window) -> list[dt.date]:
    """Return every day of a window, first to last."""
    return [found[0] + dt.timedelta(days=n) for n in range((found[1] - found[0]).days + 1)]


def chronological(reports: Sequence[Report]) -> list[Report]:
    """Return reports oldest first: by publication date, an undated one as published with those before it.

    A document without a date is taken as published no earlier than the latest dated one that arrived
    before it (a later arrival is a later report, unless its date says otherwise); ties keep arrival order.
    """
    latest: dt.date | None = None
    keyed: list[tuple[dt.date, int, Report]] = []
    for report in sorted(reports, key=lambda r: r.seq):
        if report.published is not None:
            latest = report.published if latest is None else max(latest, report.published)
        keyed.append((report.published or latest or dt.date.min, report.seq, report))
    return [report for _, _, report in sorted(keyed, key=lambda k: (k[0], k[1]))]
