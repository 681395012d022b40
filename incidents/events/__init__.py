"""Events: incidents from different documents that tell of one real-world event, grouped as they arrive.

Between the store and what is shown or exported: ``reports`` (an incident as grouping sees it, and the
days it may have happened on), ``rule`` (when two reports are one event), ``grouping`` (the index by
place and day, and the in-memory ``Grouper``) and ``counts`` (low / best / high across reports). Pure:
no file, no database; the store keeps the groups, the command line groups one run in memory.
"""

from __future__ import annotations

from incidents.events.counts import CountRange, EventSummary, count_range, summarize_event
from incidents.events.grouping import (
    Grouper,
    assign_document,
    group_reports,
    index_keys,
    new_event_id,
    probe_keys,
)
from incidents.events.reports import Report, chronological, report_of, window
from incidents.events.rule import join_strength, pair_strength, place_relation

__all__ = [
    "CountRange",
    "EventSummary",
    "Grouper",
    "Report",
    "assign_document",
    "chronological",
    "count_range",
    "group_reports",
    "index_keys",
    "join_strength",
    "new_event_id",
    "pair_strength",
    "place_relation",
    "probe_keys",
    "report_of",
    "summarize_event",
    "window",
]
