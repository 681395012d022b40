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

The incident being assembled is an ``incidents.draft.Draft``; ``incidents.containment`` tells which
places are context, ``incidents.finish`` (with ``incidents.confidence``) turns drafts into incidents.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import replace

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
from incidents.containment import unique_places, without_context
from incidents.draft import DocumentInfo, Draft, belongs, conflicts, is_compatible
from incidents.finish import finish
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
from incidents.records import Incident, IncidentType, Sentence
from incidents.text import dateline_end
from incidents.when import resolve_date

FOLLOWUP_SENTENCES = 3
"""How many sentences after an incident may still add counts to it."""


def _places_by_type(
    scene: list[Toponym], triggers: tuple[Trigger, ...], offset: int
) -> dict[IncidentType, list[Toponym]]:
    """Group the scene places by the type of the trigger nearest to each."""
    groups: dict[IncidentType, list[Toponym]] = {}
    for toponym in scene:
        where = toponym.start - offset
        nearest = min(triggers, key=lambda t: min(abs(t.start - where), abs(t.end - where)))
        groups.setdefault(nearest.type, []).append(toponym)
    return {kind: unique_places(places) for kind, places in groups.items()}


def _split(kind: IncidentType, places: list[Toponym]) -> list[list[Toponym]]:
    """Return the place groups of separate incidents: one per town for strikes, one for an alert."""
    if kind == IncidentType.ALERT:
        return [places]
    return [[p] for p in without_context(places)]


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
        self.drafts: list[Draft] = []
        self.current: list[Draft] = []
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
            self._title_regions = unique_places(found)
        return self._title_regions

    def open(self, index: int, sentence: Sentence, cls: SentenceClass, scene: list[Toponym],
             reading: CasualtyReading, *, focused: bool = False) -> None:
        """Open (or join) the incidents a sentence with a trigger tells at its scene places."""
        date = resolve_date(sentence.text, self.lexicon, self.info.published, near=cls.triggers[0].start)
        by_type = _places_by_type(scene, cls.triggers, sentence.start)
        groups = [(kind, group) for kind, places in by_type.items() for group in _split(kind, places)]
        opened: list[Draft] = []
        for kind, group in groups:
            subtype = _subtype(cls.triggers, kind, group[0].start - sentence.start)
            draft = self._merge_target(kind, group, date, reading, cls)
            inferred = any((t.start, t.end) in self.inferred for t in group)
            if draft is None:
                draft = Draft(kind, subtype, list(group), [], date, anaphoric=inferred, focused=focused)
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
                      reading: CasualtyReading, cls: SentenceClass) -> Draft | None:
        """Return the earlier incident a group of places joins, or None for a new one."""
        if cls.distinct and not cls.followup:
            return None
        for draft in reversed(self.drafts):
            if is_compatible(draft, kind, group, date, reading):
                return draft
        if cls.followup and len(self.current) == 1:
            draft = self.current[0]
            if is_compatible(draft, kind, group, date, reading, nearby=True):
                return draft
        return None

    def confirm(self, draft: Draft, places: list[Toponym]) -> None:
        """Add places to an incident; a name told later replaces a nameless phrase for the same place."""
        named = {t.place.id: t for t in places if (t.start, t.end) not in self.inferred}
        kept = [named.pop(t.place.id, t) if (t.start, t.end) in self.inferred else t for t in draft.places]
        draft.places = unique_places([*kept, *places])
        if not any((t.start, t.end) in self.inferred for t in draft.places):
            draft.anaphoric = False

    def recent(self, index: int) -> list[Draft]:
        """Return the current incidents a sentence at ``index`` may still go on telling of."""
        return [d for d in self.current if index - d.latest() <= FOLLOWUP_SENTENCES]

    def derive(self, index: int, sentence: Sentence, model: Draft, kind: IncidentType,
               subtype: str | None, places: list[Toponym], reading: CasualtyReading, *,
               near: int = 0) -> None:
        """Open an incident whose type or places come from ``model`` (the incident just told)."""
        date = resolve_date(sentence.text, self.lexicon, self.info.published, near=near) or model.date
        draft = Draft(kind, subtype, places, [index], date, inherited=True)
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
        places = without_context(unique_places(scene))
        self.derive(index, sentence, model, model.type, model.subtype, places, reading)
        return True

    def split_off(self, index: int, sentence: Sentence, cls: SentenceClass, reading: CasualtyReading) -> bool:
        """Open an incident at the current one's places for a placeless attack with other counts.

        "Strikes on X killed 11. Four children were killed when a drone hit their tent." tells a
        second incident at X: its count contradicts the first one's. A follow-up ("the strike") or a
        sentence marking itself distinct ("elsewhere") opens nothing.
        """
        recent = self.recent(index)
        if len(recent) != 1 or cls.followup or cls.distinct or not conflicts(recent[0], reading):
            return False
        model = recent[0]
        trigger = cls.triggers[0]
        subtype = _subtype(cls.triggers, trigger.type, trigger.start)
        self.derive(index, sentence, model, trigger.type, subtype, list(model.places), reading,
                    near=trigger.start)
        return True

    def follow(self, index: int, reading: CasualtyReading, *, continuing: bool = False,
               draft: Draft | None = None) -> None:
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
        """Read one sentence: open, join, split off or add counts to incidents."""
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
        owners = [d for d in self.current if all(belongs(t, d) for t in scene)]
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


def _reported(text: str, lexicon: Lexicon) -> bool:
    """Tell whether a sentence reports what someone said ("according to", "said")."""
    return any(category(lexicon.places, name).search(text) is not None for name in ("source", "speech"))


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
    return [finish(d, sentences, info) for d in drafts]
