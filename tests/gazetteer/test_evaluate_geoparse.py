"""Geoparse scoring: overlap pairing, ignore spans, acc@161, AUC, corpus files and their errors."""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from geopy.distance import geodesic

from gazetteer.errors import GazetteerError, GazetteerFormatError
from gazetteer.evaluate import (
    GoldDocument,
    GoldToponym,
    Span,
    auc_of_errors,
    evaluate_geoparse,
    format_reports,
    pair_by_overlap,
    score_document,
    summarize,
)
from gazetteer.records import MentionKind, Place, Precision, Toponym

ORIGIN = (10.0, 20.0)


def shifted(km: float, start: tuple[float, float] = ORIGIN) -> tuple[float, float]:
    """Return the point ``km`` north of ``start``."""
    point = geodesic(kilometers=km).destination(start, bearing=0)
    return point.latitude, point.longitude


def gold(start: int, end: int, at: tuple[float, float] = ORIGIN, kind: str = "") -> GoldToponym:
    return GoldToponym(start, end, "x" * (end - start), at[0], at[1], kind=kind)


def predicted(
    start: int, end: int, at: tuple[float, float] = ORIGIN, kind: MentionKind = MentionKind.PLACE
) -> Toponym:
    place = Place("test:1", "Testplace", at[0], at[1], "XX", None, "PPL", 1000, Precision.LOCALITY)
    return Toponym(start, end, "x" * (end - start), place, kind=kind)


def test_overlap_pairs_one_to_one_largest_overlap_first() -> None:
    # Gold 0-20; predictions 0-3 (3 shared) and 4-13 (9 shared): the larger overlap wins.
    doc = GoldDocument("d", (gold(0, 20),))
    score = score_document(doc, [predicted(0, 3), predicted(4, 13)])
    assert [(m.predicted.start, m.gold.start) for m in score.matches] == [(4, 0)]
    assert [t.start for t in score.false_positives] == [0]
    assert score.missed == ()


def test_a_prediction_spanning_two_golds_takes_the_larger_one() -> None:
    assert pair_by_overlap([(0, 12)], [(0, 4), (5, 12)]) == [(0, 1)]
    assert pair_by_overlap([(3, 6)], [(10, 12)]) == []
    # Touching spans (end exclusive) do not overlap.
    assert pair_by_overlap([(0, 5)], [(5, 9)]) == []


def test_unmatched_prediction_on_ignore_span_is_neither_right_nor_wrong() -> None:
    doc = GoldDocument("d", (gold(0, 5),), ignore=(Span(10, 18),))
    score = score_document(doc, [predicted(0, 5), predicted(12, 16), predicted(30, 35)])
    report = summarize([score])
    assert (report.true_positives, report.false_positives, report.ignored) == (1, 1, 1)
    assert report.precision == pytest.approx(0.5)
    assert report.predicted == 3


def test_prediction_matching_gold_counts_even_if_it_touches_an_ignore_span() -> None:
    doc = GoldDocument("d", (gold(0, 8),), ignore=(Span(6, 12),))
    score = score_document(doc, [predicted(0, 8)])
    assert len(score.matches) == 1 and score.ignored == ()


def test_kinds_select_which_toponyms_are_predictions() -> None:
    doc = GoldDocument("d", (gold(0, 5),))
    demonyms = [predicted(0, 5, kind=MentionKind.DEMONYM), predicted(20, 25, kind=MentionKind.DEMONYM)]
    places_only = score_document(doc, demonyms, kinds={MentionKind.PLACE})
    assert places_only.matches == () and places_only.false_positives == ()
    assert len(places_only.missed) == 1
    by_default = score_document(doc, demonyms)
    assert len(by_default.matches) == 1 and len(by_default.false_positives) == 1


def test_precision_recall_f1() -> None:
    doc = GoldDocument("d", (gold(0, 4), gold(10, 14)))
    report = summarize([score_document(doc, [predicted(0, 4), predicted(20, 24), predicted(30, 34)])])
    assert report.precision == pytest.approx(1 / 3)
    assert report.recall == pytest.approx(1 / 2)
    assert report.f1 == pytest.approx(2 * (1 / 3) * (1 / 2) / (1 / 3 + 1 / 2))
    assert (report.gold, report.false_negatives) == (2, 1)


