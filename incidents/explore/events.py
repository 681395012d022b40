"""Events in the app: the events the filtered incidents belong to, their table rows and their totals.

Headline counts add up events, not reports: each event counts once, with its best figures.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from incidents.events import EventSummary
from incidents.records import Incident

EVENT_COLUMNS = ("event_id", "type", "places", "report_count", "killed_low", "killed_best", "killed_high",
                 "injured_low", "injured_best", "injured_high", "first_reported", "last_reported", "sources")


@dataclass(frozen=True, slots=True)
class EventTotals:
    """Headline counts over events: how many, and killed and injured added up by each event's best figure."""

    events: int
    killed: int
    injured: int


def visible_events(events: Iterable[EventSummary], incidents: Iterable[Incident]) -> list[EventSummary]:
    """Return the events that hold at least one of the (filtered) incidents, in their stored order."""
    shown = {incident.incident_id for incident in incidents}
    return [event for event in events if any(r.incident_id in shown for r in event.reports)]


def event_totals(events: Sequence[EventSummary]) -> EventTotals:
    """Return the headline counts of events (a count no report gives adds nothing)."""
    return EventTotals(events=len(events), killed=sum(e.killed.best or 0 for e in events),
                       injured=sum(e.injured.best or 0 for e in events))


def event_table_rows(events: Iterable[EventSummary]) -> list[dict[str, Any]]:
    """Return one table row per event (``EVENT_COLUMNS``)."""
    return [{
        "event_id": e.event_id, "type": str(e.type), "places": "; ".join(p.name for p in e.places),
        "report_count": e.report_count, "killed_low": e.killed.low, "killed_best": e.killed.best,
        "killed_high": e.killed.high, "injured_low": e.injured.low, "injured_best": e.injured.best,
        "injured_high": e.injured.high,
        "first_reported": e.first_reported.isoformat() if e.first_reported else None,
        "last_reported": e.last_reported.isoformat() if e.last_reported else None,
        "sources": "; ".join(e.sources),
    } for e in events]
