"""Score extracted incidents (GeoJSON Features) against the hand-annotated news dev set.

Features are grouped into predicted incidents by ``(doc_id, incident_id)``. A predicted incident can pair
with a gold incident of the same passage and type when one of its Features lies within ``tolerance_km``
(geodesic) of one of the gold's places. Pairs are one-to-one and as many as possible (maximum bipartite
matching); among the maximum matchings the one with the fewest count disagreements and stray Features is
kept, so the figures do not depend on the order of the input.

Left out: gold incidents without places, and AGGREGATE totals. A gold incident is an AGGREGATE when its
``notes`` contain the upper-case word ``AGGREGATE`` (the annotators' marker; the lower-case word in prose
is not a marker). A predicted incident left unpaired that could have paired with an aggregate counts
neither way: it reported the total instead of (or as well as) its parts.

``numbers``: over paired incidents, the share of the gold's non-null ``killed`` / ``injured`` values the
prediction reproduces exactly. When the notes mark the gold "lenient", a predicted null for such a value is
neither right nor wrong (the annotators accept null there). ``invented``: predicted non-null counts where
the paired gold has null. ``place_P``: the share of paired incidents' Features within tolerance of their
gold's places. ``far``: Features of paired incidents more than FAR_KM from every place of their gold (a
pin on the wrong town although the incident paired through another Feature); ``format(verbose=True)``
lists them. A Feature of region or country precision is an area, not a town: it is far only when its point
also lies outside the tolerance of every gold place (the gold's tolerance is the extent of its own area, so
"Somalia" pinned at another representative point of Somalia is not a wrong place); the verbose output lists
such area pins apart, with their distance. Each predicted incident's counts are read from its first Feature.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from gazetteer import geo
from gazetteer.errors import GazetteerFormatError
from gazetteer.evaluate import ratio, read_jsonl_objects
from incidents.errors import EvaluationFormatError
from incidents.records import Document

_AGGREGATE = re.compile(r"\bAGGREGATE\b")
_LENIENT = re.compile(r"\blenient\b", re.IGNORECASE)
_EPS = 1e-9
#: A paired incident's Feature this far from every place of its gold is a pin on the wrong place.
FAR_KM = 100.0
#: Feature precisions that stand for an area rather than a town or a point.
_AREA_PRECISIONS = frozenset({"region", "country"})


@dataclass(frozen=True, slots=True)
class GoldPlace:
    """A place the gold gives for an incident, with how far from it a prediction may lie."""

    name: str
    lat: float
    lon: float
    tolerance_km: float


@dataclass(frozen=True, slots=True)
class GoldIncident:
    """A hand-annotated incident: type, counts (None = not given), places and annotator flags."""

    doc_id: str
    index: int
    type: str
    killed: int | None
    injured: int | None
    places: tuple[GoldPlace, ...]
    aggregate: bool = False
    lenient: bool = False
    event: str | None = None

    @property
    def scored(self) -> bool:
        """Tell whether the incident counts in precision and recall (it has places, is no total)."""
        return bool(self.places) and not self.aggregate


@dataclass(frozen=True, slots=True)
class GoldPassage:
    """A dev-set passage with its gold incidents."""

    id: str
    lang: str
    text: str
    published: dt.date | None
    source: str | None
    incidents: tuple[GoldIncident, ...]


@dataclass(frozen=True, slots=True)
class PredictedIncident:
    """The Features of one predicted incident, reduced to what scoring needs.

    ``points`` holds ``(lat, lon)`` per Feature, None for a Feature without a Point; ``areas`` tells per
    Feature whether its precision is a region or a country (empty when unknown: every Feature a point).
    """

    doc_id: str
    incident_id: str
    type: str
    killed: int | None
    injured: int | None
    points: tuple[tuple[float, float] | None, ...]
    areas: tuple[bool, ...] = ()


@dataclass(frozen=True, slots=True)
class Pair:
    """A predicted incident paired with a gold one, and what the pair scores."""

    gold: GoldIncident
    predicted: PredictedIncident
    features_within: int
    numbers_right: int
    numbers_total: int
    invented: int
    far: tuple[tuple[tuple[float, float], str, float], ...] = ()
    """Points more than FAR_KM from every gold place: (point, nearest gold place, its distance in km)."""
    area_pins: tuple[tuple[tuple[float, float], str, float], ...] = ()
    """Area Features more than FAR_KM from every gold place's point but within a gold place's tolerance."""


@dataclass(frozen=True, slots=True)
class PassageScore:
    """One passage's pairs, misses, false alarms and predictions that count neither way."""

    doc_id: str
    lang: str
    pairs: tuple[Pair, ...]
    missed: tuple[GoldIncident, ...]
    false_positives: tuple[PredictedIncident, ...]
    neutral: tuple[PredictedIncident, ...]
    excluded: tuple[GoldIncident, ...]


