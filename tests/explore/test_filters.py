"""Filtering as a pure function of widget values, and the headline counts and timeline."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from gazetteer.records import Place, Precision
from incidents.explore.filters import (
    Filters,
    apply_filters,
    daily_counts,
    filter_options,
    fold,
    follow_dates,
    place_aliases,
    summarize,
    widget_filters,
)
from incidents.records import Casualties, Incident, IncidentPlace, IncidentType

BEERSHEBA = Place("t:1", "Beersheba", 31.25, 34.79, "IL", "Southern District", "PPLA", 200_000,
                  Precision.LOCALITY)
RAFAH = Place("t:2", "Rafah", 31.29, 34.25, "PS", "Gaza Strip", "PPL", 150_000, Precision.LOCALITY)
SUMY = Place("t:3", "Sumy", 50.91, 34.80, "UA", "Sumy Oblast", "PPLA", 260_000, Precision.LOCALITY)

D1, D2, D3 = dt.date(2024, 1, 1), dt.date(2024, 1, 2), dt.date(2024, 1, 3)


def make(ident: str, kind: IncidentType, *places: Place, subtype: str | None = None,
         killed: int | None = None, injured: int | None = None, date: dt.date | None = D1,
         lang: str = "en", source: str | None = "A", confidence: float = 0.5,
         mentions: tuple[str, ...] = ()) -> Incident:
    written = mentions or tuple(p.name for p in places)
    return Incident(
        incident_id=ident, doc_id=f"doc-{ident}", type=kind, subtype=subtype,
        places=tuple(IncidentPlace(p, m, 0, len(m)) for p, m in zip(places, written, strict=True)),
        casualties=Casualties(killed, injured), date=date, lang=lang, evidence="e", source=source,
        confidence=confidence,
    )


ALL = [
    make("s1", IncidentType.STRIKE, RAFAH, subtype="airstrike", killed=6, injured=14, date=D1),
    make("a1", IncidentType.ALERT, BEERSHEBA, RAFAH, subtype="siren", date=D2, lang="nl",
         mentions=("Beër Sheva", "Rafah")),
    make("s2", IncidentType.STRIKE, SUMY, subtype="drone", killed=1, injured=4, date=D3, source="B",
         confidence=0.9),
    make("s3", IncidentType.STRIKE, SUMY, date=None, killed=None),
]


def ids(filters: Filters) -> list[str]:
    return [i.incident_id for i in apply_filters(ALL, filters)]


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (Filters(), ["s1", "a1", "s2", "s3"]),
        (Filters(types=frozenset({IncidentType.ALERT})), ["a1"]),
        (Filters(subtypes=frozenset({"drone", "siren"})), ["a1", "s2"]),
        (Filters(date_from=D2), ["a1", "s2", "s3"]),
        (Filters(date_from=D2, date_to=D2, include_undated=False), ["a1"]),
        (Filters(min_killed=1), ["s1", "s2"]),
        (Filters(min_injured=5), ["s1"]),
        (Filters(countries=frozenset({"UA"})), ["s2", "s3"]),
        (Filters(doc_ids=frozenset({"doc-s2"})), ["s2"]),
        (Filters(sources=frozenset({"B"})), ["s2"]),
        (Filters(langs=frozenset({"nl"})), ["a1"]),
        (Filters(min_confidence=0.8), ["s2"]),
        (Filters(place_query="sumy"), ["s2", "s3"]),
        (Filters(place_query="Gaza strip"), ["s1", "a1"]),
    ],
)
def test_each_filter(filters: Filters, expected: list[str]) -> None:
    assert ids(filters) == expected


def test_place_filters_trim_an_incidents_places() -> None:
    kept = apply_filters(ALL, Filters(countries=frozenset({"IL"})))
    assert [(i.incident_id, [w.place.name for w in i.places]) for i in kept] == [("a1", ["Beersheba"])]
    assert ALL[1].places[1].place is RAFAH, "filtering never changes its input"


def test_place_search_reads_the_mention_without_accents() -> None:
    assert ids(Filters(place_query="BEER SHEVA")) == ["a1"]
    assert fold("Beër Šheva") == "beer sheva"


def test_place_search_finds_a_place_by_a_name_the_gazetteer_knows() -> None:
    assert ids(Filters(place_query="Sumi")) == []
    aliases = place_aliases([SUMY])  # what the gazetteer returned for "Sumi"
    assert aliases == {"sumy"}
    assert ids(Filters(place_query="Sumi", place_aliases=aliases)) == ["s2", "s3"]


def test_filters_combine() -> None:
    chosen = Filters(types=frozenset({IncidentType.STRIKE}), countries=frozenset({"UA"}),
                     include_undated=False)
    assert ids(chosen) == ["s2"]


def test_summary_counts_each_incident_once() -> None:
    s = summarize(ALL)
    assert (s.incidents, s.strikes, s.alerts, s.killed, s.injured, s.places) == (4, 3, 1, 7, 18, 5)


def test_daily_counts_leave_out_undated() -> None:
    assert daily_counts(ALL) == [(D1, IncidentType.STRIKE, 1), (D2, IncidentType.ALERT, 1),
                                 (D3, IncidentType.STRIKE, 1)]
    two = [*ALL, dataclasses.replace(ALL[0], incident_id="s9")]
    assert daily_counts(two)[0] == (D1, IncidentType.STRIKE, 2)


def test_options_list_what_is_present() -> None:
    options = filter_options(ALL)
    assert options.types == (IncidentType.ALERT, IncidentType.STRIKE)
    assert options.countries == ("IL", "PS", "UA")
    assert options.subtypes == ("airstrike", "drone", "siren")
    assert (options.first_date, options.last_date) == (D1, D3)
    assert options.langs == ("en", "nl")
    assert filter_options([]).first_date is None


JAN, MAR = (dt.date(2024, 1, 1), dt.date(2024, 1, 31)), (dt.date(2024, 1, 1), dt.date(2024, 3, 5))


def test_a_date_range_at_the_edges_follows_new_documents() -> None:
    assert follow_dates(JAN, before=JAN, after=MAR) == MAR
    assert follow_dates(None, before=None, after=MAR) == MAR
    assert follow_dates((JAN[0],), before=JAN, after=MAR) == MAR  # a range being picked


def test_a_date_range_the_user_narrowed_keeps_its_inner_ends() -> None:
    narrowed = (dt.date(2024, 1, 10), dt.date(2024, 1, 20))
    assert follow_dates(narrowed, before=JAN, after=MAR) == narrowed
    assert follow_dates((narrowed[0], JAN[1]), before=JAN, after=MAR) == (narrowed[0], MAR[1])


def test_days_are_stepped_one_by_one_over_the_days_with_incidents() -> None:
    from incidents.explore.filters import incident_days, step_day

    d = [dt.date(2024, 6, n) for n in (1, 3, 7)]
    assert step_day(d, None, forward=True) == d[0] and step_day(d, None, forward=False) == d[2]
    assert step_day(d, (d[0], d[0]), forward=True) == d[1]  # 2 June had nothing: skipped
    assert step_day(d, (d[1], d[1]), forward=False) == d[0]
    assert step_day(d, (d[2], d[2]), forward=True) is None
    assert step_day(d, (d[0], d[0]), forward=False) is None
    assert step_day(d, (dt.date(2024, 6, 2), dt.date(2024, 6, 30)), forward=True) == d[1]
    assert step_day(d, (dt.date(2024, 5, 1), dt.date(2024, 6, 5)), forward=False) == d[1]
    assert step_day([], None, forward=True) is None
    assert incident_days([]) == ()


def test_widget_filters_of_untouched_widgets_filter_nothing() -> None:
    assert widget_filters({}) == Filters()


def test_widget_filters_read_each_widget_by_its_key() -> None:
    values = {"f_types": ["alert"], "f_subtypes": ["siren"], "f_dates": (D1, D2), "f_undated": False,
              "f_killed": 2, "f_injured": 3, "f_countries": ["UA"], "f_place": "odessa", "f_docs": ["d1"],
              "f_sources": ["s"], "f_langs": ["uk"], "f_conf": 0.5}
    assert widget_filters(values, aliases=frozenset({"odesa"})) == Filters(
        types=frozenset({IncidentType.ALERT}), subtypes=frozenset({"siren"}), date_from=D1, date_to=D2,
        include_undated=False, min_killed=2, min_injured=3, countries=frozenset({"UA"}),
        place_query="odessa", place_aliases=frozenset({"odesa"}), doc_ids=frozenset({"d1"}),
        sources=frozenset({"s"}), langs=frozenset({"uk"}), min_confidence=0.5)


def test_a_half_picked_date_range_filters_no_dates_yet() -> None:
    assert widget_filters({"f_dates": (D1,)}) == Filters()
