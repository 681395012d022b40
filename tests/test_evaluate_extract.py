"""Incident scoring: tolerance, type, one-to-one matching, aggregates, counts, per language, errors."""

from __future__ import annotations

import datetime as dt
import json
import random
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from geopy.distance import geodesic

from incidents.errors import IncidentsError
from incidents.evaluate import (
    EvaluationFormatError,
    ExtractReport,
    evaluate_extract,
    evaluate_extract_with,
    match_pairs,
)
from incidents.records import Document

# Two made-up towns 300 km apart and a made-up province around them.
NORTHTOWN = (50.0, 30.0)
SOUTHTOWN = (47.3, 30.0)
PROVINCE = (48.6, 31.5)


def shifted(km: float, start: tuple[float, float] = NORTHTOWN) -> tuple[float, float]:
    """Return the point ``km`` east of ``start``."""
    point = geodesic(kilometers=km).destination(start, bearing=90)
    return point.latitude, point.longitude


def place(at: tuple[float, float], tolerance_km: float = 25.0) -> dict[str, Any]:
    return {"text": "Town", "name": "Town", "lat": at[0], "lon": at[1], "tolerance_km": tolerance_km}


def incident(
    *places: tuple[float, float],
    kind: str = "strike",
    killed: int | None = None,
    injured: int | None = None,
    notes: str = "",
    tolerance_km: float = 25.0,
) -> dict[str, Any]:
    return {
        "type": kind,
        "killed": killed,
        "injured": injured,
        "places": [place(p, tolerance_km) for p in places],
        "notes": notes,
    }


def passage(
    doc_id: str, *gold: dict[str, Any], lang: str = "en", published: str | None = None
) -> dict[str, Any]:
    return {
        "id": doc_id,
        "lang": lang,
        "published": published,
        "source": "example.test",
        "text": f"Made-up passage {doc_id}.",
        "gold": list(gold),
        "hard_case": "",
    }


def feature(
    doc_id: str,
    incident_id: str,
    at: tuple[float, float] | None,
    *,
    kind: str = "strike",
    killed: int | None = None,
    injured: int | None = None,
    precision: str = "locality",
) -> dict[str, Any]:
    return {
        "type": "Feature",
        "geometry": None if at is None else {"type": "Point", "coordinates": [at[1], at[0]]},
        "properties": {
            "doc_id": doc_id,
            "incident_id": incident_id,
            "type": kind,
            "killed": killed,
            "injured": injured,
            "precision": precision,
        },
    }


def score(
    tmp_path: Path, passages: Sequence[dict[str, Any]], features: Sequence[dict[str, Any]]
) -> ExtractReport:
    path = tmp_path / "gold.jsonl"
    path.write_text("".join(json.dumps(p) + "\n" for p in passages), encoding="utf-8")
    return evaluate_extract(path, features)


def test_tolerance_decides_whether_a_prediction_pairs(tmp_path: Path) -> None:
    gold = [passage("d1", incident(NORTHTOWN, tolerance_km=25.0))]
    near = score(tmp_path, gold, [feature("d1", "i1", shifted(24.0))]).overall
    far = score(tmp_path, gold, [feature("d1", "i1", shifted(26.0))]).overall
    assert (near.paired, near.precision, near.recall) == (1, 1.0, 1.0)
    assert (far.paired, far.precision, far.recall, far.f1) == (0, 0.0, 0.0, 0.0)


def test_any_gold_place_and_any_feature_may_anchor_the_pair(tmp_path: Path) -> None:
    gold = [passage("d1", incident(NORTHTOWN, PROVINCE))]
    features = [feature("d1", "i1", SOUTHTOWN), feature("d1", "i1", PROVINCE)]
    overall = score(tmp_path, gold, features).overall
    assert overall.paired == 1
    # One of the two Features is off: place_P catches it.
    assert (overall.features, overall.features_within, overall.place_p) == (2, 1, 0.5)


