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
region", "our region") are resolved by ``incidents.extract.focus``; an alert told with no place at all is
placed at the document's focus (one official's region, or the dateline town), with low confidence.

The incident being assembled is an ``draft.Draft``; ``containment`` tells which
places are context, ``finish`` (with ``confidence``) turns drafts into incidents.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from gazetteer.records import Precision, Toponym
from incidents.extract.alerts import AlertReading
from incidents.extract.casualties import CasualtyReading, elided_count, read_casualties
from incidents.extract.classify import SentenceClass, classify_sentence, strong_clause_bounds
from incidents.extract.clauses import clause_spans
from incidents.extract.draft import DocumentInfo, Draft, belongs, drop_country_context, is_compatible
from incidents.extract.finish import finish
from incidents.extract.focus import PlaceBook, Seen
from incidents.extract.followup import FollowUpReading
from incidents.extract.lexicon import Lexicon, category
from incidents.extract.reading import FOLLOWUP_SENTENCES, alternative_toll, reported
from incidents.extract.scene import SceneReading
from incidents.extract.shares import own_share, share_before
from incidents.extract.subtypes import places_by_type, split_places, subtype_near
from incidents.extract.when import resolve_date
from incidents.records import Incident, IncidentType, Sentence

STALE_DAYS = 2
"""Days before publication from which a dated sentence no longer goes on telling an undated alert."""