@dataclass(frozen=True, slots=True)
class Scores:
    """Figures over a set of passages; ratios are None when undefined (0 / 0)."""

    documents: int
    gold: int
    predicted: int
    paired: int
    precision: float | None
    recall: float | None
    f1: float | None
    place_p: float | None
    numbers: float | None
    invented: int
    far: int
    features: int
    features_within: int
    numbers_right: int
    numbers_total: int
    neutral: int
    excluded_gold: int


@dataclass(frozen=True, slots=True)
class ExtractReport:
    """Overall and per-language scores of an extraction run over the dev set."""

    overall: Scores
    by_lang: Mapping[str, Scores] = field(default_factory=dict)
    passages: tuple[PassageScore, ...] = field(default=(), repr=False)

    def as_dict(self) -> dict[str, Any]:
        """Return the figures as a JSON-ready dict (without the per-passage detail)."""
        return {
            "overall": asdict(self.overall),
            "by_lang": {lang: asdict(scores) for lang, scores in self.by_lang.items()},
        }

    def format(self, *, verbose: bool = False) -> str:
        """Return the figures as a text table, one row overall and one per language.

        Verbose, the table is followed by every far pin (see FAR_KM), one line each, then the area pins
        that are not counted as far.
        """
        table = self._table()
        if not verbose:
            return table
        lines = [
            f"far pin: {s.doc_id} incident {pair.predicted.incident_id} at {point[0]:.4f},{point[1]:.4f}: "
            f"{km:.0f} km from {name}, the nearest place of gold incident {pair.gold.index}"
            for s in self.passages
            for pair in s.pairs
            for point, name, km in pair.far
        ] or ["far pins: none"]
        lines += [
            f"area pin (not far): {s.doc_id} incident {pair.predicted.incident_id} at "
            f"{point[0]:.4f},{point[1]:.4f}: {km:.0f} km from the point of {name}, within its tolerance"
            for s in self.passages
            for pair in s.pairs
            for point, name, km in pair.area_pins
        ]
        return "\n".join([table, *lines])

    def _table(self) -> str:
        rows = [("all", self.overall), *self.by_lang.items()]
        table = [[title for title, _ in _COLUMNS]]
        table += [
            [lang, *(_show(getattr(scores, name)) for _, name in _COLUMNS[1:])] for lang, scores in rows
        ]
        widths = [max(len(row[i]) for row in table) for i in range(len(_COLUMNS))]
        return "\n".join(
            "  ".join(
                cell.ljust(w) if i == 0 else cell.rjust(w)
                for i, (cell, w) in enumerate(zip(row, widths, strict=True))
            )
            for row in table
        )


_COLUMNS = (
    ("lang", ""), ("docs", "documents"), ("gold", "gold"), ("pred", "predicted"), ("paired", "paired"),
    ("P", "precision"), ("R", "recall"), ("F1", "f1"), ("place_P", "place_p"), ("numbers", "numbers"),
    ("invented", "invented"), ("far", "far"), ("neutral", "neutral"),
)  # fmt: skip


def _show(value: object) -> str:
    if value is None:
        return "-"
    return f"{value:.3f}" if isinstance(value, float) else str(value)


# --- matching ---------------------------------------------------------------------------------------


