"""Score event grouping against the merge dev set (passages whose gold items carry an ``event`` key).

Predicted incidents are paired one-to-one with gold items inside each passage exactly as for the news
set (``incidents.evaluate.score_passage``). Over all pairs of paired incidents from different passages, a
pair is "same event" in the gold when the two keys are equal, and in the prediction when the Features
carry the same ``event_id``. ``strict`` keys keep a sub-site (``ev21.1``) apart from its event; ``lenient``
folds it in. Pairwise precision, recall and F1 follow.

Best counts: for every predicted event holding two or more paired reports (a merge), whether its best
killed and injured figures equal the latest figure the paired gold items give (latest by publication
date, an undated passage counting as published with those before it, as ``events.chronological``
orders reports; a count no gold item gives is None).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from gazetteer.evaluate import ratio
from incidents.evaluate import GoldIncident, GoldPassage, Pair, read_gold, score_passages, to_document
from incidents.events import EventSummary, Grouper
from incidents.events.reports import Report, chronological
from incidents.records import Document, Incident, IncidentType


@dataclass(frozen=True, slots=True)
class PairwiseScores:
    """Pairwise "same event" figures over paired incidents of different passages."""

    pairs: int
    gold_same: int
    predicted_same: int
    both_same: int
    precision: float | None
    recall: float | None
    f1: float | None


@dataclass(frozen=True, slots=True)
class MergeReport:
    """Pairwise figures (strict and lenient keys) and the best-count accuracy of merged events."""

    paired: int
    strict: PairwiseScores
    lenient: PairwiseScores
    merged_events: int
    best_right: int
    best_counts: float | None
    figures_right: int
    figures_total: int

    @property
    def precision(self) -> float | None:
        """Return the strict pairwise precision (the headline figure)."""
        return self.strict.precision

    @property
    def recall(self) -> float | None:
        """Return the strict pairwise recall."""
        return self.strict.recall

    @property
    def f1(self) -> float | None:
        """Return the strict pairwise F1."""
        return self.strict.f1

    def as_dict(self) -> dict[str, Any]:
        """Return the figures as a JSON-ready dict."""
        return asdict(self)

    def format(self) -> str:
        """Return the figures as a few lines of text."""
        def show(value: float | None) -> str:
            return "-" if value is None else f"{value:.3f}"

        lines = [f"paired incidents {self.paired}"]
        for name, s in (("strict", self.strict), ("lenient", self.lenient)):
            lines.append(f"{name:8} pairs {s.pairs}  gold same {s.gold_same}"
                         f"  predicted same {s.predicted_same}  P {show(s.precision)}"
                         f"  R {show(s.recall)}  F1 {show(s.f1)}")
        lines.append(f"merged events {self.merged_events}  best counts right {self.best_right}"
                     f"  ({show(self.best_counts)}; figures {self.figures_right}/{self.figures_total})")
        return "\n".join(lines)


def lenient_key(key: str) -> str:
    """Return an event key with its sub-site folded in (``ev21.1`` -> ``ev21``)."""
    return key.split(".", 1)[0]


def pairwise(members: Sequence[tuple[str, str | None, str]], fold: Callable[[str], str]) -> PairwiseScores:
    """Score every pair of (passage, gold key, predicted event) from different passages."""
    total = gold_same = predicted_same = both = 0
    for i, (doc_a, key_a, event_a) in enumerate(members):
        for doc_b, key_b, event_b in members[i + 1:]:
            if doc_a == doc_b:
                continue
            total += 1
            in_gold = key_a is not None and key_b is not None and fold(key_a) == fold(key_b)
            in_prediction = event_a == event_b
            gold_same += in_gold
            predicted_same += in_prediction
            both += in_gold and in_prediction
    return PairwiseScores(
        pairs=total, gold_same=gold_same, predicted_same=predicted_same, both_same=both,
        precision=ratio(both, predicted_same), recall=ratio(both, gold_same),
        f1=ratio(2 * both, gold_same + predicted_same),
    )


def _gold_report(passage: GoldPassage, gold: GoldIncident, seq: int) -> Report:
    """Return a gold item as a report, so gold items order by the same rule as predicted reports."""
    return Report(incident_id=f"{passage.id}#{gold.index}", doc_id=passage.id,
                  type=IncidentType(gold.type), subtype=None, places=(), date=None,
                  published=passage.published, killed=gold.killed, injured=gold.injured, source=None, seq=seq)


def _latest(reports: Sequence[Report], count: Callable[[Report], int | None]) -> int | None:
    figures = [value for value in map(count, chronological(reports)) if value is not None]
    return figures[-1] if figures else None


def score_merge(passages: Sequence[GoldPassage], features: Sequence[Mapping[str, Any]],
                events: Mapping[str, EventSummary]) -> MergeReport:
    """Score grouped Features (each with ``event_id``) and their events' summaries against the gold."""
    event_of = {(f["properties"]["doc_id"], f["properties"]["incident_id"]): f["properties"].get("event_id")
                for f in features}
    seq = {p.id: n for n, p in enumerate(passages)}
    by_id = {p.id: p for p in passages}
    pairs: list[Pair] = [pair for score in score_passages(passages, features) for pair in score.pairs]
    members = [(p.gold.doc_id, p.gold.event, str(event_of[p.predicted.doc_id, p.predicted.incident_id]))
               for p in pairs]
    merged: dict[str, list[Pair]] = {}
    for pair, (_, _, event_id) in zip(pairs, members, strict=True):
        merged.setdefault(event_id, []).append(pair)
    merged = {e: ps for e, ps in merged.items() if len({p.gold.doc_id for p in ps}) > 1}
    right = figures_right = figures_total = 0
    for event_id, event_pairs in merged.items():
        gold = [_gold_report(by_id[p.gold.doc_id], p.gold, seq[p.gold.doc_id]) for p in event_pairs]
        summary = events[event_id]
        checks = [(summary.killed.best, _latest(gold, lambda r: r.killed)),
                  (summary.injured.best, _latest(gold, lambda r: r.injured))]
        ok = [got == want for got, want in checks]
        right += all(ok)
        figures_right += sum(ok)
        figures_total += len(ok)
    return MergeReport(
        paired=len(pairs), strict=pairwise(members, lambda k: k), lenient=pairwise(members, lenient_key),
        merged_events=len(merged), best_right=right, best_counts=ratio(right, len(merged)),
        figures_right=figures_right, figures_total=figures_total,
    )


GroupedRun = Callable[[Iterable[Document]], Iterator[dict[str, Any]]]


def group_run(extract_fn: Callable[[Document], list[Incident]], grouper: Grouper) -> GroupedRun:
    """Return a run over documents: extract each, group its incidents, yield Features with ``event_id``."""
    from incidents.export.geojson import to_features

    def run(documents: Iterable[Document]) -> Iterator[dict[str, Any]]:
        for doc in documents:
            incidents = extract_fn(doc)
            yield from to_features(incidents, event_ids=grouper.add_document(incidents,
                                                                              published=doc.published))

    return run


def evaluate_merge_with(gold_path: Path, extract_fn: Callable[[Document], list[Incident]]) -> MergeReport:
    """Extract and group the dev set's passages in file order, and score the grouping."""
    passages = read_gold(gold_path)
    grouper = Grouper()
    features = list(group_run(extract_fn, grouper)(to_document(p) for p in passages))
    events = {summary.event_id: summary for summary in grouper.summaries()}
    return score_merge(passages, features, events)
