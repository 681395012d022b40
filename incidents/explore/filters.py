"""Filter incidents as a pure function of the app's widget values, and summarise the filtered set.

An incident reported at several places keeps only the places that pass the place filters (country,
place search), so the map, the table, the counts and the exports all show the same set.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from gazetteer.records import Place
from incidents.records import Incident, IncidentPlace, IncidentType


def fold(text: str) -> str:
    """Return text case-folded without diacritics, for forgiving place search ("beer" finds "Beër")."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@dataclass(frozen=True, slots=True)
class Filters:
    """The filter widgets' values; an empty set or None means "no restriction"."""

    types: frozenset[IncidentType] = frozenset()
    subtypes: frozenset[str] = frozenset()
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    include_undated: bool = True
    min_killed: int = 0
    min_injured: int = 0
    countries: frozenset[str] = frozenset()
    place_query: str = ""
    place_aliases: frozenset[str] = frozenset()
    """Folded names of the places the gazetteer knows by ``place_query`` ("odessa": "odesa")."""
    doc_ids: frozenset[str] = frozenset()
    sources: frozenset[str] = frozenset()
    langs: frozenset[str] = frozenset()
    min_confidence: float = 0.0


@dataclass(frozen=True, slots=True)
class FilterOptions:
    """The values present in a set of incidents, offered as the filter widgets' choices."""

    types: tuple[IncidentType, ...]
    subtypes: tuple[str, ...]
    countries: tuple[str, ...]
    doc_ids: tuple[str, ...]
    sources: tuple[str, ...]
    langs: tuple[str, ...]
    first_date: dt.date | None
    last_date: dt.date | None


@dataclass(frozen=True, slots=True)
class Summary:
    """Headline counts of a set of incidents; an incident at several places counts once."""

    incidents: int
    strikes: int
    alerts: int
    killed: int
    injured: int
    places: int


def _place_matches(where: IncidentPlace, filters: Filters, query: str) -> bool:
    if filters.countries and where.place.country_code not in filters.countries:
        return False
    if not query:
        return True
    names = (where.place.name, where.mention, where.place.admin1 or "")
    return any(query in fold(name) for name in names) or fold(where.place.name) in filters.place_aliases


def _incident_matches(incident: Incident, f: Filters) -> bool:
    if f.types and incident.type not in f.types:
        return False
    if f.subtypes and (incident.subtype or "") not in f.subtypes:
        return False
    if incident.date is None:
        if not f.include_undated:
            return False
    elif (f.date_from and incident.date < f.date_from) or (f.date_to and incident.date > f.date_to):
        return False
    if f.min_killed and (incident.casualties.killed or 0) < f.min_killed:
        return False
    if f.min_injured and (incident.casualties.injured or 0) < f.min_injured:
        return False
    if f.doc_ids and incident.doc_id not in f.doc_ids:
        return False
    if f.sources and (incident.source or "") not in f.sources:
        return False
    if f.langs and incident.lang not in f.langs:
        return False
    return incident.confidence >= f.min_confidence


def apply_filters(incidents: Iterable[Incident], filters: Filters) -> list[Incident]:
    """Return the incidents that pass every filter, each keeping only its matching places."""
    query = fold(filters.place_query.strip())
    kept: list[Incident] = []
    for incident in incidents:
        if not _incident_matches(incident, filters):
            continue
        places = tuple(w for w in incident.places if _place_matches(w, filters, query))
        if not places:
            continue
        kept.append(incident if len(places) == len(incident.places) else replace(incident, places=places))
    return kept


def filter_options(incidents: Sequence[Incident]) -> FilterOptions:
    """Return the distinct values of the incidents' filterable fields, sorted."""
    dates = [i.date for i in incidents if i.date]
    return FilterOptions(
        types=tuple(sorted({i.type for i in incidents})),
        subtypes=tuple(sorted({i.subtype for i in incidents if i.subtype})),
        countries=tuple(sorted({w.place.country_code for i in incidents for w in i.places})),
        doc_ids=tuple(sorted({i.doc_id for i in incidents})),
        sources=tuple(sorted({i.source for i in incidents if i.source})),
        langs=tuple(sorted({i.lang for i in incidents})),
        first_date=min(dates, default=None),
        last_date=max(dates, default=None),
    )


