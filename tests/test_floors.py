"""Quality floors: the real geoparser and extractor over the shared benchmarks, against tests/floors.toml.

The benchmarks live beside the repository (``../shared/benchmarks``) and are never copied into it: the
tests skip when they are absent. Floors can only be raised (see floors.toml).
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from gazetteer.evaluate import GeoparseReport, evaluate_geoparse
from incidents.evaluate import ExtractReport, Scores, evaluate_extract_with
from incidents.evaluate_merge import MergeReport, evaluate_merge_with

BENCHMARKS = Path(__file__).resolve().parents[2] / "shared" / "benchmarks"
FLOORS: dict[str, Any] = tomllib.loads((Path(__file__).parent / "floors.toml").read_text(encoding="utf-8"))


def limits(table: dict[str, dict[str, float]]) -> Iterator[tuple[str, str, float]]:
    """Yield (group, figure, limit) for every figure of a floors table."""
    for group, figures in table.items():
        for figure, limit in figures.items():
            yield group, figure, limit


def cases(table: dict[str, dict[str, float]]) -> list[Any]:
    return [pytest.param(g, f, v, id=f"{g}-{f}") for g, f, v in limits(table)]


def figure_of(scores: object, figure: str) -> float | None:
    value = getattr(scores, figure)
    assert value is None or isinstance(value, int | float), figure
    return value


def require(path: Path) -> Path:
    if not path.exists():
        pytest.skip(f"benchmark not found: {path}")
    return path


@pytest.fixture(scope="session")
def geoparse_report() -> Callable[[str], GeoparseReport]:
    """Return a function that scores a corpus with the real geoparser, each corpus once per session."""
    corpora = require(BENCHMARKS / "geoparsing")
    import gazetteer

    index = gazetteer.load()
    reports: dict[str, GeoparseReport] = {}

    def report_for(corpus: str) -> GeoparseReport:
        if corpus not in reports:
            docs = require(corpora / f"{corpus}.docs.jsonl")
            reports[corpus] = evaluate_geoparse(
                docs,
                corpora / f"{corpus}.gold.jsonl",
                lambda text, lang: gazetteer.geoparse(text, gazetteer=index, lang=lang),
            )
        return reports[corpus]

    return report_for


@pytest.fixture(scope="session")
def extract_report() -> ExtractReport:
    """Score the real extractor over the news dev set, once per session."""
    gold = require(BENCHMARKS / "news" / "dev.jsonl")
    from incidents.export.geojson import to_feature_collection
    from incidents.extract.pipeline import extract_document

    return evaluate_extract_with(gold, lambda doc: to_feature_collection(extract_document(doc)))


@pytest.mark.slow
@pytest.mark.parametrize(("corpus", "figure", "floor"), cases(FLOORS["geoparse"]))
def test_geoparse_floor(
    geoparse_report: Callable[[str], GeoparseReport], corpus: str, figure: str, floor: float
) -> None:
    report = geoparse_report(corpus)
    value = figure_of(report, figure)
    assert value is not None and value >= floor, f"{corpus} {figure} {value} < {floor}\n{report.format()}"


def scores_for(report: ExtractReport, group: str) -> Scores:
    if group == "all":
        return report.overall
    assert group in report.by_lang, f"no passages in language {group!r}"
    return report.by_lang[group]


@pytest.mark.slow
@pytest.mark.parametrize(("lang", "figure", "floor"), cases(FLOORS["extract"]))
def test_extract_floor(extract_report: ExtractReport, lang: str, figure: str, floor: float) -> None:
    value = figure_of(scores_for(extract_report, lang), figure)
    assert value is not None and value >= floor, (
        f"{lang} {figure} {value} < {floor}\n{extract_report.format()}"
    )


@pytest.mark.slow
@pytest.mark.parametrize(("lang", "figure", "ceiling"), cases(FLOORS["ceilings"]["extract"]))
def test_extract_ceiling(extract_report: ExtractReport, lang: str, figure: str, ceiling: float) -> None:
    value = figure_of(scores_for(extract_report, lang), figure)
    assert value is not None and value <= ceiling, (
        f"{lang} {figure} {value} > {ceiling}\n{extract_report.format()}"
    )


def test_floors_file_names_real_figures() -> None:
    # A misspelt figure in floors.toml would otherwise only show up once the benchmarks are present.
    geoparse = set(GeoparseReport.__dataclass_fields__)
    extract = set(Scores.__dataclass_fields__)
    assert {f for _, f, _ in limits(FLOORS["geoparse"])} <= geoparse
    assert {f for _, f, _ in limits(FLOORS["extract"])} | {
        f for _, f, _ in limits(FLOORS["ceilings"]["extract"])
    } <= extract


@pytest.fixture(scope="session")
def merge_report() -> MergeReport:
    """Extract and group the merge dev set with the real extractor, once per session."""
    gold = require(BENCHMARKS / "merge" / "dev.jsonl")
    from incidents.extract.pipeline import extract_document

    return evaluate_merge_with(gold, extract_document)


@pytest.mark.slow
@pytest.mark.parametrize(("figure", "floor"), [pytest.param(f, v, id=f) for f, v in FLOORS["merge"].items()])
def test_merge_floor(merge_report: MergeReport, figure: str, floor: float) -> None:
    value = getattr(merge_report, figure)
    assert value is not None and value >= floor, f"merge {figure} {value} < {floor}\n{merge_report.format()}"


def test_merge_floors_name_real_figures() -> None:
    assert set(FLOORS["merge"]) <= {"precision", "recall", "f1", "best_counts"}