def test_far_pins_are_counted_and_listed_when_verbose(tmp_path: Path) -> None:
    # A wide tolerance (a province of 150 km) lets a pin 120 km off pair; the far figure still sees it.
    gold = [passage("d1", incident(NORTHTOWN, tolerance_km=150.0))]
    report = score(tmp_path, gold, [feature("d1", "i1", shifted(120.0)), feature("d1", "i1", shifted(60.0))])
    assert (report.overall.paired, report.overall.far) == (1, 1)
    assert "far pin: d1 incident i1" in report.format(verbose=True)
    assert "120 km from Town" in report.format(verbose=True)
    assert "far pin" not in report.format()
    near = score(tmp_path, gold, [feature("d1", "i1", shifted(99.0))])
    assert near.overall.far == 0
    assert near.format(verbose=True).endswith("far pins: none")


def test_an_area_pin_within_the_gold_area_is_not_far(tmp_path: Path) -> None:
    # A country pinned at another representative point of the same country (400 km from the gold's point,
    # within its 900 km extent) is not a wrong place; a town pinned there is, and so is an area pin outside
    # the extent.
    gold = [passage("d1", incident(NORTHTOWN, tolerance_km=900.0))]
    area = score(tmp_path, gold, [feature("d1", "i1", shifted(400.0), precision="country")])
    assert (area.overall.paired, area.overall.far) == (1, 0)
    verbose = area.format(verbose=True)
    assert "far pins: none" in verbose
    assert "area pin (not far): d1 incident i1" in verbose
    assert "400 km from the point of Town" in verbose
    town = score(tmp_path, gold, [feature("d1", "i1", shifted(400.0), precision="locality")])
    assert town.overall.far == 1
    outside = score(
        tmp_path,
        gold,
        [feature("d1", "i1", shifted(10.0)), feature("d1", "i1", shifted(950.0), precision="region")],
    )
    assert (outside.overall.paired, outside.overall.far) == (1, 1)


def test_type_must_agree(tmp_path: Path) -> None:
    gold = [passage("d1", incident(NORTHTOWN, kind="alert"))]
    overall = score(tmp_path, gold, [feature("d1", "i1", NORTHTOWN, kind="strike")]).overall
    assert (overall.paired, overall.predicted, overall.gold) == (0, 1, 1)


def test_reporting_one_incident_twice_costs_precision(tmp_path: Path) -> None:
    gold = [passage("d1", incident(NORTHTOWN))]
    overall = score(tmp_path, gold, [feature("d1", "i1", NORTHTOWN), feature("d1", "i2", NORTHTOWN)]).overall
    assert (overall.paired, overall.precision, overall.recall) == (1, 0.5, 1.0)


def test_maximum_matching_beats_greedy(tmp_path: Path) -> None:
    # i1 lies near both gold incidents and comes first; i2 can only take the first gold.
    # Greedy pairing i1 with the first gold would leave i2 unpaired; the maximum matching pairs both.
    gold = [passage("d1", incident(NORTHTOWN, tolerance_km=30), incident(shifted(40.0), tolerance_km=30))]
    features = [feature("d1", "i1", shifted(20.0)), feature("d1", "i2", NORTHTOWN)]
    overall = score(tmp_path, gold, features).overall
    assert (overall.paired, overall.precision, overall.recall) == (2, 1.0, 1.0)


def test_match_pairs_is_maximum_then_cheapest() -> None:
    # Greedy on cost would take (0, 0) and leave left 1 alone.
    assert match_pairs({(0, 0): 0.0, (0, 1): 1.0, (1, 0): 0.0}) == [(0, 1), (1, 0)]
    # Same size either way: the cheaper assignment wins.
    assert match_pairs({(0, 0): 2.0, (0, 1): 0.0, (1, 0): 0.0, (1, 1): 2.0}) == [(0, 1), (1, 0)]
    assert match_pairs({}) == []


def test_pairing_prefers_the_gold_whose_counts_agree(tmp_path: Path) -> None:
    # Two incidents in the same town: only the counts tell them apart.
    gold = [passage("d1", incident(NORTHTOWN, killed=7), incident(NORTHTOWN, killed=2, injured=5))]
    features = [feature("d1", "a", NORTHTOWN, killed=2, injured=5), feature("d1", "b", NORTHTOWN, killed=7)]
    overall = score(tmp_path, gold, features).overall
    assert (overall.paired, overall.numbers, overall.invented) == (2, 1.0, 0)


