"""Score a geoparser against gold corpora: recognition P/R/F1 and resolution error figures.

The corpora are JSON Lines (``<corpus>.docs.jsonl``: ``{"id", "text", "lang"}``;
``<corpus>.gold.jsonl``: ``{"id", "toponyms": [{"start", "end", "text", "lat", "lon", "ref", "kind"}],
"ignore": [{"start", "end"}]}``), offsets are Python string indices, end exclusive.

Recognition: a predicted toponym matches a gold one when their spans overlap; pairs are made one-to-one,
largest overlap first. A prediction left unmatched that overlaps an ``ignore`` span is neither right nor
wrong. Resolution, over matched pairs: great-circle (geodesic) error in km, acc@161 (error <= 161 km),
mean and median error, and AUC: the area under the sorted log(1 + km) / log(20039) curve, trapezoid rule
divided by (n - 1), lower is better. Only ``MentionKind.PLACE`` toponyms count as predictions unless
``kinds`` says otherwise (GeoWebNews' gold also holds demonyms: ``kinds=set(MentionKind)`` scores them).
"""

from __future__ import annotations

import itertools
import json
import math
import statistics
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from gazetteer.errors import GazetteerFormatError
from gazetteer.geo import distance_km
from gazetteer.records import MentionKind, Toponym

ACC_KM = 161.0
"""The acc@161 threshold: 100 miles."""

MAX_ERROR_KM = 20039.0
"""Half the Earth's circumference: the largest possible error, the AUC's scale."""

PREDICTED_KINDS = frozenset({MentionKind.PLACE, MentionKind.DEMONYM})
"""The toponym kinds scored as predictions by default: places and adjectival place references
("Russian", "Israëlische"), as ``incidents geoparse`` reports them and as the corpora annotate them."""

Parse = Callable[[str, str | None], Sequence[Toponym]]
"""A geoparser: ``parse(text, lang)`` returns the resolved toponyms of one document."""


@dataclass(frozen=True, slots=True)
class Span:
    """A character span of a document (end exclusive)."""

    start: int
    end: int


@dataclass(frozen=True, slots=True)
class GoldToponym:
    """A gold toponym: span, text as written, coordinates, reference id and annotation kind."""

    start: int
    end: int
    text: str
    lat: float
    lon: float
    ref: str = ""
    kind: str = ""


@dataclass(frozen=True, slots=True)
class GoldDocument:
    """One gold document: its toponyms and the spans where predictions are not scored."""

    id: str
    toponyms: tuple[GoldToponym, ...]
    ignore: tuple[Span, ...] = ()


@dataclass(frozen=True, slots=True)
class Match:
    """A predicted toponym paired with a gold one, and the distance between their points."""

    gold: GoldToponym
    predicted: Toponym
    error_km: float


@dataclass(frozen=True, slots=True)
class DocumentScore:
    """Everything one document contributes: matches, misses, false alarms and ignored predictions."""

    doc_id: str
    matches: tuple[Match, ...]
    missed: tuple[GoldToponym, ...]
    false_positives: tuple[Toponym, ...]
    ignored: tuple[Toponym, ...]


@dataclass(frozen=True, slots=True)
class GeoparseReport:
    """Recognition and resolution figures of one corpus; ratios are None when undefined (0 / 0)."""

    corpus: str
    documents: int
    gold: int
    predicted: int
    true_positives: int
    false_positives: int
    false_negatives: int
    ignored: int
    precision: float | None
    recall: float | None
    f1: float | None
    acc_161: float | None
    mean_km: float | None
    median_km: float | None
    auc: float | None
    same_ref: int = 0
    """Matched pairs whose predicted place id is the gold ``ref`` (however far apart their points)."""
    recall_by_kind: tuple[tuple[str, int, int], ...] = ()
    """``(gold kind, gold count, matched count)`` per annotation kind, most frequent first."""

    def as_dict(self) -> dict[str, Any]:
        """Return the figures as a JSON-ready dict."""
        data = asdict(self)
        data["recall_by_kind"] = [
            {"kind": kind, "gold": gold, "matched": matched} for kind, gold, matched in self.recall_by_kind
        ]
        return data

    def format(self) -> str:
        """Return the figures as a two-column text table."""
        rows = [(name, _show(getattr(self, name))) for name in _FIGURES]
        rows += [
            (f"recall[{kind or '-'}]", f"{matched}/{gold}") for kind, gold, matched in self.recall_by_kind
        ]
        width = max(len(name) for name, _ in rows)
        return "\n".join(f"{name:<{width}}  {value}" for name, value in rows)


