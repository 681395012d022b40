"""Assemble incidents from classified sentences, resolved places, casualty counts and dates.

Reading order matters: a sentence with a trigger and a scene place opens an incident (or joins an
earlier one at the same place); later sentences without a place of their own ("Daarbij ...",
"Volgens medische bronnen raakten vier mensen gewond") add counts to it, never overwriting one.
Strikes at several towns are separate incidents; one alert at several places is one incident.
A region named with a town inside it is context for the town, not a second place; a neighbourhood
named in a follow-up sentence ("Bij de aanval ... in Al Mawasi") is a second place of the same
incident. A count told at another place right after an incident, with no trigger of its own
("the toll includes 33 people in Kyiv"), is an incident of the same type at that place; a placeless
attack whose count contradicts the current incident's ("Four children were killed when a drone hit
their tent") is a second incident at its places. Nameless places ("the capital", "the surrounding
region", "our region") are resolved by ``incidents.focus``; an alert told with no place at all is
placed at the document's focus (one official's region, or the dateline town), with low confidence.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

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
from incidents.focus import (
    Anaphor,
    AnaphorKind,
    PlaceBook,
    Seen,
    capital_place,
    demonym_country,
    find_anaphors,
    focus_country,
    focus_place,
    last_town,
    region_place,
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
    reported: bool = False  # told as what someone said ("according to", "said")
    anaphoric: bool = False  # a place read from a nameless phrase ("the capital", "our region")
    focused: bool = False  # no place in its sentence: the document's focus place stands in
    inherited: bool = False  # its type or place comes from the incident before it ("33 of them in Kyiv")
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
                 lexicon: Lexicon, info: DocumentInfo, book: PlaceBook | None) -> None:
        self.lexicon = lexicon
        self.sentences = sentences
        self.book = book
        self._title_regions: list[Toponym] | None = None
        self.info = info
        skip = dateline_end(text)
        self.toponyms = [t for t in toponyms if t.kind == MentionKind.PLACE and t.start >= skip]
        self.demonyms = [t for t in toponyms if t.kind == MentionKind.DEMONYM]
        self.dateline = [t for t in toponyms if t.end <= skip]
        self.drafts: list[_Draft] = []
        self.current: list[_Draft] = []
        self.seen: list[Seen] = []
        self.inferred: set[tuple[int, int]] = set()  # spans of places read from a nameless phrase

    def scene_places(self, index: int, sentence: Sentence, cls: SentenceClass) -> tuple[list[Toponym], bool]:
        """Return the sentence's scene places (named or nameless) and whether it names any place."""
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
        named = [t for t in scene if t not in seats] or scene
        return [*named, *self.nameless_places(index, sentence, named, spans)], bool(inside)

    def nameless_places(self, index: int, sentence: Sentence, named: list[Toponym],
                        spans: tuple[tuple[int, int], ...]) -> list[Toponym]:
        """Return the places nameless phrases of the sentence stand for ("the capital", "our region").

        A phrase is a scene when a locative or an attack verb governs it; with no named scene, an
        unmarked phrase is one too. "The city" adds nothing to a sentence that names its scene.
        """
        found = []
        for anaphor in find_anaphors(sentence.text, self.lexicon, spans):
            if anaphor.kind == AnaphorKind.PLACE and named:
                continue
            role = place_role(sentence.text, anaphor.start, anaphor.end, self.lexicon, others=spans)
            if role != PlaceRole.SCENE and (named or role != PlaceRole.UNMARKED):
                continue
            place = self.anaphor_place(index, sentence, anaphor, named)
            if place is not None:
                span = (sentence.start + anaphor.start, sentence.start + anaphor.end)
                self.inferred.add(span)
                found.append(Toponym(span[0], span[1], anaphor.text, place))
        return found

    def anaphor_place(self, index: int, sentence: Sentence, anaphor: Anaphor,
                      named: list[Toponym]) -> Place | None:
        """Return the place one nameless phrase stands for, or None."""
        before = [*self.seen, *(Seen(index, t) for t in named if t.start < sentence.start + anaphor.start)]
        if anaphor.kind == AnaphorKind.CAPITAL:
            country = demonym_country(anaphor, self.demonyms, sentence.start) or focus_country(before, named)
            return None if country is None else capital_place(country, self.book, before)
        if anaphor.kind == AnaphorKind.REGION:
            return region_place(index, before, self.title_regions(), self.book)
        return last_town(before)

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
             reading: CasualtyReading, *, focused: bool = False) -> None:
        date = resolve_date(sentence.text, self.lexicon, self.info.published, near=cls.triggers[0].start)
        by_type = _places_by_type(scene, cls.triggers, sentence.start)
        groups = [(kind, group) for kind, places in by_type.items() for group in _split(kind, places)]
        opened: list[_Draft] = []
        for kind, group in groups:
            subtype = _subtype(cls.triggers, kind, group[0].start - sentence.start)
            draft = self._merge_target(kind, group, date, reading, cls)
            inferred = any((t.start, t.end) in self.inferred for t in group)
            if draft is None:
                draft = _Draft(kind, subtype, list(group), [], date, anaphoric=inferred, focused=focused)
                self.drafts.append(draft)
            else:
                self.confirm(draft, group)
                draft.subtype = draft.subtype or subtype
                draft.date = draft.date or date
            if index not in draft.sentences:
                draft.sentences.append(index)
            draft.hedged = draft.hedged or cls.hedged
            draft.reported = draft.reported or _reported(sentence.text, self.lexicon)
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

    def confirm(self, draft: _Draft, places: list[Toponym]) -> None:
        """Add places to an incident; a name told later replaces a nameless phrase for the same place."""
        named = {t.place.id: t for t in places if (t.start, t.end) not in self.inferred}
        kept = [named.pop(t.place.id, t) if (t.start, t.end) in self.inferred else t for t in draft.places]
        draft.places = _unique([*kept, *places])
        if not any((t.start, t.end) in self.inferred for t in draft.places):
            draft.anaphoric = False

    def recent(self, index: int) -> list[_Draft]:
        """Return the current incidents a sentence at ``index`` may still go on telling of."""
        return [d for d in self.current if index - d.latest() <= FOLLOWUP_SENTENCES]

    def derive(self, index: int, sentence: Sentence, model: _Draft, kind: IncidentType,
               subtype: str | None, places: list[Toponym], reading: CasualtyReading, *,
               near: int = 0) -> None:
        """Open an incident whose type or places come from ``model`` (the incident just told)."""
        date = resolve_date(sentence.text, self.lexicon, self.info.published, near=near) or model.date
        draft = _Draft(kind, subtype, places, [index], date, inherited=True)
        draft.add_counts(reading)
        self.drafts.append(draft)
        self.current = [draft]

    def subtotal(self, index: int, sentence: Sentence, scene: list[Toponym],
                 reading: CasualtyReading) -> bool:
        """Open an incident for a count told at another place right after an incident, with no trigger.

        "The toll rose to 43. It includes 33 people in Kyiv." gives Kyiv its own incident of the
        same type; the count must be a number, so a campaign total or a vague amount opens nothing.
        """
        if reading.killed is None and reading.injured is None:
            return False
        recent = self.recent(index)
        if not recent:
            return False
        model = recent[0]
        places = _without_context(_unique(scene))
        self.derive(index, sentence, model, model.type, model.subtype, places, reading)
        return True

    def split_off(self, index: int, sentence: Sentence, cls: SentenceClass, reading: CasualtyReading) -> bool:
        """Open an incident at the current one's places for a placeless attack with other counts.

        "Strikes on X killed 11. Four children were killed when a drone hit their tent." tells a
        second incident at X: its count contradicts the first one's. A follow-up ("the strike") or a
        sentence marking itself distinct ("elsewhere") opens nothing.
        """
        recent = self.recent(index)
        if len(recent) != 1 or cls.followup or cls.distinct or not _conflicts(recent[0], reading):
            return False
        model = recent[0]
        trigger = cls.triggers[0]
        subtype = _subtype(cls.triggers, trigger.type, trigger.start)
        self.derive(index, sentence, model, trigger.type, subtype, list(model.places), reading,
                    near=trigger.start)
        return True

    def follow(self, index: int, reading: CasualtyReading, *, continuing: bool = False,
               draft: _Draft | None = None) -> None:
        """Add a later sentence's counts to the current incident (or ``draft``, one of them).

        A sentence that still tells of the attack with no place of its own ("Debris fell in two
        districts") is ``continuing``: it keeps the window for counts open ``FOLLOWUP_SENTENCES`` on.
        """
        if draft is None:
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

    def focus(self, index: int, sentence: Sentence, cls: SentenceClass, reading: CasualtyReading) -> bool:
        """Open an alert told with no place at the document's focus place (title region or dateline)."""
        alerts = tuple(t for t in cls.triggers if t.type == IncidentType.ALERT)
        place = focus_place(self.title_regions(), self.dateline) if alerts else None
        if place is None:
            return False
        told = self.current  # counts that follow still belong to the attack, not to the alert
        self.open(index, sentence, replace(cls, triggers=alerts), [place], reading, focused=True)
        self.current = told
        return True

    def read(self, index: int, sentence: Sentence) -> None:
        cls = classify_sentence(sentence.text, self.lexicon)
        reading = read_casualties(sentence.text, self.lexicon)
        if not cls.is_incident and reading.empty:
            return
        scene, named = self.scene_places(index, sentence, cls)
        if cls.is_incident:
            if scene:
                self.open(index, sentence, cls, scene, reading)
            elif cls.distinct and not cls.followup:
                self.current = []
            elif not (self.split_off(index, sentence, cls, reading)
                      or (not named and self.focus(index, sentence, cls, reading))):
                self.follow(index, reading, continuing=True)
        else:
            self.read_counts(index, sentence, scene, named, reading)
        self.seen.extend(Seen(index, t) for t in scene)

    def read_counts(self, index: int, sentence: Sentence, scene: list[Toponym], named: bool,
                    reading: CasualtyReading) -> None:
        """Give a sentence's counts, with no trigger, to the incident of its place (or start one)."""
        owners = [d for d in self.current if all(_belongs(t, d) for t in scene)]
        if not scene:
            self.follow(index, reading)
        elif len(owners) == 1:
            self.follow(index, reading, draft=owners[0])
            if index in owners[0].sentences:  # a name may replace a nameless phrase, context adds nothing
                self.confirm(owners[0], [t for t in scene if t.place.id in owners[0].place_ids()])
        elif self.subtotal(index, sentence, scene, reading):
            pass
        elif named:
            self.current = []  # counts told of another place end the current incident's follow-ups