def _cheapest_augmenting_path(
    edges: Mapping[tuple[int, int], float], mate_left: Mapping[int, int], mate_right: Mapping[int, int]
) -> list[tuple[int, int]] | None:
    """Return the cheapest path from a free left node to a free right node, as (left, right) edges to take.

    Bellman-Ford over the residual graph: unmatched edges go left to right at their cost, matched edges
    go back right to left at minus their cost.
    """
    lefts = {u for u, _ in edges}
    dist_left = {u: 0.0 for u in lefts if u not in mate_left}
    dist_right: dict[int, float] = {}
    came_from: dict[int, int] = {}
    for _ in range(len(edges) + 1):
        changed = False
        for (u, v), cost in edges.items():
            if (
                u in dist_left
                and mate_left.get(u) != v
                and dist_left[u] + cost < dist_right.get(v, 1e18) - _EPS
            ):
                dist_right[v] = dist_left[u] + cost
                came_from[v] = u
                changed = True
        for v, u in mate_right.items():
            if v in dist_right and dist_right[v] - edges[u, v] < dist_left.get(u, 1e18) - _EPS:
                dist_left[u] = dist_right[v] - edges[u, v]
                changed = True
        if not changed:
            break
    free = [v for v in dist_right if v not in mate_right]
    if not free:
        return None
    v = min(free, key=lambda r: (dist_right[r], r))
    path: list[tuple[int, int]] = []
    for _ in range(len(mate_left) + 1):  # a path visits each matched left node at most once
        u = came_from[v]
        path.append((u, v))
        if u not in mate_left:
            return path
        v = mate_left[u]
    msg = "augmenting path runs in a cycle: an edge cost is negative"
    raise ValueError(msg)


def match_pairs(edges: Mapping[tuple[int, int], float]) -> list[tuple[int, int]]:
    """Return a maximum bipartite matching of least total cost, as sorted (left, right) pairs.

    ``edges`` maps the (left, right) pairs that may be matched to their cost (>= 0). Successive cheapest
    augmenting paths: each augmentation adds one pair and keeps the matching the cheapest of its size.
    """
    mate_left: dict[int, int] = {}
    mate_right: dict[int, int] = {}
    while path := _cheapest_augmenting_path(edges, mate_left, mate_right):
        for u, v in path:
            mate_left[u] = v
            mate_right[v] = u
    return sorted(mate_left.items())


# --- scoring ----------------------------------------------------------------------------------------