def test_result_does_not_depend_on_feature_order(tmp_path: Path) -> None:
    gold = [passage("d1", incident(NORTHTOWN, killed=3), incident(NORTHTOWN, injured=4), incident(SOUTHTOWN))]
    features = [
        feature("d1", "a", NORTHTOWN, injured=4),
        feature("d1", "b", NORTHTOWN, killed=3),
        feature("d1", "c", SOUTHTOWN),
        feature("d1", "d", PROVINCE),
    ]
    expected = score(tmp_path, gold, features).overall
    shuffled = features[:]
    random.Random(7).shuffle(shuffled)
    assert score(tmp_path, gold, shuffled).overall == expected


def test_aggregate_is_left_out_and_a_total_counts_neither_way(tmp_path: Path) -> None:
    gold = [
        passage(
            "d1",
            incident(NORTHTOWN, killed=2),
            incident(SOUTHTOWN, killed=3),
            incident(PROVINCE, killed=5, tolerance_km=40, notes="[country: X] AGGREGATE of the two strikes"),
        )
    ]
    parts_and_total = [
        feature("d1", "a", NORTHTOWN, killed=2),
        feature("d1", "b", SOUTHTOWN, killed=3),
        feature("d1", "t", PROVINCE, killed=5),
    ]
    overall = score(tmp_path, gold, parts_and_total).overall
    assert (overall.gold, overall.predicted, overall.paired, overall.neutral, overall.excluded_gold) == (
        2,
        2,
        2,
        1,
        1,
    )
    assert (overall.precision, overall.recall, overall.numbers) == (1.0, 1.0, 1.0)
    only_total = score(tmp_path, gold, [feature("d1", "t", PROVINCE, killed=5)]).overall
    assert (only_total.predicted, only_total.neutral, only_total.recall) == (0, 1, 0.0)


def test_lower_case_aggregate_in_prose_is_not_the_marker(tmp_path: Path) -> None:
    gold = [passage("d1", incident(PROVINCE, notes="an aggregate of reports"))]
    overall = score(tmp_path, gold, [feature("d1", "t", PROVINCE)]).overall
    assert (overall.gold, overall.paired, overall.neutral) == (1, 1, 0)


def test_gold_without_places_is_left_out(tmp_path: Path) -> None:
    gold = [passage("d1", incident(NORTHTOWN), incident(killed=3))]
    overall = score(tmp_path, gold, [feature("d1", "i1", NORTHTOWN)]).overall
    assert (overall.gold, overall.recall, overall.excluded_gold) == (1, 1.0, 1)


def test_numbers_compare_exact_counts_and_invented_counts_nulls(tmp_path: Path) -> None:
    gold = [
        passage("d1", incident(NORTHTOWN, killed=5, injured=None), incident(SOUTHTOWN, killed=0, injured=2))
    ]
    features = [
        feature("d1", "a", NORTHTOWN, killed=4, injured=6),  # killed wrong, injured invented
        feature("d1", "b", SOUTHTOWN, killed=0, injured=None),  # killed right, injured missing
    ]
    overall = score(tmp_path, gold, features).overall
    assert (overall.numbers_right, overall.numbers_total, overall.invented) == (1, 3, 1)
    assert overall.numbers == pytest.approx(1 / 3)


def test_lenient_gold_accepts_a_null_count(tmp_path: Path) -> None:
    strict = [passage("d1", incident(NORTHTOWN, injured=0))]
    lenient = [
        passage("d1", incident(NORTHTOWN, injured=0, notes="borderline (lenient scorer may accept null)"))
    ]
    features = [feature("d1", "a", NORTHTOWN)]
    assert score(tmp_path, strict, features).overall.numbers == 0.0
    assert score(tmp_path, lenient, features).overall.numbers_total == 0
    wrong = [feature("d1", "a", NORTHTOWN, injured=3)]
    assert score(tmp_path, lenient, wrong).overall.numbers == 0.0