_FIGURES = (
    "corpus", "documents", "gold", "predicted", "true_positives", "false_positives", "false_negatives",
    "ignored", "precision", "recall", "f1", "acc_161", "mean_km", "median_km", "auc", "same_ref",
)  # fmt: skip

_COLUMNS = (
    ("corpus", "corpus"), ("docs", "documents"), ("gold", "gold"), ("pred", "predicted"),
    ("TP", "true_positives"), ("FP", "false_positives"), ("FN", "false_negatives"), ("ign", "ignored"),
    ("P", "precision"), ("R", "recall"), ("F1", "f1"), ("acc@161", "acc_161"), ("mean km", "mean_km"),
    ("median km", "median_km"), ("AUC", "auc"),
)  # fmt: skip


def _show(value: object) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.1f}" if value >= 10 else f"{value:.3f}"
    return str(value)


def format_reports(reports: Iterable[GeoparseReport]) -> str:
    """Return several corpora's reports as one text table, a row per corpus."""
    table = [[title for title, _ in _COLUMNS]]
    table += [[_show(getattr(report, name)) for _, name in _COLUMNS] for report in reports]
    widths = [max(len(row[i]) for row in table) for i in range(len(_COLUMNS))]
    return "\n".join(
        "  ".join(
            cell.ljust(w) if i == 0 else cell.rjust(w)
            for i, (cell, w) in enumerate(zip(row, widths, strict=True))
        )
        for row in table
    )


# --- scoring ---------------------------------------------------------------------------------------


def overlap(a_start: int, a_end: int, b_start: int, b_end: int) -> int:
    """Return how many characters two spans share (0 when they are disjoint)."""
    return max(0, min(a_end, b_end) - max(a_start, b_start))


def pair_by_overlap(
    predicted: Sequence[tuple[int, int]], gold: Sequence[tuple[int, int]]
) -> list[tuple[int, int]]:
    """Pair predicted and gold spans one-to-one, largest overlap first; return (pred, gold) indices."""
    candidates = sorted(
        (-shared, gold[g][0], predicted[p][0], p, g)
        for p, (p_start, p_end) in enumerate(predicted)
        for g, (g_start, g_end) in enumerate(gold)
        if (shared := overlap(p_start, p_end, g_start, g_end)) > 0
    )
    taken_pred: set[int] = set()
    taken_gold: set[int] = set()
    pairs: list[tuple[int, int]] = []
    for _, _, _, p, g in candidates:
        if p not in taken_pred and g not in taken_gold:
            taken_pred.add(p)
            taken_gold.add(g)
            pairs.append((p, g))
    return sorted(pairs)


def score_document(
    gold: GoldDocument, predicted: Iterable[Toponym], *, kinds: Collection[MentionKind] = PREDICTED_KINDS
) -> DocumentScore:
    """Score one document's predicted toponyms against its gold; toponyms of other kinds are skipped."""
    places = [t for t in predicted if t.kind in kinds]
    pairs = pair_by_overlap([(t.start, t.end) for t in places], [(g.start, g.end) for g in gold.toponyms])
    matched_pred = {p for p, _ in pairs}
    matched_gold = {g for _, g in pairs}
    matches = tuple(
        Match(
            gold.toponyms[g],
            places[p],
            distance_km(gold.toponyms[g].lat, gold.toponyms[g].lon, places[p].place.lat, places[p].place.lon),
        )
        for p, g in pairs
    )
    unmatched = [t for i, t in enumerate(places) if i not in matched_pred]
    neutral = [any(overlap(t.start, t.end, s.start, s.end) for s in gold.ignore) for t in unmatched]
    return DocumentScore(
        doc_id=gold.id,
        matches=matches,
        missed=tuple(g for i, g in enumerate(gold.toponyms) if i not in matched_gold),
        false_positives=tuple(t for t, skip in zip(unmatched, neutral, strict=True) if not skip),
        ignored=tuple(t for t, skip in zip(unmatched, neutral, strict=True) if skip),
    )