def distance_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Return the geodesic (WGS-84) distance between two (lat, lon) points in km."""
    return geo.distance_km(a[0], a[1], b[0], b[1])


def is_within(point: tuple[float, float] | None, places: Iterable[GoldPlace]) -> bool:
    """Tell whether a point lies within the tolerance of any of the places."""
    return point is not None and any(distance_km(point, (p.lat, p.lon)) <= p.tolerance_km for p in places)


def can_pair(predicted: PredictedIncident, gold: GoldIncident) -> bool:
    """Tell whether a prediction may pair with a gold incident: same passage and type, a point near."""
    return (
        predicted.doc_id == gold.doc_id
        and predicted.type == gold.type
        and any(is_within(point, gold.places) for point in predicted.points)
    )


def score_pair(gold: GoldIncident, predicted: PredictedIncident) -> Pair:
    """Return what a paired prediction scores: Features within tolerance, counts right and invented."""
    right = total = invented = 0
    for want, got in ((gold.killed, predicted.killed), (gold.injured, predicted.injured)):
        if want is None:
            invented += got is not None
        elif not (got is None and gold.lenient):
            total += 1
            right += got == want
    return Pair(
        gold=gold,
        predicted=predicted,
        features_within=sum(is_within(point, gold.places) for point in predicted.points),
        numbers_right=right,
        numbers_total=total,
        invented=invented,
        far=tuple(far_points(predicted.points, gold.places, predicted.areas)),
        area_pins=tuple(far_points(predicted.points, gold.places, predicted.areas, areas_only=True)),
    )


def far_points(
    points: Sequence[tuple[float, float] | None],
    places: Sequence[GoldPlace],
    areas: Sequence[bool] = (),
    *,
    areas_only: bool = False,
) -> Iterator[tuple[tuple[float, float], str, float]]:
    """Yield the points more than FAR_KM from every place, with the nearest place and its distance.

    An area point (``areas``) within the tolerance of a place is not far; ``areas_only`` yields just those.
    """
    for i, point in enumerate(points):
        if point is None or not places:
            continue
        km, name = min((distance_km(point, (p.lat, p.lon)), p.name) for p in places)
        if km <= FAR_KM:
            continue
        excused = i < len(areas) and areas[i] and is_within(point, places)
        if excused == areas_only:
            yield point, name, km


def _pair_cost(pair: Pair) -> float:
    # Count disagreements first; a share of stray Features (< 1) only breaks ties.
    mistakes = pair.numbers_total - pair.numbers_right + pair.invented
    return mistakes + 1 - pair.features_within / max(1, len(pair.predicted.points))


def score_passage(passage: GoldPassage, predicted: Sequence[PredictedIncident]) -> PassageScore:
    """Pair one passage's predicted incidents with its gold ones and sort out the rest."""
    scored = [g for g in passage.incidents if g.scored]
    candidates = {
        (p, g): score_pair(scored[g], predicted[p])
        for p in range(len(predicted))
        for g in range(len(scored))
        if can_pair(predicted[p], scored[g])
    }
    matching = match_pairs({key: _pair_cost(pair) for key, pair in candidates.items()})
    paired_pred = {p for p, _ in matching}
    paired_gold = {g for _, g in matching}
    totals = [g for g in passage.incidents if g.aggregate and g.places]
    unpaired = [pred for p, pred in enumerate(predicted) if p not in paired_pred]
    neutral = [any(can_pair(pred, total) for total in totals) for pred in unpaired]
    return PassageScore(
        doc_id=passage.id,
        lang=passage.lang,
        pairs=tuple(candidates[key] for key in matching),
        missed=tuple(g for i, g in enumerate(scored) if i not in paired_gold),
        false_positives=tuple(pred for pred, skip in zip(unpaired, neutral, strict=True) if not skip),
        neutral=tuple(pred for pred, skip in zip(unpaired, neutral, strict=True) if skip),
        excluded=tuple(g for g in passage.incidents if not g.scored),
    )


def summarize(scores: Iterable[PassageScore]) -> Scores:
    """Add up passage scores into one set of figures."""
    scores = list(scores)
    pairs = [pair for s in scores for pair in s.pairs]
    paired = len(pairs)
    fp = sum(len(s.false_positives) for s in scores)
    fn = sum(len(s.missed) for s in scores)
    features = sum(len(pair.predicted.points) for pair in pairs)
    within = sum(pair.features_within for pair in pairs)
    right = sum(pair.numbers_right for pair in pairs)
    total = sum(pair.numbers_total for pair in pairs)
    return Scores(
        documents=len(scores),
        gold=paired + fn,
        predicted=paired + fp,
        paired=paired,
        precision=ratio(paired, paired + fp),
        recall=ratio(paired, paired + fn),
        f1=ratio(2 * paired, 2 * paired + fp + fn),
        place_p=ratio(within, features),
        numbers=ratio(right, total),
        invented=sum(pair.invented for pair in pairs),
        far=sum(len(pair.far) for pair in pairs),
        features=features,
        features_within=within,
        numbers_right=right,
        numbers_total=total,
        neutral=sum(len(s.neutral) for s in scores),
        excluded_gold=sum(len(s.excluded) for s in scores),
    )


def report(scores: Sequence[PassageScore]) -> ExtractReport:
    """Return overall and per-language figures of scored passages."""
    langs = sorted({s.lang for s in scores})
    return ExtractReport(
        overall=summarize(scores),
        by_lang={lang: summarize(s for s in scores if s.lang == lang) for lang in langs},
        passages=tuple(scores),
    )


# --- reading gold and predictions -------------------------------------------------------------------


def _number(obj: Mapping[str, Any], key: str, where: str) -> int | None:
    value = obj.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        msg = f"{where}: {key!r} is {value!r}, expected a count (int >= 0) or null"
        raise EvaluationFormatError(msg)
    return value


def _text(obj: Mapping[str, Any], key: str, where: str) -> str:
    value = obj.get(key)
    if not isinstance(value, str) or not value:
        msg = f"{where}: {key!r} is {value!r}, expected a non-empty string"
        raise EvaluationFormatError(msg)
    return value


