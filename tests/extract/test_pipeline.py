"""Tests of the extract() funnel: any text is safe, output is deterministic, the seed maps as expected.

The fast tests replace the gazetteer lookup with a tiny place finder; the seed and the dev-set
floors (tests/test_floors.py) use the real gazetteer and skip when its index or the benchmark file is absent.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gazetteer.records import Place, Precision, Toponym
from incidents.export.geojson import to_feature_collection
from incidents.extract import pipeline
from incidents.records import Document, IncidentType
from tests.paths import CASES
from tests.paths import SHARED as SHARED_DIR

TOY = {
    "Lviv": Place("t:lviv", "Lviv", 49.84, 24.03, "UA", None, "PPLA", 700000, Precision.LOCALITY),
    "Haifa": Place("t:haifa", "Haifa", 32.79, 34.99, "IL", None, "PPLA", 280000, Precision.LOCALITY),
    "Sumy": Place("t:sumy", "Sumy", 50.91, 34.8, "UA", None, "PPLA", 260000, Precision.LOCALITY),
}
SHARED = Path(os.environ.get("INCIDENTS_BENCHMARKS", SHARED_DIR / "benchmarks"))
SEED = SHARED.parent / "seed" / "000_680d72be5adecebd.txt"


def toy_toponyms(text: str, *, gazetteer: object, lang: str) -> list[Toponym]:
    """Find the toy places in ``text``."""
    found: list[Toponym] = []
    for name, place in TOY.items():
        found.extend(Toponym(m.start(), m.end(), m.group(), place)
                     for m in re.finditer(rf"(?<!\w){name}(?!\w)", text))
    return sorted(found, key=lambda t: t.start)


@pytest.fixture
def toy(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pipeline, "find_toponyms", toy_toponyms)


@pytest.mark.usefixtures("toy")
def test_extract_reads_type_place_counts_and_date() -> None:
    text = "Vannacht sloeg een raket in op Lviv. Daarbij vielen drie doden. In Haifa ging het luchtalarm af."
    strike, alert = pipeline.extract(text, published=dt.date(2024, 3, 6), doc_id="d1", source="s",
                                     gazetteer=object())
    assert (strike.type, strike.places[0].place.id, strike.casualties.killed) == (IncidentType.STRIKE,
                                                                                   "t:lviv", 3)
    assert strike.date == dt.date(2024, 3, 5) and strike.lang == "nl"
    assert strike.doc_id == "d1" and strike.source == "s"
    assert alert.type == IncidentType.ALERT and alert.places[0].place.id == "t:haifa"


class CapitalBook:
    """A gazetteer stand-in that knows Ukraine's capital and no regions."""

    def region_of(self, place: Place) -> Place | None:
        return None

    def capital_of(self, country_code: str) -> Place | None:
        return TOY["Lviv"] if country_code == "UA" else None  # a toy capital


@pytest.mark.usefixtures("toy")
def test_extract_asks_the_gazetteer_what_the_capital_is() -> None:
    text = "A missile hit Sumy. Hours later, drones struck the capital."
    with_book = pipeline.extract(text, lang="en", gazetteer=CapitalBook())
    assert [i.places[0].place.id for i in with_book] == ["t:sumy", "t:lviv"]
    assert with_book[1].places[0].mention == "the capital"
    assert [i.places[0].place.id for i in pipeline.extract(text, lang="en", gazetteer=object())] == ["t:sumy"]


@pytest.mark.usefixtures("toy")
def test_extract_document_carries_the_document_fields() -> None:
    doc = Document("d2", "A drone hit a depot in Sumy.", lang="auto", published=None, source="feed")
    (incident,) = pipeline.extract_document(doc, gazetteer=object())
    assert (incident.doc_id, incident.lang, incident.source, incident.date) == ("d2", "en", "feed", None)
    assert incident.subtype == "drone"


@pytest.mark.usefixtures("toy")
def test_language_is_used_as_given_or_detected() -> None:
    text = "Une frappe a touché Sumy."
    assert pipeline.extract(text, lang="fr", gazetteer=object())[0].lang == "fr"
    assert pipeline.extract(text, lang="auto", gazetteer=object())[0].lang == "fr"
    assert pipeline.choose_language(text, "xx") == "fr"


