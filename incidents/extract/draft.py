"""The incident being assembled (mutable, private to assembly) and the tests that match one to a sentence."""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field

from gazetteer.records import Precision, Toponym
from incidents.extract.casualties import CasualtyReading
from incidents.extract.containment import contains, distance_km
from incidents.records import IncidentType

NEIGHBOURHOOD_KM = 15.0
"""A place this close to an incident's place, told in a follow-up sentence, is part of that incident
(a district named in the sentence after a strike on its town belongs to that strike)."""


@dataclass(frozen=True, slots=True)
class DocumentInfo:
    """What assembly needs to know about the document besides its sentences and places."""

    doc_id: str
    lang: str
    source: str | None
    published: dt.date | None


@dataclass(slots=True)
class Draft:
    """An incident being assembled (mutable: it never leaves assembly, only its finish)."""

    type: IncidentType
    subtype: str | None
    places: list[Toponym]
    sentences: list[int]
    date: dt.date | None
    killed: int | None = None
    injured: int | None = None
    settled: set[str] = field(default_factory=set)
    hedged: bool = False
    reported: bool = False  # told as what someone said ("according to", "said")
    anaphoric: bool = False  # a place read from a nameless phrase ("the capital", "our region")
    focused: bool = False  # no place in its sentence: the document's focus place stands in
    inherited: bool = False  # its type or place comes from the incident before it ("33 of them in Kyiv")
    last: int = -1  # the last sentence that went on telling of it, with or without counts
    added: set[str] = field(default_factory=set)  # counts that were only additions ("three more died")

    def latest(self) -> int:
        """Return the index of the last sentence that told of this incident.

        Sentences are read in order and only ever appended, so the last one is the latest (a long
        document's incident may hold thousands).
        """
        return max(self.sentences[-1], self.last)

    def place_ids(self) -> set[str]:
        """Return the ids of the incident's places."""
        return {t.place.id for t in self.places}

    def add_counts(self, reading: CasualtyReading) -> None:
        """Fill the counts not known yet; vague or unknown counts settle a field as null. A count that
        was only an addition ("three more died") gives way to a later total.

        An alert has no victims: a siren kills no one, so counts told beside one belong to a strike.
        """
        if self.type == IncidentType.ALERT:
            return
        for kind, value, vague in (("killed", reading.killed, reading.killed_vague),
                                   ("injured", reading.injured, reading.injured_vague)):
            if kind in self.settled and not (kind in self.added and value is not None
                                             and kind not in reading.added):
                continue
            if value is not None:
                setattr(self, kind, value)
                self.settled.add(kind)
                if kind in reading.added:
                    self.added.add(kind)
                else:
                    self.added.discard(kind)
            elif vague or reading.unknown:
                self.settled.add(kind)


def conflicts(draft: Draft, reading: CasualtyReading) -> bool:
    """Tell whether a sentence gives a count that differs from one the incident already has."""
    return any(value is not None and known is not None and value != known and kind not in reading.added
               for kind, value, known in (("killed", reading.killed, draft.killed),
                                          ("injured", reading.injured, draft.injured)))


def is_near(draft: Draft, places: list[Toponym]) -> bool:
    """Tell whether every place lies within ``NEIGHBOURHOOD_KM`` of one of the draft's places."""
    return all(any(distance_km(p.place, q.place) <= NEIGHBOURHOOD_KM for q in draft.places) for p in places)


def is_compatible(draft: Draft, kind: IncidentType, places: list[Toponym], date: dt.date | None,
                  reading: CasualtyReading, *, nearby: bool = False) -> bool:
    """Tell whether a sentence's group of places may be the same incident as ``draft``.

    Same type, a shared place (or, with ``nearby``, places in its neighbourhood), and no
    conflicting date or count.
    """
    if draft.type != kind:  # the cheap tests first: long documents ask this of many drafts
        return False
    if date is not None and draft.date is not None and date != draft.date:
        return False
    shared = bool(draft.place_ids() & {p.place.id for p in places}) or (nearby and is_near(draft, places))
    return shared and not conflicts(draft, reading)


def belongs(toponym: Toponym, draft: Draft) -> bool:
    """Tell whether a place is one of the incident's, or an area containing one ("in the region")."""
    return toponym.place.id in draft.place_ids() or any(contains(toponym, q) for q in draft.places)


NEAR_SENTENCES = 2
"""How far apart (in sentences) a country-level report and the finer report it stands for may be."""


def _is_coarse(places: list[Toponym]) -> bool:
    return bool(places) and all(t.place.precision == Precision.COUNTRY for t in places)


def _is_regional(places: list[Toponym]) -> bool:
    return bool(places) and all(t.place.precision == Precision.REGION for t in places)


def finer_than(coarse: Draft, others: list[Draft]) -> list[Draft]:
    """Return the incidents of the same type whose places lie inside a coarser incident's places."""
    return [d for d in others if d is not coarse and d.type == coarse.type
            and not _is_coarse(d.places)
            and any(contains(c, p) for c in coarse.places for p in d.places)]


def drop_country_context(drafts: list[Draft]) -> list[Draft]:
    """Drop country-level incidents that a finer incident of the same text stands for.

    "Russia attacked Ukraine overnight ... a drone hit Odesa" tells one strike, at Odesa: a country is
    an incident place only when the text gives nothing finer. A country-level report with counts
    gives them to the one finer incident told next to it that has none ("In Sudan, an air strike
    killed 12. It hit a market in El Fasher."). A region-level report without counts is dropped
    when a finer incident inside the region is told right after it, as its detail ("Shelling hit
    Kharkiv Oblast. In the regional capital two were injured."); told after a town, it is its own.
    Candidates are looked up by country and by sentence, so the pass stays linear in long texts.
    """
    by_country: dict[tuple[IncidentType, str], list[Draft]] = {}
    for draft in drafts:
        if not _is_coarse(draft.places):
            for code in {t.place.country_code for t in draft.places}:
                by_country.setdefault((draft.type, code), []).append(draft)
    ordered = sorted(drafts, key=lambda d: min(d.sentences))
    firsts = [min(d.sentences) for d in ordered]
    kept: list[Draft] = []
    for draft in drafts:
        first = min(draft.sentences)
        if _is_regional(draft.places):
            window = ordered[bisect_left(firsts, first) : bisect_right(firsts, first + NEAR_SENTENCES)]
            told_next = finer_than(draft, window)
            if not (told_next and draft.killed is None and draft.injured is None):
                kept.append(draft)
            continue
        if not _is_coarse(draft.places):
            kept.append(draft)
            continue
        found = {id(d): d for code in {t.place.country_code for t in draft.places}
                 for d in by_country.get((draft.type, code), [])}
        finer = finer_than(draft, [d for d in drafts if id(d) in found])
        near = [d for d in finer if abs(min(d.sentences) - first) <= NEAR_SENTENCES]
        if not finer:
            kept.append(draft)
            continue
        if draft.killed is None and draft.injured is None:
            continue
        if len(finer) == 1 and near and near[0].killed is None and near[0].injured is None:
            near[0].killed, near[0].injured = draft.killed, draft.injured
            continue
        kept.append(draft)
    return kept
