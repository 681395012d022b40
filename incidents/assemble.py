"""Assemble incidents from classified sentences, resolved places, casualty counts and dates.

Reading order matters: a sentence with a trigger and a scene place opens an incident (or joins an
earlier one at the same place); later sentences without a place of their own ("Daarbij ...",
"Volgens medische bronnen raakten vier mensen gewond") add counts to it, never overwriting one.
Strikes at several towns are separate incidents; one alert at several places is one incident.
A region named with a town inside it is context for the town, not a second place; a neighbourhood
named in a follow-up sentence ("Bij de aanval ... in Al Mawasi") is a second place of the same
incident. A count told at another place right after an incident, with no trigger of its own
("the toll includes 33 people in Kyiv"), is an incident of the same type at that place.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field

from gazetteer import geo
from gazetteer.records import MentionKind, Place, Precision, Toponym
from incidents.casualties import CasualtyReading, read_casualties
from incidents.classify import (
    PlaceRole,
    SentenceClass,
    Trigger,
    classify_sentence,
    is_passive_patient,
    is_source_seat,
    place_role,
)
from incidents.lexicon import Lexicon, category
from incidents.records import Casualties, Incident, IncidentPlace, IncidentType, Sentence
from incidents.text import dateline_end
from incidents.when import resolve_date

FOLLOWUP_SENTENCES = 3
"""How many sentences after an incident may still add counts to it."""
NEIGHBOURHOOD_KM = 15.0
"""A place this close to an incident's place, told in a follow-up sentence, is part of that incident
("Bij de aanval werd een kamp in Al Mawasi getroffen" after a strike on Khan Younis)."""
DEFAULT_RADIUS_KM = {Precision.DISTRICT: 30.0, Precision.REGION: 150.0, Precision.COUNTRY: 800.0}
_RANK = {Precision.POINT: 0, Precision.LOCALITY: 1, Precision.DISTRICT: 2, Precision.REGION: 3,
         Precision.COUNTRY: 4}


@dataclass(frozen=True, slots=True)
class DocumentInfo:
    """What assembly needs to know about the document besides its sentences and places."""

    doc_id: str
    lang: str
    source: str | None
    published: dt.date | None


@dataclass(slots=True)
class _Draft:
    """An incident being assembled (mutable, private to this module)."""

    type: IncidentType
    subtype: str | None
    places: list[Toponym]
    sentences: list[int]
    date: dt.date | None
    killed: int | None = None
    injured: int | None = None
    settled: set[str] = field(default_factory=set)
    hedged: bool = False
    anaphoric: bool = False
    inherited: bool = False  # its type comes from the incident before it ("33 of them in Kyiv")
    last: int = -1  # the last sentence that went on telling of it, with or without counts

    def latest(self) -> int:
        """Return the index of the last sentence that told of this incident."""
        return max(*self.sentences, self.last)

    def place_ids(self) -> set[str]:
        return {t.place.id for t in self.places}

    def add_counts(self, reading: CasualtyReading) -> None:
        """Fill the counts not known yet; vague or unknown counts settle a field as null."""
        for kind, value, vague in (("killed", reading.killed, reading.killed_vague),
                                   ("injured", reading.injured, reading.injured_vague)):
            if kind in self.settled:
                continue
            if value is not None:
                setattr(self, kind, value)
                self.settled.add(kind)
            elif vague or reading.unknown:
                self.settled.add(kind)


def distance_km(a: Place, b: Place) -> float:
    """Return the distance between two places in kilometres."""
    return geo.distance_km(a.lat, a.lon, b.lat, b.lon)


def contains(outer: Toponym, inner: Toponym) -> bool:
    """Tell whether ``outer`` is a containing area of ``inner`` (so only context for it)."""
    big, small = outer.place, inner.place
    if _RANK[big.precision] <= _RANK[small.precision]:
        return False  # a town is never the context of a region, whatever a context link says
    if inner.context is not None and inner.context.id == big.id:
        return True
    if big.precision not in DEFAULT_RADIUS_KM:
        return False
    if big.precision == Precision.COUNTRY:
        return big.country_code == small.country_code
    radius = big.radius_km or DEFAULT_RADIUS_KM[big.precision]
    return distance_km(big, small) <= radius


def _unique(places: Sequence[Toponym]) -> list[Toponym]:
    seen: set[str] = set()
    kept = []
    for toponym in places:
        if toponym.place.id not in seen:
            seen.add(toponym.place.id)
            kept.append(toponym)
    return kept


def _without_context(places: list[Toponym]) -> list[Toponym]:
    kept = [p for p in places if not any(q is not p and contains(p, q) for q in places)]
    return kept or places


def _places_by_type(
    scene: list[Toponym], triggers: tuple[Trigger, ...], offset: int
) -> dict[IncidentType, list[Toponym]]:
    groups: dict[IncidentType, list[Toponym]] = {}
    for toponym in scene:
        where = toponym.start - offset
        nearest = min(triggers, key=lambda t: min(abs(t.start - where), abs(t.end - where)))
        groups.setdefault(nearest.type, []).append(toponym)
    return {kind: _unique(places) for kind, places in groups.items()}


def _split(kind: IncidentType, places: list[Toponym]) -> list[list[Toponym]]:
    """Return the place groups of separate incidents: one per town for strikes, one for an alert."""
    if kind == IncidentType.ALERT:
        return [places]
    return [[p] for p in _without_context(places)]


WEAK_SUBTYPES = frozenset({"explosion"})
"""Subtypes that name an effect, not a weapon ("hit", "explosion"): any weapon named wins over them."""


def _subtype(triggers: tuple[Trigger, ...], kind: IncidentType, where: int) -> str | None:
    """Return the subtype of the specific trigger nearest to offset ``where`` (in the sentence)."""
    specific = [t for t in triggers if t.type == kind and t.subtype is not None]
    if not specific:
        return None
    weapons = [t for t in specific if t.subtype not in WEAK_SUBTYPES]
    specific = weapons or specific
    return min(specific, key=lambda t: min(abs(t.start - where), abs(t.end - where))).subtype


def _near(draft: _Draft, places: list[Toponym]) -> bool:
    """Tell whether every place lies within ``NEIGHBOURHOOD_KM`` of one of the draft's places."""
    return all(any(distance_km(p.place, q.place) <= NEIGHBOURHOOD_KM for q in draft.places) for p in places)


