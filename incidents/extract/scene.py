"""Scene places of a sentence: the named places an incident happened at, and nameless ones.

A place is a scene when a locative or an attack verb governs it (``classify.place_role``); the seat of a
source ("the ministry in Gaza") is not when another place is. Nameless phrases ("the capital", "our
region", "the city") stand for a place ``focus`` finds from what the text said before.
"""

from __future__ import annotations

import bisect

from gazetteer.records import Place, Precision, Toponym
from incidents.extract.classify import (
    PlaceRole,
    SentenceClass,
    is_passive_patient,
    is_source_seat,
    place_role,
)
from incidents.extract.containment import unique_places
from incidents.extract.focus import (
    Anaphor,
    AnaphorKind,
    Seen,
    capital_place,
    demonym_country,
    find_anaphors,
    focus_country,
    last_town,
    region_place,
)
from incidents.extract.reading import ReadingState
from incidents.records import Sentence


class SceneReading(ReadingState):
    """Find the places each sentence's incidents happened at."""

    _by_start: tuple[list[int], list[int]] | None = None
    """The toponyms' starts in order and their indices in ``toponyms`` (built on first use)."""

    def scene_places(self, index: int, sentence: Sentence, cls: SentenceClass) -> tuple[list[Toponym], bool]:
        """Return the sentence's scene places (named or nameless) and whether it names any place."""
        inside = self.toponyms_inside(sentence)
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
                for toponym in self.toponyms_inside(sentence):
                    if (toponym.place.precision == Precision.REGION
                            and place_role(sentence.text, toponym.start - sentence.start,
                                           toponym.end - sentence.start, self.lexicon) == PlaceRole.TITLE):
                        found.append(toponym)
            self._title_regions = unique_places(found)
        return self._title_regions

    def toponyms_inside(self, sentence: Sentence) -> list[Toponym]:
        """Return the toponyms within a sentence, in document order, by binary search over their starts.

        Scanning every toponym for every sentence made long documents quadratic.
        """
        order = self._by_start
        if order is None or len(order[0]) != len(self.toponyms):
            ranked = sorted(range(len(self.toponyms)), key=lambda i: self.toponyms[i].start)
            order = ([self.toponyms[i].start for i in ranked], ranked)
            self._by_start = order
        starts, ranked = order
        lo, hi = bisect.bisect_left(starts, sentence.start), bisect.bisect_right(starts, sentence.end)
        chosen = sorted(i for i in ranked[lo:hi] if self.toponyms[i].end <= sentence.end)
        return [self.toponyms[i] for i in chosen]