class _Assembler(SceneReading, FollowUpReading, AlertReading):
    """Walk the sentences of one document in order, keeping the incidents told so far."""

    def read(self, index: int, sentence: Sentence) -> None:
        """Read one sentence: open, join, split off or add counts to incidents."""
        cls = classify_sentence(sentence.text, self.lexicon)
        reading = read_casualties(sentence.text, self.lexicon)
        inside = self.toponyms_inside(sentence)
        self.named.extend(Seen(index, t) for t in inside)
        if not cls.is_incident and reading.empty:
            if inside:  # a place told before the attack that names none ("In X a fire broke out.")
                self.pending = (index, sentence, cls)
            return
        scene, named = self.scene_places(index, sentence, cls)
        if cls.is_incident and not scene:
            scene = self.place_told_before(index, cls)
        if cls.is_incident:
            if scene:
                self.open(index, sentence, cls, scene, reading)
            elif cls.distinct and not cls.followup:
                self.current = []
            elif not (self.split_off(index, sentence, cls, reading)
                      or (not named and self.focus(index, sentence, cls, reading))):
                self.follow(index, reading, continuing=True, followup=cls.followup,
                            alert=any(t.type == IncidentType.ALERT for t in cls.triggers))
        else:
            self.read_counts(index, sentence, scene, named, reading)
        self.seen.extend(Seen(index, t) for t in scene)

    def place_told_before(self, index: int, cls: SentenceClass) -> list[Toponym]:
        """Return the scene places of the sentence just before, when it told a place and no attack.

        "In the port of X a fire was reported. The building was probably hit by shrapnel." places the
        hit at X; a country is too coarse to carry. A follow-up ("the strike") goes on telling the
        current incident instead, and places that are all the current incident's already add nothing.
        """
        if self.pending is None or self.pending[0] != index - 1 or cls.followup:
            return []
        places = [t for t in self.scene_places(*self.pending)[0]  # found only when asked: most are not
                  if t.place.precision != Precision.COUNTRY]
        if all(any(belongs(t, d) for d in self.current) for t in places):
            return []
        return places

    def open(self, index: int, sentence: Sentence, cls: SentenceClass, scene: list[Toponym],
             reading: CasualtyReading, *, focused: bool = False) -> None:
        """Open (or join) the incidents a sentence with a trigger tells at its scene places."""
        date = resolve_date(sentence.text, self.lexicon, self.info.published, near=cls.triggers[0].start)
        by_type = places_by_type(with_trigger(scene, cls, sentence), cls.triggers, sentence.start,
                                 counts=not reading.empty, text=sentence.text)
        groups = [(kind, group) for kind, places in by_type.items() for group in split_places(kind, places)]
        readings = self.group_readings(sentence, groups, reading)
        opened: list[Draft] = []
        for (kind, group), own in zip(groups, readings, strict=True):
            subtype = subtype_near(cls.triggers, kind, group[0].start - sentence.start)
            draft = self._merge_target(index, kind, group, date, reading, cls)
            inferred = any((t.start, t.end) in self.inferred for t in group)
            if draft is None:
                draft = Draft(kind, subtype, list(group), [], date, anaphoric=inferred, focused=focused)
                self.add_draft(draft)
            else:
                self.confirm(draft, group)
                draft.subtype = draft.subtype or subtype
                draft.date = draft.date or date
            if index not in draft.sentences:
                draft.sentences.append(index)
            draft.hedged = draft.hedged or cls.hedged
            draft.reported = draft.reported or reported(sentence.text, self.lexicon)
            if own is not None:
                draft.add_counts(own)
            opened.append(draft)
        self.current = opened

    def recent_alert(self, index: int, date: dt.date | None) -> Draft | None:
        """Return the alert told in the last few sentences that a new alert sentence goes on telling."""
        for draft in reversed(self.alerts):
            if index - draft.latest() <= FOLLOWUP_SENTENCES:
                return draft if self.same_day(draft.date, date) else None
        return None

    def same_day(self, told: dt.date | None, date: dt.date | None) -> bool:
        """Tell whether a new date agrees with an incident's (an undated one is of the last day or two).

        An incident told with no date is of the publication day or the night before; a sentence dated
        two or more days before publication ("last Sunday") tells of another one.
        """
        if date is None:
            return True
        if told is not None:
            return date == told
        published = self.info.published
        return published is None or (published - date).days < STALE_DAYS

    def group_readings(self, sentence: Sentence, groups: list[tuple[IncidentType, list[Toponym]]],
                       reading: CasualtyReading) -> list[CasualtyReading | None]:
        """Return the counts each place group of a sentence has for itself (None: no counts of its own).

        A place given its own share of the total ("including 12 in Khan Younis") has that share.
        """
        shares = [next((share for t in g if (share := share_before(sentence.text, t.start - sentence.start,
                                                                   self.lexicon)) is not None), None)
                  for _, g in groups]
        if any(share is not None for share in shares) and not reading.empty:
            return [own_share(reading, share) if share is not None else None for share in shares]
        if len(groups) == 1:
            return [reading]
        if reading.empty:
            return [None] * len(groups)
        if [kind for kind, _ in groups].count(IncidentType.STRIKE) == 1 and all(
                kind in (IncidentType.STRIKE, IncidentType.ALERT) for kind, _ in groups):
            # An alert and one strike told together: the counts are the strike's (an alert kills no one).
            return [reading if kind == IncidentType.STRIKE else None for kind, _ in groups]
        anchors = [(min(t.start for t in g) - sentence.start, max(t.end for t in g) - sentence.start)
                   for _, g in groups]
        order = sorted(range(len(groups)), key=lambda i: anchors[i])
        spans = clause_spans([anchors[i] for i in order], sentence.text,
                             category(self.lexicon.places, "clause_links"))
        readings: list[CasualtyReading | None] = [None] * len(groups)
        for i, span in zip(order, spans, strict=True):
            if span is not None:
                clause = sentence.text[span[0]:span[1]]
                own = read_casualties(clause, self.lexicon)
                readings[i] = own if not own.empty else elided_count(clause, reading, self.lexicon)
        return readings

    def _merge_target(self, index: int, kind: IncidentType, group: list[Toponym], date: dt.date | None,
                      reading: CasualtyReading, cls: SentenceClass) -> Draft | None:
        """Return the earlier incident a group of places joins, or None for a new one.

        An alert told on over the next sentences ("Sirens sounded in X. In Y and Z too.") is one
        alert whatever places it adds, unless it sounds again ("again", "erneut") or on another day.
        Another source's toll for the same places ("the separatists speak of 21 dead") is the same
        incident told by someone else: it joins it and keeps the count first given.
        """
        if kind == IncidentType.ALERT:
            if cls.repeat:
                return None
            recent = self.recent_alert(index, date)
            if recent is not None:
                return recent
        if cls.distinct and not cls.followup:
            return None
        for draft in self.told_at(group):  # only an incident sharing a place can be compatible
            if is_compatible(draft, kind, group, date, reading):
                return draft
        if cls.followup and len(self.current) == 1:
            draft = self.current[0]
            if is_compatible(draft, kind, group, date, reading, nearby=True):
                return draft
        if alternative_toll(self.sentences[index].text, self.lexicon):
            ids = {t.place.id for t in group}
            for draft in self.told_at(group):
                if draft.place_ids() == ids and is_compatible(draft, kind, group, date, CasualtyReading()):
                    return draft
        return None


def with_trigger(scene: list[Toponym], cls: SentenceClass, sentence: Sentence) -> list[Toponym]:
    """Keep the scene places told in a part of the sentence (between semicolons) that has a trigger.

    "A strike on X killed six; 48,000 have been killed in Gaza to date": Gaza is no strike's place.
    When no part with a place has a trigger, all places stay.
    """
    parts = {strong_clause_bounds(sentence.text, t.start) for t in cls.triggers}
    kept = [t for t in scene
            if any(a <= t.start - sentence.start < b for a, b in parts)]
    return kept or scene




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
    drafts = sorted(drop_country_context(assembler.drafts), key=lambda d: min(d.sentences))
    return [finish(d, sentences, info, text=text) for d in drafts]