def test_blank_text_gives_nothing() -> None:
    assert pipeline.extract("   ", gazetteer=object()) == []


PIECES = st.sampled_from(["Lviv", "Haifa", "Sumy", "raket", "luchtalarm", "in", "op", "drie doden", "killed",
                          "sirens", ".", ",", "\n\n", "KYIV (AFP) - ", "vannacht", "12", "\"", "Als"])
TEXTS = st.one_of(st.text(max_size=300),
                  st.lists(st.one_of(PIECES, st.text(max_size=8)), max_size=40).map(" ".join))


@pytest.mark.usefixtures("toy")
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=TEXTS, lang=st.sampled_from([None, "nl", "en", "de", "fr", "uk", "auto"]))
def test_any_text_gives_valid_deterministic_geojson(text: str, lang: str | None) -> None:
    first = pipeline.extract(text, lang=lang, published=dt.date(2024, 3, 6), gazetteer=object())
    again = pipeline.extract(text, lang=lang, published=dt.date(2024, 3, 6), gazetteer=object())
    assert first == again
    collection = to_feature_collection(first)
    for feature in collection["features"]:
        lon, lat = feature["geometry"]["coordinates"]
        assert -180 <= lon <= 180 and -90 <= lat <= 90
        props = feature["properties"]
        assert props["type"] in ("strike", "alert")
        assert 0.0 <= props["confidence"] <= 1.0
        assert props["evidence"]
        assert all(part in text for part in props["evidence"].split(" "))
        for key in ("killed", "injured"):
            assert props[key] is None or props[key] >= 0


def _real_gazetteer() -> object:
    gazetteer = pytest.importorskip("gazetteer")
    try:
        return gazetteer.load()
    except gazetteer.GazetteerError as err:
        pytest.skip(f"gazetteer index not available: {err}")


@pytest.mark.slow
@pytest.mark.skipif(not SEED.is_file(), reason="seed document absent")
def test_seed_maps_as_expected() -> None:
    incidents = pipeline.extract(SEED.read_text(encoding="utf-8"), lang="nl", published=dt.date(2021, 5, 20),
                                 gazetteer=_real_gazetteer())
    strikes = [i for i in incidents if i.type == IncidentType.STRIKE]
    alerts = [i for i in incidents if i.type == IncidentType.ALERT]
    assert len(strikes) == 1 and len(alerts) == 1
    (strike,), (alert,) = strikes, alerts
    assert [p.place.country_code for p in strike.places] == ["PS"]
    assert abs(strike.places[0].place.lat - 31.34) < 0.1 and abs(strike.places[0].place.lon - 34.31) < 0.1
    assert (strike.casualties.killed, strike.casualties.injured) == (None, 4)
    assert len(alert.places) == 3 and {p.place.country_code for p in alert.places} == {"IL"}
    assert (alert.casualties.killed, alert.casualties.injured) == (None, None)
    assert strike.date == alert.date == dt.date(2021, 5, 19)


RU_CASES = [json.loads(line) for line in
            (CASES / "ru_extract.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.mark.parametrize("case", RU_CASES, ids=lambda c: c["text"][:30])
def test_russian_reports_end_to_end(case: dict[str, Any]) -> None:
    """Our own Russian one-liners: the language is detected, the place, counts and date are read."""
    (incident,) = pipeline.extract(case["text"], published=dt.date(2024, 1, 10), gazetteer=_real_gazetteer())
    assert incident.lang == "ru"
    assert str(incident.type) == case["type"]
    assert incident.places and incident.places[0].place.country_code == case["place"]
    assert (incident.casualties.killed, incident.casualties.injured) == (case["killed"], case["injured"])
    assert incident.date == (dt.date.fromisoformat(case["date"]) if case["date"] else None)


@pytest.mark.usefixtures("toy")
def test_warm_up_loads_what_extraction_loads_lazily() -> None:
    from incidents.extract import language

    pipeline.warm_up(gazetteer=object())
    assert language._identifier.cache_info().currsize == 2
    assert pipeline.extract("Sirens sounded in Lviv at night.", lang="en", gazetteer=object()) is not None