def test_acc_161_boundary_and_error_figures() -> None:
    golds = tuple(gold(i * 10, i * 10 + 4) for i in range(4))
    doc = GoldDocument("d", golds)
    errors = (0.0, 160.9, 161.1, 400.0)
    preds = [predicted(g.start, g.end, shifted(km)) for g, km in zip(golds, errors, strict=True)]
    report = summarize([score_document(doc, preds)])
    assert report.acc_161 == pytest.approx(2 / 4)
    assert report.mean_km == pytest.approx(sum(errors) / 4, abs=0.01)
    assert report.median_km == pytest.approx((160.9 + 161.1) / 2, abs=0.01)


def test_auc_known_cases() -> None:
    # Perfect and antipodal endpoints: a straight line from 0 to 1, area 0.5 over one interval.
    assert auc_of_errors([20038.0, 0.0]) == pytest.approx(0.5)
    assert auc_of_errors([0.0, 0.0, 0.0]) == 0.0
    # Sorted [0, 100, 100]: trapezoids (0 + s) / 2 and (s + s) / 2 over two intervals.
    s = math.log(101) / math.log(20039)
    assert auc_of_errors([100.0, 0.0, 100.0]) == pytest.approx((s / 2 + s) / 2)
    assert auc_of_errors([100.0]) == pytest.approx(s)
    assert auc_of_errors([]) is None


def test_empty_corpus_has_undefined_ratios() -> None:
    report = summarize([score_document(GoldDocument("d", ()), [])])
    assert report.precision is None and report.recall is None and report.f1 is None
    assert report.acc_161 is None and report.auc is None


def test_same_ref_counts_matches_with_the_gold_id() -> None:
    doc = GoldDocument(
        "d", (GoldToponym(0, 4, "Abcd", 1.0, 2.0, ref="test:1"), GoldToponym(9, 12, "Efg", *ORIGIN))
    )
    report = summarize([score_document(doc, [predicted(0, 4, (3.0, 2.0)), predicted(9, 12)])])
    assert report.same_ref == 1
    assert report.acc_161 == 0.5  # the id agrees, the points are 222 km apart: still a resolution error


def test_recall_by_kind() -> None:
    doc = GoldDocument(
        "d", (gold(0, 4, kind="Literal"), gold(10, 14, kind="Metonymic"), gold(20, 24, kind="Literal"))
    )
    report = summarize([score_document(doc, [predicted(0, 4), predicted(10, 14)])])
    assert dict((k, (n, m)) for k, n, m in report.recall_by_kind) == {"Literal": (2, 1), "Metonymic": (1, 1)}


# --- corpus files ----------------------------------------------------------------------------------

TEXTS = {
    "a": "Rain fell on Brightwater and Oldmill today.",
    "b": "The fair in Oldmill drew crowds from Westshire.",
}
COORDS = {"Brightwater": (45.0, 5.0), "Oldmill": (46.0, 6.0), "Westshire": (50.0, -2.0)}