def _belongs(toponym: Toponym, draft: _Draft) -> bool:
    """Tell whether a place is one of the incident's, or an area containing one ("in the region")."""
    return toponym.place.id in draft.place_ids() or any(contains(toponym, q) for q in draft.places)


def _conflicts(draft: _Draft, reading: CasualtyReading) -> bool:
    """Tell whether a sentence gives a count that differs from one the incident already has."""
    return any(value is not None and known is not None and value != known
               for value, known in ((reading.killed, draft.killed), (reading.injured, draft.injured)))


def _reported(text: str, lexicon: Lexicon) -> bool:
    """Tell whether a sentence reports what someone said ("according to", "said")."""
    return any(category(lexicon.places, name).search(text) is not None for name in ("source", "speech"))


PRECISION_DOUBT = {Precision.POINT: 0.0, Precision.LOCALITY: 0.0, Precision.DISTRICT: 0.03,
                   Precision.REGION: 0.1, Precision.COUNTRY: 0.2}
"""What a vague place costs an incident's confidence, by the precision of its finest place."""
DOUBTS = (("hedged", 0.15), ("reported", 0.05), ("anaphoric", 0.2), ("focused", 0.3), ("inherited", 0.1))
"""What each sign of doubt costs: a hedge, reported speech, a place read from a nameless phrase or
from the document's focus, a type or place taken from the incident before."""


def confidence(draft: _Draft) -> float:
    """Rank an incident: a named weapon, counts and a date raise it; doubts and vague places lower it."""
    score = 0.6
    score += 0.15 if draft.subtype is not None else 0.0
    score += 0.1 if draft.killed is not None or draft.injured is not None else 0.0
    score += 0.05 if draft.date is not None else 0.0
    score -= sum(cost for name, cost in DOUBTS if getattr(draft, name))
    finest = min((t.place.precision for t in draft.places), key=_RANK.__getitem__)
    score -= PRECISION_DOUBT[finest]
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
    *,
    book: PlaceBook | None = None,
) -> list[Incident]:
    """Return the incidents a document tells, in reading order.

    ``book`` is the gazetteer that answers what region contains a town and what a country's capital
    is ("the surrounding region", "the capital"); None leaves such phrases unresolved.
    """
    assembler = _Assembler(text, sentences, toponyms, lexicon, info, book)
    for index, sentence in enumerate(sentences):
        assembler.read(index, sentence)
    drafts = sorted(assembler.drafts, key=lambda d: min(d.sentences))
    return [_finish(d, sentences, info) for d in drafts]