def ratio(numerator: float, denominator: float) -> float | None:
    """Return numerator / denominator, or None when the denominator is 0."""
    return numerator / denominator if denominator else None


def auc_of_errors(errors_km: Sequence[float]) -> float | None:
    """Return the normalised area under the sorted log-error curve (0 = perfect, 1 = antipodal).

    One error gives its own scaled value (the area under a flat curve); none gives None.
    """
    scaled = sorted(math.log1p(max(0.0, e)) / math.log(MAX_ERROR_KM) for e in errors_km)
    if len(scaled) < 2:
        return scaled[0] if scaled else None
    area = sum((a + b) / 2 for a, b in itertools.pairwise(scaled))
    return area / (len(scaled) - 1)


def summarize(scores: Iterable[DocumentScore], *, corpus: str = "") -> GeoparseReport:
    """Add up document scores into one report."""
    scores = list(scores)
    matches = [m for s in scores for m in s.matches]
    errors = [m.error_km for m in matches]
    tp = len(matches)
    fp = sum(len(s.false_positives) for s in scores)
    fn = sum(len(s.missed) for s in scores)
    gold_kinds = Counter(g.kind for s in scores for g in (*s.missed, *(m.gold for m in s.matches)))
    matched_kinds = Counter(m.gold.kind for m in matches)
    return GeoparseReport(
        corpus=corpus,
        documents=len(scores),
        gold=tp + fn,
        predicted=tp + fp + sum(len(s.ignored) for s in scores),
        true_positives=tp,
        false_positives=fp,
        false_negatives=fn,
        ignored=sum(len(s.ignored) for s in scores),
        precision=ratio(tp, tp + fp),
        recall=ratio(tp, tp + fn),
        f1=ratio(2 * tp, 2 * tp + fp + fn),
        acc_161=ratio(sum(e <= ACC_KM for e in errors), len(errors)),
        mean_km=statistics.fmean(errors) if errors else None,
        median_km=statistics.median(errors) if errors else None,
        auc=auc_of_errors(errors),
        same_ref=sum(bool(m.gold.ref) and m.gold.ref == m.predicted.place.id for m in matches),
        recall_by_kind=tuple((kind, n, matched_kinds[kind]) for kind, n in gold_kinds.most_common()),
    )


# --- reading the corpora ---------------------------------------------------------------------------


