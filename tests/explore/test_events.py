"""Events in the app: events of the filtered incidents, headline totals by event, table rows."""

from __future__ import annotations

import dataclasses
import datetime as dt

from incidents.events import summarize_event
from incidents.explore.events import EVENT_COLUMNS, event_table_rows, event_totals, visible_events
from tests.events.test_rule import KHARKIV, ODESA, report
from tests.store.test_events import strike


def test_headline_adds_up_events_not_reports() -> None:
    first = dataclasses.replace(report("a", ODESA), killed=4, published=dt.date(2024, 3, 2), seq=1)
    later = dataclasses.replace(report("b", ODESA), killed=12, injured=3, published=dt.date(2024, 3, 3),
                                seq=2)
    other = dataclasses.replace(report("c", KHARKIV), killed=1, seq=3)
    events = [summarize_event("ev-odesa", [first, later]), summarize_event("ev-kharkiv", [other])]
    totals = event_totals(events)
    assert (totals.events, totals.killed, totals.injured) == (2, 13, 3)
    assert visible_events(events, [strike("z")]) == []
    shown = visible_events(events, [dataclasses.replace(strike("a"), incident_id="b-0")])
    assert [e.event_id for e in shown] == ["ev-odesa"]
    [row] = event_table_rows(shown)
    assert tuple(row) == EVENT_COLUMNS and row["report_count"] == 2 and row["killed_best"] == 12