def summarize(incidents: Sequence[Incident]) -> Summary:
    """Return the headline counts (strikes, alerts, killed, injured) of the incidents."""
    kinds = Counter(i.type for i in incidents)
    return Summary(
        incidents=len(incidents),
        strikes=kinds[IncidentType.STRIKE],
        alerts=kinds[IncidentType.ALERT],
        killed=sum(i.casualties.killed or 0 for i in incidents),
        injured=sum(i.casualties.injured or 0 for i in incidents),
        places=sum(len(i.places) for i in incidents),
    )


def daily_counts(incidents: Iterable[Incident]) -> list[tuple[dt.date, IncidentType, int]]:
    """Return (day, type, number of incidents) for the timeline chart; undated incidents are left out."""
    counts = Counter((i.date, i.type) for i in incidents if i.date is not None)
    return [(day, kind, n) for (day, kind), n in sorted(counts.items())]


DateRange = tuple[dt.date, dt.date]


def follow_dates(picked: Sequence[dt.date] | None, *, before: DateRange | None,
                 after: DateRange) -> DateRange:
    """Return the date filter's range once the stored incidents span ``after`` instead of ``before``.

    An end the user left at the edge of the old span moves to the edge of the new one, so incidents
    from new documents show at once; an end the user moved inside the span stays where it is.
    """
    if before is None or picked is None or len(picked) != 2:
        return after
    start, end = picked
    return (after[0] if start <= before[0] else start, after[1] if end >= before[1] else end)


def widget_filters(values: Mapping[str, Any], *, aliases: frozenset[str] = frozenset()) -> Filters:
    """Return the filters the filter widgets hold, by widget key (``WIDGET_DEFAULTS`` for those not set).

    ``f_dates`` is a range only when both ends are picked (a half-picked range filters nothing yet);
    ``aliases`` are the other names of the place searched for (``place_aliases``).
    """
    def get(key: str) -> Any:
        return values.get(key, WIDGET_DEFAULTS.get(key))

    picked = get("f_dates")
    date_from, date_to = picked if isinstance(picked, tuple | list) and len(picked) == 2 else (None, None)
    return Filters(
        types=frozenset(IncidentType(t) for t in get("f_types")), subtypes=frozenset(get("f_subtypes")),
        date_from=date_from, date_to=date_to, include_undated=bool(get("f_undated")),
        min_killed=int(get("f_killed")), min_injured=int(get("f_injured")),
        countries=frozenset(get("f_countries")), place_query=str(get("f_place")), place_aliases=aliases,
        doc_ids=frozenset(get("f_docs")), sources=frozenset(get("f_sources")),
        langs=frozenset(get("f_langs")), min_confidence=float(get("f_conf")),
    )


WIDGET_DEFAULTS: Mapping[str, Any] = {
    "f_types": (), "f_subtypes": (), "f_dates": None, "f_undated": True, "f_killed": 0, "f_injured": 0,
    "f_countries": (), "f_place": "", "f_docs": (), "f_sources": (), "f_langs": (), "f_conf": 0.0,
}
"""The filter widgets' values before the user changes them (the app draws them with these), by key;
the dates default to the span of the stored incidents."""


def place_aliases(places: Iterable[Place]) -> frozenset[str]:
    """Return the folded names of places found for a search, so its other spellings find them too."""
    return frozenset(fold(p.name) for p in places)


def without_dates(filters: Filters) -> Filters:
    """Return the filters with no date range: the days an analyst can step through."""
    return replace(filters, date_from=None, date_to=None)


def incident_days(incidents: Iterable[Incident]) -> tuple[dt.date, ...]:
    """Return the days that have an incident, in order (undated incidents have none)."""
    return tuple(sorted({i.date for i in incidents if i.date is not None}))


def step_day(days: Sequence[dt.date], shown: DateRange | None, *, forward: bool) -> dt.date | None:
    """Return the day to show after (``forward``) or before the range shown, among ``days``.

    From one day the step goes to the next or previous day with incidents; from a range of days (or
    none), forward starts at the range's first day with incidents and backward at its last. None when
    there is no such day.
    """
    if not days:
        return None
    if shown is None:
        return days[0] if forward else days[-1]
    start, end = shown
    if start == end:
        later = [d for d in days if (d > start if forward else d < start)]
    else:
        later = [d for d in days if (d >= start if forward else d <= end)]
    if not later:
        return None
    return later[0] if forward else later[-1]
