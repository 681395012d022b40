"""Tests of the review panel's helpers: place labels, corrected incidents, document rows."""

from __future__ import annotations

import datetime as dt

from gazetteer.records import Place, Precision
from incidents.explore.review import corrected, describe_place, document_rows, place_options
from incidents.records import Casualties, Document, Incident, IncidentPlace, IncidentType
from incidents.store import StoredDocument

PARIS_FR = Place("t:paris", "Paris", 48.857, 2.352, "FR", "Île-de-France", "PPLC", 2_100_000,
                 Precision.LOCALITY)
PARIS_US = Place("t:paris-tx", "Paris", 33.661, -95.556, "US", "Texas", "PPL", 25_000, Precision.LOCALITY)
LYON = Place("t:lyon", "Lyon", 45.75, 4.85, "FR", None, "PPLA", 500_000, Precision.LOCALITY)
INCIDENT = Incident(
    incident_id="i1", doc_id="doc", type=IncidentType.STRIKE, subtype="drone",
    places=(IncidentPlace(PARIS_US, "Paris", 0, 5), IncidentPlace(LYON, "Lyon", 10, 14)),
    casualties=Casualties(1, 2), date=dt.date(2024, 3, 1), lang="en", evidence="e", source="s",
    confidence=0.5,
)


def test_describe_place_tells_places_of_one_name_apart() -> None:
    fr, us = describe_place(PARIS_FR), describe_place(PARIS_US)
    assert fr != us and fr.startswith("Paris (") and "Texas, US" in us and "48.857" in fr
    assert "(FR;" in describe_place(LYON)  # no admin1: no empty part


def test_place_options_put_the_current_place_first_once() -> None:
    assert place_options(PARIS_US, [PARIS_FR, PARIS_US]) == [PARIS_US, PARIS_FR]
    assert place_options(PARIS_US, []) == [PARIS_US]


def test_corrected_moves_one_place_and_takes_the_form_values() -> None:
    where = INCIDENT.places[0]
    fixed = corrected(INCIDENT, where, place=PARIS_FR, kind="alert", subtype="  ", killed=3.0, injured=None,
                      day=None)
    assert [p.place.id for p in fixed.places] == ["t:paris", "t:lyon"]
    assert fixed.places[0].mention == "Paris"
    assert fixed.type == IncidentType.ALERT and fixed.subtype is None and fixed.date is None
    assert fixed.casualties == Casualties(3, None) and isinstance(fixed.casualties.killed, int)
    kept = corrected(INCIDENT, where, place=where.place, kind="strike", subtype=" drone ", killed=1,
                     injured=2, day=dt.date(2024, 3, 1))
    assert kept == INCIDENT


def test_document_rows_list_each_document_once() -> None:
    doc = Document(id="d1", text="Sirens in Kyiv\nThe alarm.", lang="en", published=dt.date(2024, 1, 1),
                   source="outlet")
    web = Document(id="d2", text="t", source="https://news.example/a")
    rows = document_rows([StoredDocument(doc, "hash", "2024-01-02", 3), StoredDocument(web, "h2", "x", 0)])
    assert rows[0] == {"title": "Sirens in Kyiv", "id": "d1", "lang": "en", "published": dt.date(2024, 1, 1),
                       "source": "outlet", "link": None, "incidents": 3, "added": "2024-01-02"}
    assert rows[1]["link"] == "https://news.example/a"