def _compatible(draft: _Draft, kind: IncidentType, places: list[Toponym], date: dt.date | None,
                reading: CasualtyReading, *, nearby: bool = False) -> bool:
    """Tell whether a sentence's group of places may be the same incident as ``draft``.

    Same type, a shared place (or, with ``nearby``, places in its neighbourhood), and no
    conflicting date or count.
    """
    shared = bool(draft.place_ids() & {p.place.id for p in places}) or (nearby and _near(draft, places))
    if draft.type != kind or not shared:
        return False
    if date is not None and draft.date is not None and date != draft.date:
        return False
    for value, known in ((reading.killed, draft.killed), (reading.injured, draft.injured)):
        if value is not None and known is not None and value != known:
            return False
    return True


class _Assembler:
    """Walk the sentences of one document in order, keeping the incidents told so far."""

    def __init__(self, text: str, sentences: Sequence[Sentence], toponyms: Sequence[Toponym],
                 lexicon: Lexicon, info: DocumentInfo) -> None:
        self.lexicon = lexicon
        self.sentences = sentences
        self._title_regions: list[Toponym] | None = None
        self.info = info
        skip = dateline_end(text)
        self.toponyms = [t for t in toponyms if t.kind == MentionKind.PLACE and t.start >= skip]
        self.drafts: list[_Draft] = []
        self.current: list[_Draft] = []
        self.last_scene: Toponym | None = None

    def scene_places(self, sentence: Sentence, cls: SentenceClass) -> tuple[list[Toponym], bool]:
        """Return the sentence's scene places and whether it names any place at all."""
        inside = [t for t in self.toponyms if sentence.start <= t.start and t.end <= sentence.end]
        spans = tuple((t.start - sentence.start, t.end - sentence.start) for t in inside)
        scene = []
        seats = []
        for toponym, (start, end) in zip(inside, spans, strict=True):
            others = tuple(s for s in spans if s != (start, end))
            role = place_role(sentence.text, start, end, self.lexicon, others=others)
            if role == PlaceRole.SCENE or (
                role == PlaceRole.UNMARKED
                and is_passive_patient(sentence.text, end, cls.triggers, self.lexicon)
            ):
                scene.append(toponym)
                if is_source_seat(sentence.text, start, end, self.lexicon):
                    seats.append(toponym)
        # The seat of a source ("the ministry in Gaza") is no scene when another place is one.
        elsewhere = [t for t in scene if t not in seats]
        return (elsewhere or scene), bool(inside)

    def anaphoric_place(self, sentence: Sentence) -> Toponym | None:
        """Return the place "the city" or "our region" stands for, or None.

        "Our region" is the region an official's title names ("the governor of Lviv Oblast"), when the
        document names exactly one; otherwise an anaphor is the last scene named.
        """
        if category(self.lexicon.places, "region_anaphora").search(sentence.text) is not None:
            regions = self.title_regions()
            if len(regions) == 1:
                return regions[0]
        if self.last_scene is None or category(self.lexicon.places, "anaphora").search(sentence.text) is None:
            return None
        return self.last_scene

    def title_regions(self) -> list[Toponym]:
        """Return the distinct regions the document names in an official's title (found once)."""
        if self._title_regions is None:
            found = []
            for sentence in self.sentences:
                for toponym in self.toponyms:
                    if (sentence.start <= toponym.start and toponym.end <= sentence.end
                            and toponym.place.precision == Precision.REGION
                            and place_role(sentence.text, toponym.start - sentence.start,
                                           toponym.end - sentence.start, self.lexicon) == PlaceRole.TITLE):
                        found.append(toponym)
            self._title_regions = _unique(found)
        return self._title_regions

    def open(self, index: int, sentence: Sentence, cls: SentenceClass, scene: list[Toponym],
             reading: CasualtyReading, anaphoric: bool) -> None:
        date = resolve_date(sentence.text, self.lexicon, self.info.published, near=cls.triggers[0].start)
        by_type = _places_by_type(scene, cls.triggers, sentence.start)
        groups = [(kind, group) for kind, places in by_type.items() for group in _split(kind, places)]
        opened: list[_Draft] = []
        for kind, group in groups:
            subtype = _subtype(cls.triggers, kind, group[0].start - sentence.start)
            draft = self._merge_target(kind, group, date, reading, cls)
            if draft is None:
                draft = _Draft(kind, subtype, list(group), [], date, anaphoric=anaphoric)
                self.drafts.append(draft)
            else:
                draft.places = _unique([*draft.places, *group])
                draft.subtype = draft.subtype or subtype
                draft.date = draft.date or date
            if index not in draft.sentences:
                draft.sentences.append(index)
            draft.hedged = draft.hedged or cls.hedged
            if len(groups) == 1:
                draft.add_counts(reading)
            opened.append(draft)
        self.current = opened

    def _merge_target(self, kind: IncidentType, group: list[Toponym], date: dt.date | None,
                      reading: CasualtyReading, cls: SentenceClass) -> _Draft | None:
        if cls.distinct and not cls.followup:
            return None
        for draft in reversed(self.drafts):
            if _compatible(draft, kind, group, date, reading):
                return draft
        if cls.followup and len(self.current) == 1:
            draft = self.current[0]
            if _compatible(draft, kind, group, date, reading, nearby=True):
                return draft
        return None

    def subtotal(self, index: int, sentence: Sentence, scene: list[Toponym],
                 reading: CasualtyReading) -> bool:
        """Open an incident for a count told at another place right after an incident, with no trigger.

        "The toll rose to 43. It includes 33 people in Kyiv." gives Kyiv its own incident of the
        same type; the count must be a number, so a campaign total or a vague amount opens nothing.
        """
        if reading.killed is None and reading.injured is None:
            return False
        recent = [d for d in self.current if index - d.latest() <= FOLLOWUP_SENTENCES]
        if not recent:
            return False
        model = recent[0]
        date = resolve_date(sentence.text, self.lexicon, self.info.published) or model.date
        draft = _Draft(model.type, model.subtype, _without_context(_unique(scene)), [index], date,
                       inherited=True)
        draft.add_counts(reading)
        self.drafts.append(draft)
        self.current = [draft]
        return True

    def follow(self, index: int, reading: CasualtyReading, *, continuing: bool = False) -> None:
        """Add a later sentence's counts to the current incident; ``continuing`` keeps its window open.

        A sentence that still tells of the attack with no place of its own ("Debris fell in two
        districts") is ``continuing``: counts may come up to ``FOLLOWUP_SENTENCES`` after it.
        """
        if len(self.current) != 1:
            return
        draft = self.current[0]
        if index - draft.latest() > FOLLOWUP_SENTENCES:
            return
        if continuing:
            draft.last = index
        if reading.empty:
            return
        draft.add_counts(reading)
        if index not in draft.sentences:
            draft.sentences.append(index)

    def read(self, index: int, sentence: Sentence) -> None:
        cls = classify_sentence(sentence.text, self.lexicon)
        reading = read_casualties(sentence.text, self.lexicon)
        if not cls.is_incident and reading.empty:
            return
        scene, named = self.scene_places(sentence, cls)
        if cls.is_incident:
            anaphoric = False
            if not scene:
                place = self.anaphoric_place(sentence)
                scene, anaphoric = ([place], True) if place is not None else ([], False)
            if scene:
                self.open(index, sentence, cls, scene, reading, anaphoric)
            elif cls.distinct and not cls.followup:
                self.current = []
            else:
                self.follow(index, reading, continuing=True)
        elif not scene or (self.current and {t.place.id for t in scene} <= self.current[0].place_ids()):
            self.follow(index, reading)
        elif self.subtotal(index, sentence, scene, reading):
            pass
        elif named:
            self.current = []  # counts told of another place end the current incident's follow-ups
        if scene:
            localities = [t for t in scene if _RANK[t.place.precision] <= _RANK[Precision.LOCALITY]]
            self.last_scene = (localities or scene)[-1]