def _coordinate(obj: Mapping[str, Any], key: str, where: str) -> float:
    value = obj.get(key)
    if isinstance(value, bool) or not isinstance(value, int | float):
        msg = f"{where}: {key!r} is {value!r}, expected a number"
        raise EvaluationFormatError(msg)
    return float(value)


def _notes(value: object) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        return "\n".join(str(item) for item in value)
    return ""


def parse_gold_place(obj: Any, where: str) -> GoldPlace:
    """Return the gold place a dev-set place object describes."""
    if not isinstance(obj, dict):
        msg = f"{where}: expected a JSON object, got {obj!r}"
        raise EvaluationFormatError(msg)
    return GoldPlace(
        name=str(obj.get("name") or obj.get("text") or ""),
        lat=_coordinate(obj, "lat", where),
        lon=_coordinate(obj, "lon", where),
        tolerance_km=_coordinate(obj, "tolerance_km", where),
    )


def parse_gold_incident(obj: Any, *, doc_id: str, index: int, where: str) -> GoldIncident:
    """Return the gold incident a dev-set ``gold`` item describes."""
    if not isinstance(obj, dict):
        msg = f"{where}: expected a JSON object, got {obj!r}"
        raise EvaluationFormatError(msg)
    kind = _text(obj, "type", where)
    if kind not in ("strike", "alert"):
        msg = f"{where}: 'type' is {kind!r}, expected 'strike' or 'alert'"
        raise EvaluationFormatError(msg)
    places = obj.get("places") or []
    if not isinstance(places, list):
        msg = f"{where}: 'places' is {places!r}, expected a list"
        raise EvaluationFormatError(msg)
    notes = _notes(obj.get("notes"))
    return GoldIncident(
        doc_id=doc_id,
        index=index,
        type=kind,
        killed=_number(obj, "killed", where),
        injured=_number(obj, "injured", where),
        places=tuple(parse_gold_place(p, f"{where}: place {i}") for i, p in enumerate(places)),
        aggregate=bool(_AGGREGATE.search(notes)),
        lenient=bool(_LENIENT.search(notes)),
        event=obj["event"] if isinstance(obj.get("event"), str) else None,
    )


def _date(value: object, where: str) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError as err:
        msg = f"{where}: 'published' is {value!r}, expected YYYY-MM-DD or null"
        raise EvaluationFormatError(msg) from err


def parse_gold_passage(obj: Mapping[str, Any], *, where: str = "gold") -> GoldPassage:
    """Return the passage a dev-set line describes."""
    doc_id = _text(obj, "id", where)
    gold = obj.get("gold")
    if not isinstance(gold, list):
        msg = f"{where}: 'gold' is {gold!r}, expected a list of incidents"
        raise EvaluationFormatError(msg)
    source = obj.get("source")
    return GoldPassage(
        id=doc_id,
        lang=_text(obj, "lang", where),
        text=_text(obj, "text", where),
        published=_date(obj.get("published"), where),
        source=source if isinstance(source, str) else None,
        incidents=tuple(
            parse_gold_incident(item, doc_id=doc_id, index=i, where=f"{where}: gold {i}")
            for i, item in enumerate(gold)
        ),
    )