def test_scores_per_language(tmp_path: Path) -> None:
    gold = [
        passage("nl1", incident(NORTHTOWN), lang="nl"),
        passage("en1", incident(NORTHTOWN), incident(SOUTHTOWN), lang="en"),
        passage("en2", incident(SOUTHTOWN, kind="alert"), lang="en"),
    ]
    features = [feature("nl1", "a", NORTHTOWN), feature("en1", "a", NORTHTOWN), feature("en2", "a", PROVINCE)]
    report = score(tmp_path, gold, features)
    assert list(report.by_lang) == ["en", "nl"]
    assert (report.by_lang["nl"].f1, report.by_lang["nl"].documents) == (1.0, 1)
    assert (report.by_lang["en"].gold, report.by_lang["en"].predicted, report.by_lang["en"].paired) == (
        3,
        2,
        1,
    )
    assert (report.overall.gold, report.overall.paired) == (4, 2)
    as_dict = report.as_dict()
    json.dumps(as_dict)
    assert set(as_dict["by_lang"]) == {"en", "nl"}
    lines = report.format().splitlines()
    assert [line.split()[0] for line in lines] == ["lang", "all", "en", "nl"]


def test_features_without_geometry_never_pair(tmp_path: Path) -> None:
    gold = [passage("d1", incident(NORTHTOWN))]
    overall = score(tmp_path, gold, [feature("d1", "a", None)]).overall
    assert (overall.paired, overall.predicted) == (0, 1)


def test_evaluate_extract_with_runs_the_extractor_over_the_passages(tmp_path: Path) -> None:
    gold = [
        passage("d1", incident(NORTHTOWN, killed=1), lang="nl", published="2024-03-02"),
        passage("d2", incident(SOUTHTOWN)),
    ]
    path = tmp_path / "gold.jsonl"
    path.write_text("".join(json.dumps(p) + "\n" for p in gold), encoding="utf-8")
    seen: list[Document] = []

    def extract(doc: Document) -> dict[str, Any]:
        seen.append(doc)
        return {"type": "FeatureCollection", "features": [feature(doc.id, "x", NORTHTOWN, killed=1)]}

    report = evaluate_extract_with(path, extract)
    assert [(d.id, d.lang, d.published) for d in seen] == [
        ("d1", "nl", dt.date(2024, 3, 2)),
        ("d2", "en", None),
    ]
    assert seen[0].text == gold[0]["text"] and seen[0].source == "example.test"
    assert (report.overall.paired, report.overall.predicted, report.overall.numbers) == (1, 2, 1.0)
    as_list = evaluate_extract_with(path, lambda doc: [feature(doc.id, "x", NORTHTOWN, killed=1)])
    assert as_list.overall == report.overall


def test_feature_of_an_unknown_passage_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(EvaluationFormatError, match="'elsewhere'"):
        score(tmp_path, [passage("d1")], [feature("elsewhere", "a", NORTHTOWN)])


def test_bad_geometry_is_an_error(tmp_path: Path) -> None:
    bad = feature("d1", "a", NORTHTOWN)
    bad["geometry"] = {"type": "Point", "coordinates": ["30", "50"]}
    with pytest.raises(EvaluationFormatError, match="feature 0: geometry"):
        score(tmp_path, [passage("d1")], [bad])


def test_bad_gold_names_file_and_line(tmp_path: Path) -> None:
    good = passage("d1", incident(NORTHTOWN))
    with pytest.raises(EvaluationFormatError, match=r"gold\.jsonl:2: .*'type' is 'raid'"):
        score(tmp_path, [good, passage("d2", incident(NORTHTOWN, kind="raid"))], [])
    path = tmp_path / "broken.jsonl"
    path.write_text(json.dumps(good) + "\n{oops\n", encoding="utf-8")
    with pytest.raises(EvaluationFormatError, match=r"broken\.jsonl:2: invalid JSON"):
        evaluate_extract(path, [])


def test_format_error_is_an_incidents_error_and_a_value_error() -> None:
    assert issubclass(EvaluationFormatError, IncidentsError)
    assert issubclass(EvaluationFormatError, ValueError)