def confidence(draft: _Draft) -> float:
    """Rank an incident: specific trigger, counts and a date raise it; hedges and guesses lower it."""
    score = 0.55
    score += 0.15 if draft.subtype is not None else 0.0
    score += 0.1 if draft.killed is not None or draft.injured is not None else 0.0
    score += 0.05 if draft.date is not None else 0.0
    score -= 0.15 if draft.hedged else 0.0
    score -= 0.2 if draft.anaphoric else 0.0
    score -= 0.1 if draft.inherited else 0.0
    if all(t.place.precision == Precision.COUNTRY for t in draft.places):
        score -= 0.15
    return round(min(0.99, max(0.05, score)), 3)


def incident_id(doc_id: str, span: tuple[int, int], kind: IncidentType, place_ids: Sequence[str]) -> str:
    """Return a stable id from the document id, the evidence span, the type and the places."""
    key = "\x1f".join([doc_id, f"{span[0]}-{span[1]}", str(kind), *place_ids])
    return hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]


def _finish(draft: _Draft, sentences: Sequence[Sentence], info: DocumentInfo) -> Incident:
    used = [sentences[i] for i in sorted(draft.sentences)]
    span = (used[0].start, used[-1].end)
    places = tuple(IncidentPlace(t.place, t.text, t.start, t.end) for t in draft.places)
    return Incident(
        incident_id=incident_id(info.doc_id, span, draft.type, [p.place.id for p in places]),
        doc_id=info.doc_id,
        type=draft.type,
        subtype=draft.subtype,
        places=places,
        casualties=Casualties(killed=draft.killed, injured=draft.injured),
        date=draft.date,
        lang=info.lang,
        evidence=" ".join(s.text for s in used),
        source=info.source,
        confidence=confidence(draft),
        evidence_span=span,
    )


def assemble(
    text: str,
    sentences: Sequence[Sentence],
    toponyms: Sequence[Toponym],
    lexicon: Lexicon,
    info: DocumentInfo,
) -> list[Incident]:
    """Return the incidents a document tells, in reading order."""
    assembler = _Assembler(text, sentences, toponyms, lexicon, info)
    for index, sentence in enumerate(sentences):
        assembler.read(index, sentence)
    drafts = sorted(assembler.drafts, key=lambda d: min(d.sentences))
    return [_finish(d, sentences, info) for d in drafts]