def _read_jsonl(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    try:
        yield from read_jsonl_objects(path)
    except GazetteerFormatError as err:
        raise EvaluationFormatError(str(err)) from err


def read_gold(path: Path) -> list[GoldPassage]:
    """Return the passages of a dev-set JSON Lines file, in file order."""
    passages: list[GoldPassage] = []
    seen: set[str] = set()
    for number, obj in _read_jsonl(path):
        passage = parse_gold_passage(obj, where=f"{path}:{number}")
        if passage.id in seen:
            msg = f"{path}:{number}: duplicate id {passage.id!r}"
            raise EvaluationFormatError(msg)
        seen.add(passage.id)
        passages.append(passage)
    return passages


def _point(feature: Mapping[str, Any], where: str) -> tuple[float, float] | None:
    geometry = feature.get("geometry")
    if geometry is None:
        return None
    coordinates = geometry.get("coordinates") if isinstance(geometry, dict) else None
    if (
        not isinstance(geometry, dict)
        or geometry.get("type") != "Point"
        or not isinstance(coordinates, list)
        or len(coordinates) < 2
        or not all(isinstance(c, int | float) and not isinstance(c, bool) for c in coordinates[:2])
    ):
        msg = f"{where}: geometry is {geometry!r}, expected a Point [lon, lat] or null"
        raise EvaluationFormatError(msg)
    lon, lat = coordinates[0], coordinates[1]  # GeoJSON order
    return float(lat), float(lon)


def group_features(features: Iterable[Mapping[str, Any]]) -> list[PredictedIncident]:
    """Group GeoJSON Features into predicted incidents by (doc_id, incident_id), in first-seen order.

    An incident's type and counts are read from its first Feature.
    """
    groups: dict[tuple[str, str], list[tuple[Mapping[str, Any], tuple[float, float] | None]]] = {}
    for i, feature in enumerate(features):
        where = f"feature {i}"
        props = feature.get("properties") if isinstance(feature, Mapping) else None
        if not isinstance(props, dict):
            msg = f"{where}: no 'properties' object"
            raise EvaluationFormatError(msg)
        key = (_text(props, "doc_id", where), _text(props, "incident_id", where))
        _text(props, "type", where)
        groups.setdefault(key, []).append((props, _point(feature, where)))
    incidents: list[PredictedIncident] = []
    for (doc_id, incident_id), members in groups.items():
        first = members[0][0]
        where = f"incident {incident_id!r} of {doc_id!r}"
        incidents.append(
            PredictedIncident(
                doc_id=doc_id,
                incident_id=incident_id,
                type=str(first["type"]),
                killed=_number(first, "killed", where),
                injured=_number(first, "injured", where),
                points=tuple(point for _, point in members),
                areas=tuple(props.get("precision") in _AREA_PRECISIONS for props, _ in members),
            )
        )
    return incidents


def score_passages(
    passages: Sequence[GoldPassage], features: Iterable[Mapping[str, Any]]
) -> list[PassageScore]:
    """Score the predicted Features against each passage; Features of unknown passages are an error."""
    by_doc: dict[str, list[PredictedIncident]] = {p.id: [] for p in passages}
    for incident in group_features(features):
        if incident.doc_id not in by_doc:
            msg = f"incident {incident.incident_id!r}: doc_id {incident.doc_id!r} is not in the gold file"
            raise EvaluationFormatError(msg)
        by_doc[incident.doc_id].append(incident)
    return [score_passage(p, by_doc[p.id]) for p in passages]


def evaluate_extract(gold_path: Path, features: Iterable[Mapping[str, Any]]) -> ExtractReport:
    """Score predicted GeoJSON Features against a dev-set file, overall and per language."""
    return report(score_passages(read_gold(gold_path), features))


ExtractFn = Callable[[Document], Mapping[str, Any] | Sequence[Mapping[str, Any]]]
"""An extractor: a Document in, a FeatureCollection dict or a list of Features out."""


def to_document(passage: GoldPassage) -> Document:
    """Return the input Document of a dev-set passage (as ``incidents extract --jsonl`` would read it)."""
    return Document(
        id=passage.id,
        text=passage.text,
        lang=passage.lang,
        published=passage.published,
        source=passage.source,
    )


def features_of(result: Mapping[str, Any] | Sequence[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """Return the Features of a FeatureCollection dict, or the list of Features itself."""
    if isinstance(result, Mapping):
        features = result.get("features")
        if result.get("type") != "FeatureCollection" or not isinstance(features, list):
            msg = f"expected a FeatureCollection, got an object with type {result.get('type')!r}"
            raise EvaluationFormatError(msg)
        return features
    return list(result)


def evaluate_extract_with(gold_path: Path, extract_fn: ExtractFn) -> ExtractReport:
    """Run ``extract_fn`` over every dev-set passage and score what it returns."""
    passages = read_gold(gold_path)
    features = [f for passage in passages for f in features_of(extract_fn(to_document(passage)))]
    return report(score_passages(passages, features))
