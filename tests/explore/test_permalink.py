"""The view in the page URL: only what differs from the defaults, read back against the store."""

from __future__ import annotations

import datetime as dt

from incidents.explore import permalink
from incidents.explore.filters import FilterOptions, Filters
from incidents.records import IncidentType

SPAN = (dt.date(2024, 6, 1), dt.date(2024, 6, 30))
OPTIONS = FilterOptions(types=(IncidentType.ALERT, IncidentType.STRIKE), subtypes=("drone",),
                        countries=("IL", "UA"), doc_ids=("d1",), sources=("Desk, Kyiv",), langs=("en",),
                        first_date=SPAN[0], last_date=SPAN[1])


def test_defaults_make_an_empty_url() -> None:
    assert permalink.to_params(Filters(date_from=SPAN[0], date_to=SPAN[1]), span=SPAN, selected=None) == {}


def test_a_view_round_trips_through_the_url() -> None:
    filters = Filters(types=frozenset({IncidentType.STRIKE}), countries=frozenset({"UA"}),
                      sources=frozenset({"Desk, Kyiv"}), date_from=dt.date(2024, 6, 3), date_to=SPAN[1],
                      include_undated=False, min_killed=2, place_query=" odessa ", min_confidence=0.35)
    params = permalink.to_params(filters, span=SPAN, selected="d1-0:t:kyiv")
    assert params["source"] == ["Desk, Kyiv"], "a value with a comma stays one value"
    values = permalink.widget_values(params, OPTIONS)
    assert values == {"f_types": [IncidentType.STRIKE], "f_countries": ["UA"], "f_sources": ["Desk, Kyiv"],
                      "f_dates": (dt.date(2024, 6, 3), SPAN[1]), "f_undated": False, "f_killed": 2,
                      "f_place": "odessa", "f_conf": 0.35}
    assert permalink.selected_key(params) == "d1-0:t:kyiv"


def test_values_the_store_does_not_offer_are_dropped() -> None:
    params = {"type": ["bogus"], "country": ["XX", "UA"], "killed": ["-3"], "conf": ["7"],
              "from": ["2024-13-01"],
              "to": ["2024-06-02"]}
    assert permalink.widget_values(params, OPTIONS) == {"f_countries": ["UA"]}
    assert permalink.selected_key({}) is None