def write_jsonl(path: Path, rows: Sequence[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    return path


def gold_rows(
    names: dict[str, list[str]], ignore: dict[str, list[str]] | None = None
) -> list[dict[str, Any]]:
    def span(doc: str, name: str) -> dict[str, Any]:
        start = TEXTS[doc].index(name)
        return {"start": start, "end": start + len(name), "text": name}

    return [
        {
            "id": doc,
            "toponyms": [
                {**span(doc, n), "lat": COORDS[n][0], "lon": COORDS[n][1], "ref": f"test:{n}", "kind": "PPL"}
                for n in names[doc]
            ],
            "ignore": [span(doc, n) for n in (ignore or {}).get(doc, [])],
        }
        for doc in TEXTS
    ]


class LookupParser:
    """A stand-in geoparser: finds the given names by string search and puts them at the given points."""

    def __init__(self, found: dict[str, tuple[float, float]]) -> None:
        self.found = found
        self.seen_langs: list[str | None] = []

    def __call__(self, text: str, lang: str | None) -> list[Toponym]:
        self.seen_langs.append(lang)
        out = []
        for name, (lat, lon) in self.found.items():
            at = text.find(name)
            if at >= 0:
                place = Place(f"t:{name}", name, lat, lon, "XX", None, "PPL", 1, Precision.LOCALITY)
                out.append(Toponym(at, at + len(name), name, place))
        return out


@pytest.fixture
def corpus(tmp_path: Path) -> tuple[Path, Path]:
    docs = write_jsonl(
        tmp_path / "mini.docs.jsonl", [{"id": k, "text": v, "lang": "en"} for k, v in TEXTS.items()]
    )
    golds = write_jsonl(
        tmp_path / "mini.gold.jsonl",
        gold_rows({"a": ["Brightwater", "Oldmill"], "b": ["Oldmill"]}, ignore={"b": ["Westshire"]}),
    )
    return docs, golds


def test_evaluate_geoparse_over_files(corpus: tuple[Path, Path]) -> None:
    parse = LookupParser({"Oldmill": COORDS["Oldmill"], "Westshire": COORDS["Westshire"], "Rain": (0.0, 0.0)})
    report = evaluate_geoparse(*corpus, parse)
    assert report.corpus == "mini"
    assert parse.seen_langs == ["en", "en"]
    # Oldmill twice right, Brightwater missed, Rain wrong, Westshire ignored.
    assert (report.true_positives, report.false_positives, report.false_negatives, report.ignored) == (
        2,
        1,
        1,
        1,
    )
    assert report.acc_161 == 1.0 and report.mean_km == pytest.approx(0.0)
    json.dumps(report.as_dict())
    assert "acc_161" in report.format()
    table = format_reports([report, report])
    assert len(table.splitlines()) == 3 and "mini" in table


def test_perfect_parse_scores_perfectly(corpus: tuple[Path, Path]) -> None:
    report = evaluate_geoparse(
        *corpus, LookupParser({"Brightwater": COORDS["Brightwater"], "Oldmill": COORDS["Oldmill"]})
    )
    assert (report.precision, report.recall, report.f1, report.acc_161, report.auc) == (
        1.0,
        1.0,
        1.0,
        1.0,
        0.0,
    )


def test_malformed_gold_line_names_the_line(corpus: tuple[Path, Path]) -> None:
    docs, golds = corpus
    golds.write_text(golds.read_text(encoding="utf-8") + "{not json\n", encoding="utf-8")
    with pytest.raises(GazetteerFormatError, match=r"mini\.gold\.jsonl:3: invalid JSON"):
        evaluate_geoparse(docs, golds, LookupParser({}))


def test_gold_toponym_without_coordinates_is_an_error(tmp_path: Path) -> None:
    path = write_jsonl(
        tmp_path / "x.gold.jsonl", [{"id": "a", "toponyms": [{"start": 0, "end": 3, "lat": None}]}]
    )
    docs = write_jsonl(tmp_path / "x.docs.jsonl", [{"id": "a", "text": "abcdef"}])
    with pytest.raises(GazetteerFormatError, match="'lat'"):
        evaluate_geoparse(docs, path, LookupParser({}))


def test_documents_and_gold_must_have_the_same_ids(corpus: tuple[Path, Path], tmp_path: Path) -> None:
    _, golds = corpus
    other = write_jsonl(tmp_path / "other.docs.jsonl", [{"id": "a", "text": TEXTS["a"]}])
    with pytest.raises(GazetteerFormatError, match="same ids"):
        evaluate_geoparse(other, golds, LookupParser({}))


def test_gold_span_past_the_text_is_an_error(tmp_path: Path) -> None:
    docs = write_jsonl(tmp_path / "x.docs.jsonl", [{"id": "a", "text": "short"}])
    golds = write_jsonl(
        tmp_path / "x.gold.jsonl", [{"id": "a", "toponyms": [{"start": 2, "end": 40, "lat": 1, "lon": 2}]}]
    )
    with pytest.raises(GazetteerFormatError, match="runs past"):
        evaluate_geoparse(docs, golds, LookupParser({}))


def test_format_error_is_a_gazetteer_error_and_a_value_error() -> None:
    assert issubclass(GazetteerFormatError, GazetteerError)
    assert issubclass(GazetteerFormatError, ValueError)