def read_jsonl_objects(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    """Yield (line number, object) for each non-blank line of a JSON Lines file."""
    with path.open("rb") as lines:
        for number, raw in enumerate(lines, start=1):
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError as err:
                msg = f"{path}:{number}: not UTF-8 at byte {err.start}"
                raise GazetteerFormatError(msg) from err
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as err:
                msg = f"{path}:{number}: invalid JSON: {err.msg} at column {err.colno}"
                raise GazetteerFormatError(msg) from err
            if not isinstance(obj, dict):
                msg = f"{path}:{number}: expected a JSON object, got {type(obj).__name__}"
                raise GazetteerFormatError(msg)
            yield number, obj


def _field(obj: Mapping[str, Any], key: str, kind: type | tuple[type, ...], where: str) -> Any:
    value = obj.get(key)
    if not isinstance(value, kind) or isinstance(value, bool):
        msg = f"{where}: field {key!r} is {value!r}, expected {getattr(kind, '__name__', kind)}"
        raise GazetteerFormatError(msg)
    return value


def _span(obj: Any, where: str) -> tuple[int, int]:
    if not isinstance(obj, dict):
        msg = f"{where}: expected a JSON object, got {obj!r}"
        raise GazetteerFormatError(msg)
    start, end = _field(obj, "start", int, where), _field(obj, "end", int, where)
    if not 0 <= start < end:
        msg = f"{where}: bad span start={start} end={end}"
        raise GazetteerFormatError(msg)
    return start, end


def parse_gold_document(obj: Mapping[str, Any], *, where: str = "gold") -> GoldDocument:
    """Return the gold document a gold-file object describes."""
    doc_id = _field(obj, "id", str, where)
    toponyms: list[GoldToponym] = []
    for i, item in enumerate(_field(obj, "toponyms", list, where)):
        at = f"{where}: toponym {i}"
        start, end = _span(item, at)
        toponyms.append(
            GoldToponym(
                start=start,
                end=end,
                text=str(item.get("text", "")),
                lat=float(_field(item, "lat", (int, float), at)),
                lon=float(_field(item, "lon", (int, float), at)),
                ref=str(item.get("ref") or ""),
                kind=str(item.get("kind") or ""),
            )
        )
    ignore = tuple(
        Span(*_span(item, f"{where}: ignore {i}")) for i, item in enumerate(obj.get("ignore") or [])
    )
    return GoldDocument(id=doc_id, toponyms=tuple(toponyms), ignore=ignore)


def read_gold(path: Path) -> dict[str, GoldDocument]:
    """Return the gold documents of a ``<corpus>.gold.jsonl`` file by id."""
    gold: dict[str, GoldDocument] = {}
    for number, obj in read_jsonl_objects(path):
        doc = parse_gold_document(obj, where=f"{path}:{number}")
        if doc.id in gold:
            msg = f"{path}:{number}: duplicate id {doc.id!r}"
            raise GazetteerFormatError(msg)
        gold[doc.id] = doc
    return gold


def read_docs(path: Path) -> list[tuple[str, str, str | None]]:
    """Return the ``(id, text, lang)`` rows of a ``<corpus>.docs.jsonl`` file."""
    rows: list[tuple[str, str, str | None]] = []
    for number, obj in read_jsonl_objects(path):
        where = f"{path}:{number}"
        lang = obj.get("lang")
        if lang is not None and not isinstance(lang, str):
            msg = f"{where}: field 'lang' is {lang!r}, expected a string or null"
            raise GazetteerFormatError(msg)
        rows.append((_field(obj, "id", str, where), _field(obj, "text", str, where), lang))
    return rows


def _check_aligned(docs: Sequence[tuple[str, str, str | None]], gold: Mapping[str, GoldDocument]) -> None:
    ids = [doc_id for doc_id, _, _ in docs]
    if len(set(ids)) != len(ids):
        msg = f"duplicate document ids: {sorted(i for i, n in Counter(ids).items() if n > 1)[:5]}"
        raise GazetteerFormatError(msg)
    if unknown := set(ids) ^ set(gold):
        msg = f"documents and gold do not have the same ids, e.g. {sorted(unknown)[:5]}"
        raise GazetteerFormatError(msg)
    for doc_id, text, _ in docs:
        spans = [(t.start, t.end) for t in gold[doc_id].toponyms] + [
            (s.start, s.end) for s in gold[doc_id].ignore
        ]
        for start, end in spans:
            if end > len(text):
                msg = f"gold {doc_id!r}: span {start}-{end} runs past the text ({len(text)} chars)"
                raise GazetteerFormatError(msg)


def score_documents(
    docs_path: Path, gold_path: Path, parse: Parse, *, kinds: Collection[MentionKind] = PREDICTED_KINDS
) -> list[DocumentScore]:
    """Run ``parse`` over every document of a corpus and score each against its gold."""
    docs = read_docs(docs_path)
    gold = read_gold(gold_path)
    _check_aligned(docs, gold)
    return [score_document(gold[doc_id], parse(text, lang), kinds=kinds) for doc_id, text, lang in docs]


def corpus_name(docs_path: Path) -> str:
    """Return the corpus name of a ``<corpus>.docs.jsonl`` path."""
    return docs_path.name.split(".")[0]


def evaluate_geoparse(
    docs_path: Path, gold_path: Path, parse: Parse, *, kinds: Collection[MentionKind] = PREDICTED_KINDS
) -> GeoparseReport:
    """Geoparse a corpus with ``parse`` and return its recognition and resolution figures."""
    scores = score_documents(docs_path, gold_path, parse, kinds=kinds)
    return summarize(scores, corpus=corpus_name(docs_path))
