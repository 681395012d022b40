"""The page URL of a view: the filters and the selected incident as query parameters, and back.

Only what differs from the defaults is written, so a link stays short and a link made before new
documents arrived still shows them (a date range at the edges of the data is not written).
Values read back from a URL are checked against what the store holds; unknown ones are dropped.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from incidents.explore.filters import DateRange, FilterOptions, Filters

Params = dict[str, list[str]]

_SETS = {"type": "types", "subtype": "subtypes", "country": "countries", "doc": "doc_ids",
         "source": "sources", "lang": "langs"}
"""Query parameter -> the Filters field (and the FilterOptions field) of a multiple choice."""

WIDGET_KEYS = {"types": "f_types", "subtypes": "f_subtypes", "dates": "f_dates", "undated": "f_undated",
               "killed": "f_killed", "injured": "f_injured", "countries": "f_countries", "place": "f_place",
               "doc_ids": "f_docs", "sources": "f_sources", "langs": "f_langs", "confidence": "f_conf"}
"""The app's widget key of each filter."""

SELECTED = "sel"


def to_params(filters: Filters, *, span: DateRange | None, selected: str | None) -> Params:
    """Return the query parameters of a view (each a list: a parameter may repeat)."""
    params: Params = {}
    for name, field in _SETS.items():
        values = sorted(str(v) for v in getattr(filters, field))
        if values:
            params[name] = values
    if span and filters.date_from and filters.date_to and (filters.date_from, filters.date_to) != span:
        params["from"], params["to"] = [filters.date_from.isoformat()], [filters.date_to.isoformat()]
    if not filters.include_undated:
        params["undated"] = ["0"]
    for name, number in (("killed", filters.min_killed), ("injured", filters.min_injured)):
        if number:
            params[name] = [str(number)]
    if filters.min_confidence:
        params["conf"] = [f"{filters.min_confidence:g}"]
    if filters.place_query.strip():
        params["place"] = [filters.place_query.strip()]
    if selected:
        params[SELECTED] = [selected]
    return params


def _number(values: Sequence[str], *, low: float, high: float) -> float | None:
    try:
        number = float(values[-1])
    except (IndexError, ValueError):
        return None
    return number if low <= number <= high else None


def _date(values: Sequence[str]) -> dt.date | None:
    try:
        return dt.date.fromisoformat(values[-1])
    except (IndexError, ValueError):
        return None


def widget_values(params: Mapping[str, Sequence[str]], options: FilterOptions) -> dict[str, Any]:
    """Return the widget values (by widget key) a URL asks for, keeping only values the store offers."""
    out: dict[str, Any] = {}
    for name, field in _SETS.items():
        offered = {str(v): v for v in getattr(options, field)}
        chosen = [offered[v] for v in params.get(name, ()) if v in offered]
        if chosen:
            out[WIDGET_KEYS[field]] = chosen
    start, end = _date(params.get("from", ())), _date(params.get("to", ()))
    if start and end and start <= end:
        out[WIDGET_KEYS["dates"]] = (start, end)
    if list(params.get("undated", ())) == ["0"]:
        out[WIDGET_KEYS["undated"]] = False
    for name in ("killed", "injured"):
        number = _number(params.get(name, ()), low=0, high=1e9)
        if number is not None:
            out[WIDGET_KEYS[name]] = int(number)
    confidence = _number(params.get("conf", ()), low=0.0, high=1.0)
    if confidence is not None:
        out[WIDGET_KEYS["confidence"]] = confidence
    if params.get("place"):
        out[WIDGET_KEYS["place"]] = params["place"][-1]
    return out


def selected_key(params: Mapping[str, Sequence[str]]) -> str | None:
    """Return the feature key of the incident a URL selects, or None."""
    values = params.get(SELECTED, ())
    return values[-1] if values else None


