"""Incremental grouping: each new report joins the event it best fits, found through an index.

The index maps *keys* (a type with a place cell, a first-level division or a country, and a day) to
events, so a new report looks only at events near it in place and time, never at the whole store.
``index_keys`` are the keys a report is filed under; ``probe_keys`` the keys a new report looks up.
The same keys serve the in-memory ``Grouper`` (command line, evaluation) and the store's SQL table.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from gazetteer.records import Place, Precision
from incidents.events.counts import EventSummary, summarize_event
from incidents.events.reports import Report, Window, days_of, report_of, window
from incidents.events.rule import Join, Kind, admin_key, join_strength, kind_of, reach_km
from incidents.records import Incident

JOINS_KEPT = 1 << 16
"""Answers of the rule a ``Grouper`` keeps (a report kind's join with an event, folded as the event gains
kinds) before it forgets them all: bounds memory on a long run."""
CELL_DEGREES = 0.5
"""Side of the index's grid cells; a town's reach (at most 25 km) stays within its neighbours."""


def _cell(lat: float, lon: float) -> tuple[int, int]:
    return math.floor(lat / CELL_DEGREES), math.floor(lon / CELL_DEGREES)


def _cells_around(place: Place, km: float) -> list[str]:
    """Return the cells within ``km`` of a place (at least its neighbours)."""
    row, col = _cell(place.lat, place.lon)
    rows = max(1, math.ceil(km / (111.0 * CELL_DEGREES)))
    shrink = max(0.1, math.cos(math.radians(min(abs(place.lat), 85.0))))
    cols = max(1, math.ceil(km / (111.0 * CELL_DEGREES * shrink)))
    return [f"cell:{r}:{c}" for r in range(row - rows, row + rows + 1)
            for c in range(col - cols, col + cols + 1)]


def _division(place: Place, kind: str) -> list[str]:
    """Return the division key of a place: ``in`` for a place inside it, ``region`` for the region itself."""
    key = admin_key(place)
    return [f"adm-{kind}:{place.country_code}:{key.split(' ')[0]}"] if key else []


@lru_cache(maxsize=1 << 14)
def place_index_keys(place: Place) -> tuple[str, ...]:
    """Return the place keys a place is filed under: its cell(s), its division, its country.

    Cached (as ``place_probe_keys``): a corpus names the same places again and again.
    """
    row, col = _cell(place.lat, place.lon)
    keys = (f"cell:{row}:{col}", f"cc:{place.country_code}")
    if place.precision == Precision.COUNTRY:
        return (*keys, f"country:{place.country_code}")
    if place.precision == Precision.REGION:
        return (*keys, *_cells_around(place, reach_km(place)), *_division(place, "region"))
    return (*keys, *_division(place, "in"))


@lru_cache(maxsize=1 << 14)
def place_probe_keys(place: Place) -> tuple[str, ...]:
    """Return the place keys under which the places related to a place are filed.

    A town looks in its neighbouring cells, for its division's region and for its country; a region in
    the cells it covers and in its division; a country at every place of its country code.
    """
    if place.precision == Precision.COUNTRY:
        return (f"cc:{place.country_code}",)
    keys = (*_cells_around(place, reach_km(place)), f"country:{place.country_code}")
    if place.precision == Precision.REGION:
        return (*keys, *_division(place, "in"), *_division(place, "region"))
    return (*keys, *_division(place, "region"))


@lru_cache(maxsize=1 << 12)
def _day_keys(found: Window | None) -> tuple[str, ...]:
    """Return the day parts of the keys of a window (``-`` when nothing dates the report)."""
    return tuple(d.isoformat() for d in days_of(found)) if found is not None else ("-",)


def _with_days(report: Report, place_keys: Iterable[str]) -> set[str]:
    days = _day_keys(window(report))
    head = f"{report.type}|"
    return {f"{head}{key}|{day}" for key in place_keys for day in days}


def index_keys(report: Report) -> set[str]:
    """Return the keys a report is filed under (``type|place|day``; day ``-`` when it is undated)."""
    return _with_days(report, (k for place in report.places for k in place_index_keys(place)))


def probe_keys(report: Report) -> tuple[set[str], set[str]]:
    """Return the exact keys a new report looks up, and the prefixes (``type|place|``) when it is undated.

    A dated report looks at the days of its window and at undated reports; an undated one at every day.
    """
    place_keys = {k for place in report.places for k in place_probe_keys(place)}
    head = f"{report.type}|"
    if window(report) is None:
        return set(), {f"{head}{key}|" for key in place_keys}
    return _with_days(report, place_keys) | {f"{head}{key}|-" for key in place_keys}, set()


def assign_document(reports: Sequence[Report], events: Mapping[str, Sequence[Report]], *,
                    apart: Mapping[str, Collection[str]] | None = None) -> dict[str, str | None]:
    """Return the event each report of one document joins (None: it founds a new one).

    ``events`` are the candidate events with all their reports. A document's reports are placed
    together, strongest fit first, one report per event (the document told them apart), so a town's
    report takes the town's event before the region's report can. ``apart`` maps an incident id to the
    incident ids a reviewer split from it: an event holding one of them is not a candidate for it.
    """
    apart = apart or {}
    fits: list[Fit] = []
    for n, report in enumerate(reports):
        split = apart.get(report.incident_id, ())
        for event_id, members in events.items():
            if split and any(member.incident_id in split for member in members):
                continue
            strength = join_strength(report, members)
            if strength > 0.0:
                fits.append((strength, -min(m.seq for m in members), event_id, n))
    return choose(reports, fits)


Fit = tuple[float, int, str, int]
"""How strongly report ``n`` fits an event: (strength, minus the event's first arrival, event id, n)."""


def choose(reports: Sequence[Report], fits: Iterable[Fit]) -> dict[str, str | None]:
    """Return the event each report joins: strongest fit first (older event, then id, on ties), one
    report of the document per event."""
    chosen: dict[str, str | None] = {report.incident_id: None for report in reports}
    taken: set[str] = set()
    for _, _, event_id, n in sorted(fits, key=lambda f: (-f[0], -f[1], f[2], f[3])):
        incident_id = reports[n].incident_id
        if chosen[incident_id] is None and event_id not in taken:
            chosen[incident_id] = event_id
            taken.add(event_id)
    return chosen


def new_event_id(report: Report) -> str:
    """Return the id of an event a report founds: stable, from the founding incident's id."""
    return f"ev-{report.incident_id}"


@dataclass
class Grouper:
    """Events in memory, grouped as reports arrive; for one command-line run or one evaluation.

    Besides each event's reports it keeps their documents, type, first arrival and kinds: the rule
    gives the same answer for every report of a kind, so a new report is compared with an event's
    kinds, not with its every report, and the time a document takes does not grow with the run.
    """

    events: dict[str, list[Report]] = field(default_factory=dict)
    arrived: int = 0
    keep_reports: bool = True
    """False: ``events`` stays empty (no summaries), so memory grows with the events, not the reports."""
    _exact: dict[str, set[str]] = field(default_factory=dict)
    _prefix: dict[str, set[str]] = field(default_factory=dict)
    _documents: dict[str, set[str]] = field(default_factory=dict)
    _types: dict[str, str] = field(default_factory=dict)
    _founded: dict[str, int] = field(default_factory=dict)
    _kind_list: dict[str, list[Kind]] = field(default_factory=dict)
    _interned: dict[Kind, int] = field(default_factory=dict)
    _joins: dict[tuple[int, str], Join] = field(default_factory=dict)
    _places: dict[str, Place] = field(default_factory=dict)

    def candidates(self, report: Report) -> list[str]:
        """Return the events filed under the keys the report looks up, in id order.

        An event that already holds a report of the same document is left out (the rule would refuse it).
        """
        exact, prefixes = probe_keys(report)
        found: set[str] = set()
        for key in exact:
            if (events := self._exact.get(key)) is not None:
                found.update(events)
        for prefix in prefixes:
            if (events := self._prefix.get(prefix)) is not None:
                found.update(events)
        documents, doc_id = self._documents, report.doc_id
        return sorted(event_id for event_id in found if doc_id not in documents[event_id])

    def add(self, reports: Sequence[Report]) -> dict[str, str]:
        """Group one document's reports; return the event id of each incident id.

        The same choice as ``assign_document`` over every event with all its reports: a report can join
        only an event its keys find (a related place shares a key, an overlapping window a day), and the
        rule is asked of the event's kinds, each (report kind, event kinds) answer once.
        """
        fits: list[Fit] = []
        for n, report in enumerate(reports):
            kind = kind_of(report)
            kind_id = self._interned.setdefault(kind, len(self._interned))
            for event_id in self.candidates(report):
                if report.type != self._types[event_id]:
                    continue
                strength = self._strength(kind, kind_id, event_id)
                if strength > 0.0:
                    fits.append((strength, -self._founded[event_id], event_id, n))
        chosen = choose(reports, fits)
        found: dict[str, str] = {}
        for report in reports:
            event_id = chosen[report.incident_id] or new_event_id(report)
            found[report.incident_id] = event_id
            if self.keep_reports:
                self.events.setdefault(event_id, []).append(report)
            kinds, kind = self._kind_list.setdefault(event_id, []), kind_of(report)
            if kind not in kinds:
                kinds.append(kind)
            self._documents.setdefault(event_id, set()).add(report.doc_id)
            self._types.setdefault(event_id, report.type)
            self._founded.setdefault(event_id, report.seq)
            for key in index_keys(report):
                self._exact.setdefault(key, set()).add(event_id)
                self._prefix.setdefault(key[: key.rindex("|") + 1], set()).add(event_id)
        return found

    def _strength(self, kind: Kind, kind_id: int, event_id: str) -> float:
        """Return ``join_kinds`` of a report's kind and an event's kinds, folding only the kinds the event
        gained since this kind last asked."""
        key = (kind_id, event_id)
        join = self._joins.get(key)
        if join is None:
            if len(self._joins) >= JOINS_KEPT:
                self._joins.clear()
            join = self._joins[key] = Join(kind)
        kinds = self._kind_list[event_id]
        if join.folded < len(kinds):
            join.fold(kinds)
        return join.value

    def add_arrival(self, reports: Sequence[Report]) -> dict[str, str]:
        """Group one document's reports (their ``seq`` not set yet) as the next arrival.

        Reports that crossed from a worker process carry their own copies of their places: each place
        is replaced by the first copy seen, so the rule's caches compare places by identity.
        """
        self.arrived += 1
        return self.add([dataclasses.replace(report, seq=self.arrived, places=tuple(
            self._places.setdefault(place.id, place) for place in report.places)) for report in reports])

    def add_document(self, incidents: Iterable[Incident], *, published: dt.date | None) -> dict[str, str]:
        """Group one document's incidents as the next arrival; return the event id of each incident id."""
        self.arrived += 1
        return self.add([report_of(i, published=published, seq=self.arrived) for i in incidents])

    def summaries(self) -> list[EventSummary]:
        """Return every event's summary, in the order the events were founded."""
        return [summarize_event(event_id, members) for event_id, members in self.events.items()]



def group_reports(reports: Iterable[Report]) -> dict[str, str]:
    """Group reports from scratch, a document at a time in arrival order; return each incident's event id."""
    grouper = Grouper()
    documents: dict[tuple[int, str], list[Report]] = {}
    for report in reports:
        documents.setdefault((report.seq, report.doc_id), []).append(report)
    found: dict[str, str] = {}
    for key in sorted(documents):
        found.update(grouper.add(documents[key]))
    return found
