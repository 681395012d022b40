"""Counts and incidents told after an incident: follow-up counts, subtotals at other places, split-offs.

Later sentences without a place of their own add counts to the current incident, never overwriting
one. A count told at another place right after an incident, with no trigger of its own, is an
incident of the same type at that place; a placeless attack whose count contradicts the current
incident's is a second incident at its places.
"""

from __future__ import annotations

from gazetteer.records import Precision, Toponym
from incidents.extract.casualties import CasualtyReading
from incidents.extract.classify import SentenceClass
from incidents.extract.containment import contains, unique_places, without_context
from incidents.extract.draft import Draft, belongs, conflicts, is_compatible
from incidents.extract.reading import FOLLOWUP_SENTENCES, ReadingState, alternative_toll
from incidents.extract.subtypes import subtype_near
from incidents.records import IncidentType, Sentence


class FollowUpReading(ReadingState):
    """Give counts told after an incident to it, or to the incident they tell of."""

    def subtotal(self, index: int, sentence: Sentence, scene: list[Toponym],
                 reading: CasualtyReading) -> bool:
        """Open an incident for a count told at another place right after an incident, with no trigger.

        "The toll rose to 43. It includes 33 people in Kyiv." gives Kyiv its own incident of the
        same type; the count must be a number, so a campaign total or a vague amount opens nothing.
        At the place of an earlier incident it agrees with, the count is that incident's.
        """
        if reading.killed is None and reading.injured is None:
            return False
        recent = self.recent(index)
        if not recent:
            return False
        model = recent[0]
        places = without_context(unique_places(scene))
        earlier = next((d for d in self.told_at(places)
                        if is_compatible(d, IncidentType.STRIKE, places, None, reading)
                        and not self.other_day(index, d)), None)
        if earlier is not None:
            # A toll told again at an earlier incident's place ("the 20 killed in Odesa"): that incident.
            earlier.add_counts(reading)
            return True
        if model.type == IncidentType.ALERT:
            return False  # a siren kills no one: counts open no alert
        self.derive(index, sentence, model, model.type, model.subtype, places, reading)
        return True

    def split_off(self, index: int, sentence: Sentence, cls: SentenceClass, reading: CasualtyReading) -> bool:
        """Open an incident at the current one's places for a placeless attack with other counts.

        "Strikes on X killed 11. Four children were killed when a drone hit their tent." tells a
        second incident at X: its count contradicts the first one's. A follow-up ("the strike"), a
        sentence marking itself distinct ("elsewhere") or another source's toll ("the separatists
        speak of 21 dead") opens nothing.
        """
        recent = self.recent(index)
        if (len(recent) != 1 or cls.followup or cls.distinct or not conflicts(recent[0], reading)
                or self.other_day(index, recent[0]) or alternative_toll(sentence.text, self.lexicon)):
            return False
        model = recent[0]
        trigger = cls.triggers[0]
        subtype = subtype_near(cls.triggers, trigger.type, trigger.start)
        self.derive(index, sentence, model, trigger.type, subtype, list(model.places), reading,
                    near=trigger.start)
        return True

    def follow(self, index: int, reading: CasualtyReading, *, continuing: bool = False,
               alert: bool = False, followup: bool = False, draft: Draft | None = None) -> None:
        """Add a later sentence's counts to the current incident (or ``draft``, one of them).

        A sentence that still tells of the attack with no place of its own ("Debris fell in two
        districts") is ``continuing``: it keeps the window for counts open ``FOLLOWUP_SENTENCES`` on.
        It goes on telling a current alert only when it tells of an ``alert`` itself; a strike told
        during an alert goes on telling the last strike. A ``followup`` names the attack, so a date
        in it is not another attack's.
        """
        if draft is None:
            if (len(self.current) == 1 and self.current[0].type == IncidentType.ALERT and continuing
                    and alert):
                draft = self.current[0]
            else:
                draft = self.count_target(index)
            if draft is None:
                return
        # A sentence that names the attack it goes on telling ("the deadly attack") dates something
        # else ("rescue work ended on March 3"), not another attack.
        if index - draft.latest() > FOLLOWUP_SENTENCES or (not followup and self.other_day(index, draft)):
            return
        if continuing:
            draft.last = index
        if reading.empty:
            return
        draft.add_counts(reading)
        if index not in draft.sentences:
            draft.sentences.append(index)

    def tells_of_current(self, sentence: Sentence) -> bool:
        """Tell whether a place the sentence names is (or contains) a place of a current incident."""
        inside = [t for t in self.toponyms_inside(sentence) if t.place.precision != Precision.COUNTRY]
        return not inside or any(belongs(t, d) or any(contains(q, t) for q in d.places)
                                 for t in inside for d in self.current)

    def read_counts(self, index: int, sentence: Sentence, scene: list[Toponym], named: bool,
                    reading: CasualtyReading) -> None:
        """Give a sentence's counts, with no trigger, to the incident of its place (or start one)."""
        owners = [d for d in self.current if all(belongs(t, d) for t in scene)]
        if not scene and named and not self.tells_of_current(sentence):
            return  # "The governors of X and Y reported no casualties": counts of other places
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
