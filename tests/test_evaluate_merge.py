"""Merge scoring: pairwise "same event" over paired incidents of different passages, and best counts."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from gazetteer.records import Place, Precision
from incidents.evaluate_merge import evaluate_merge_with, lenient_key, pairwise
from incidents.records import Casualties, Document, Incident, IncidentPlace, IncidentType

NORTHTOWN = Place("t:north", "Northtown", 50.0, 30.0, "UA", "North oblast", "PPL", 100_000,
                  Precision.LOCALITY)
SOUTHTOWN = Place("t:south", "Southtown", 47.3, 30.0, "UA", "South oblast", "PPL", 100_000,
                  Precision.LOCALITY)


def gold_item(event: str, town: Place, killed: int | None) -> dict[str, Any]:
    return {"type": "strike", "event": event, "killed": killed, "injured": None, "notes": "",
            "places": [{"text": town.name, "name": town.name, "lat": town.lat, "lon": town.lon,
                        "tolerance_km": 25}]}


def passage(ident: str, published: str | None, *items: dict[str, Any]) -> dict[str, Any]:
    return {"id": ident, "lang": "en", "published": published, "source": f"Outlet {ident}",
            "text": f"Made-up passage {ident}.", "gold": list(items)}


def strike(doc: Document, n: int, town: Place, killed: int | None) -> Incident:
    return Incident(f"{doc.id}-{n}", doc.id, IncidentType.STRIKE, "drone",
                    (IncidentPlace(town, town.name, 0, 4),), Casualties(killed, None), None, "en", "Made up.",
                    doc.source, 0.8)


def test_pairs_and_best_counts(tmp_path: Path) -> None:
    gold = tmp_path / "merge.jsonl"
    lines = [
        passage("p1", "2024-05-01", gold_item("ev1", NORTHTOWN, 3), gold_item("ev2", SOUTHTOWN, 1)),
        passage("p2", "2024-05-02", gold_item("ev1", NORTHTOWN, 8)),
        passage("p3", "2024-05-09", gold_item("ev3", NORTHTOWN, 2)),  # a week later: another strike
    ]
    gold.write_text("\n".join(json.dumps(line) for line in lines), encoding="utf-8")
    predicted = {
        "p1": lambda d: [strike(d, 0, NORTHTOWN, 3), strike(d, 1, SOUTHTOWN, 1)],
        "p2": lambda d: [strike(d, 0, NORTHTOWN, 8)],
        "p3": lambda d: [strike(d, 0, NORTHTOWN, 2)],
    }
    report = evaluate_merge_with(gold, lambda doc: predicted[doc.id](doc))
    assert report.paired == 4
    assert (report.strict.gold_same, report.strict.predicted_same, report.strict.both_same) == (1, 1, 1)
    assert report.f1 == 1.0 and report.precision == 1.0
    assert (report.merged_events, report.best_right, report.best_counts) == (1, 1, 1.0)
    assert "F1 1.000" in report.format() and report.as_dict()["strict"]["pairs"] == 5


def test_pairwise_counts_only_pairs_of_different_passages() -> None:
    scores = pairwise([("a", "ev1", "x"), ("a", "ev1", "x"), ("b", "ev1", "y"), ("c", "ev2.1", "y")],
                      lenient_key)
    assert scores.pairs == 5
    assert (scores.gold_same, scores.predicted_same, scores.both_same) == (2, 1, 0)
    assert lenient_key("ev21.3") == "ev21"
