"""Scene places of a sentence: the named places an incident happened at, and nameless ones.

A place is a scene when a locative or an attack verb governs it (``classify.place_role``); the seat of a
source ("the ministry in Gaza") is not when another place is. Nameless phrases ("the capital", "our
region", "the city") stand for a place ``focus`` finds from what the text said before.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections import Counter
from dataclasses import replace

from gazetteer.records import MentionKind, Place, Precision, Toponym
from incidents.extract.classify import (
    PlaceRole,
    SentenceClass,
    Trigger,
    agent_voice,
    clause_bounds,
    is_actor,
    is_passive_patient,
    is_source_seat,
    place_role,
)
from incidents.extract.containment import PRECISION_RANK, unique_places
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
    seat_place,
)
from incidents.extract.lexicon import Lexicon, category
from incidents.extract.reading import ReadingState
from incidents.extract.text import tokens_of
from incidents.records import IncidentType, Sentence

WATER_FEATURES = frozenset({"SEA", "OCN", "GULF", "BAY", "BGHT", "STRT", "CHN", "LK", "LKS", "STM", "STMS",
                            "RSV"})
"""GeoNames feature codes of water bodies: seas, gulfs, straits, lakes, rivers, reservoirs."""


SUBJECT_PRECISIONS = frozenset({Precision.LOCALITY, Precision.DISTRICT, Precision.POINT})
"""Places fine enough to be the subject of an attack sentence ("the city of X was hit")."""
SEEN_TAIL = 200
"""How many of the latest places read a nameless phrase is resolved against."""
AROUND_KM = 25.0
"""How far from its reference place an incident told as "3 km east of X" or "south of X" may be."""


FAR_KM = 50.0
"""A reference place further than this from the incident ("244 km northeast of X") is no scene."""
_DISTANCE = re.compile(r"(\d+(?:[.,]\d+)?)\s*(km|kilomet\w*|mi\b|miles?|км|кілометр\w*|километр\w*)",
                       re.IGNORECASE)
_MILE_KM = 1.609


def distance_before(sentence: Sentence, toponym: Toponym) -> float | None:
    """Return the distance in km a sentence gives right before a reference place ("20 km north of X")."""
    head = sentence.text[max(0, toponym.start - sentence.start - 45) : toponym.start - sentence.start]
    found = list(_DISTANCE.finditer(head))
    if not found:
        return None
    value = float(found[-1].group(1).replace(",", "."))
    return value * _MILE_KM if found[-1].group(2).lower().startswith("mi") else value


def around(toponym: Toponym, distance: float | None = None) -> Toponym:
    """Return a reference place ("east of Gaza City") as the scene, at district precision.

    The incident is near the place, not at it: the way ACLED codes such reports, the place stands
    for the area around it, so its precision is lowered and its radius widened.
    """
    place = toponym.place
    if PRECISION_RANK[place.precision] >= PRECISION_RANK[Precision.DISTRICT]:
        return toponym
    radius = max(place.radius_km or 0.0, AROUND_KM, 1.25 * (distance or 0.0))
    return replace(toponym, place=replace(place, precision=Precision.DISTRICT, radius_km=radius))


#: A bracket of places after a capitalised name ("Aitaroun (Bint Jbeil, Nabatieh)").
_UNKNOWN_HEAD = re.compile(r"[A-Z\u0400-\u042f][^\W\d_]+\s*\((?=[^()]*,)([^()]{3,160})\)")
_KIND_WORD = re.compile(r"\s+[^\W\d_A-Z]{2,12}\s*(?=\()")


def in_gloss(text: str, spans: tuple[tuple[int, int], ...]) -> set[tuple[int, int]]:
    """Return the place spans inside a bracket that opens right after another place ("X (Y, Z)"), also
    after one lower-case word for its kind ("Nikopol city (Nikopol, Dnipropetrovsk)", ACLED's notes)."""
    glossed: set[tuple[int, int]] = set()
    for _, end in spans:
        rest = text[end:]
        kind = _KIND_WORD.match(rest)
        opening = kind.end() if kind else len(rest) - len(rest.lstrip())
        if rest[opening : opening + 1] != "(":
            continue
        close = rest.find(")", opening)
        stop = end + (close if close >= 0 else len(rest))
        glossed.update(s for s in spans if end < s[0] and s[1] <= stop)
    for bracket in _UNKNOWN_HEAD.finditer(text):
        # "in Aitaroun (Bint Jbeil, Nabatieh)" with a village the gazetteer lacks: its first known
        # container is the scene, the ones after it are where that lies.
        inner = sorted(s for s in spans if bracket.start(1) <= s[0] and s[1] <= bracket.end(1))
        glossed.update(inner[1:])
    return glossed


def subject_places(unmarked: list[Toponym], sentence: Sentence, cls: SentenceClass, lexicon: Lexicon
                   ) -> list[Toponym]:
    """Return the one town an attack sentence names with no role word, or nothing.

    "The northern city of Kharkiv came under attack", "Het dorp Khiam werd getroffen": with no
    other place, the one unmarked town or district before the attack word (its subject) is what the
    attack hit; not when it acted with the attack ("Washington responded with air strikes").
    """
    trigger = min(cls.triggers, key=lambda t: t.start)
    first = trigger.start + sentence.start
    found = [t for t in unmarked if t.end <= first and t.place.precision in SUBJECT_PRECISIONS
             and not _acted(sentence.text, t.start - sentence.start, t.end - sentence.start, trigger, cls,
                            lexicon)]
    return found if len(unique_places(found)) == 1 else []


def without_near_references(scene: list[Toponym], sentence: Sentence, lexicon: Lexicon) -> list[Toponym]:
    """Drop a place told as near the scene place just before it: "shelling in Bilozerka near Kherson".

    The town is where it happened; the place it lies near only says where the town is. A place near
    a region, or told near nothing, stays (it is the best place the text gives).
    """
    near = category(lexicon.places, "near")
    kept: list[Toponym] = []
    for toponym in scene:
        previous = kept[-1] if kept else None
        gap = sentence.text[previous.end - sentence.start:toponym.start - sentence.start] if previous else ""
        if (previous is not None and previous.place.precision in SUBJECT_PRECISIONS
                and near.fullmatch(gap.strip(" ,"))):
            continue
        kept.append(toponym)
    return kept


def _acted(text: str, start: int, end: int, trigger: Trigger, cls: SentenceClass, lexicon: Lexicon) -> bool:
    """Tell whether a place opening its clause acted with the attack ("Washington responded with air
    strikes", "Den Haag reageerde met luchtaanvallen"): a metonym for a government, not a scene.

    Only a place at the head of its clause (an article may precede it) is its subject; a place further
    in may be an object ("Rusland heeft Odesa met drones bestookt").
    """
    clause_start, _ = clause_bounds(text, start)
    if len([t for t in tokens_of(text) if clause_start <= t.start < start]) > 1:
        return False
    return agent_voice(text, end, trigger, cls.triggers, lexicon) == "active"


class SceneReading(ReadingState):
    """Find the places each sentence's incidents happened at."""

    _by_start: tuple[list[int], list[int]] | None = None
    """The toponyms' starts in order and their indices in ``toponyms`` (built on first use)."""

    def scene_places(self, index: int, sentence: Sentence, cls: SentenceClass) -> tuple[list[Toponym], bool]:
        """Return the sentence's scene places (named or nameless) and whether it names any place.

        With no place marked as a scene: a reference place ("east of X"), else the attack's subject
        town, else the one region or town an official's title names ("the governor of X region said
        drones wounded three", "X Mayor Y said a bomb hit"): officials report attacks on their own area.
        """
        inside = self.toponyms_inside(sentence)
        spans = tuple((t.start - sentence.start, t.end - sentence.start) for t in inside)
        scene = []
        seats = []
        relative = []
        unmarked = []
        titled = []
        glossed = in_gloss(sentence.text, spans)
        for toponym, (start, end) in zip(inside, spans, strict=True):
            if (start, end) in glossed:
                continue  # "in Ariha (Idlib)": the bracket names where the place lies, no second scene
            if toponym.place.feature in WATER_FEATURES:
                continue  # a sea or a river is where something passed, not a place struck
            if toponym.place.precision == Precision.COUNTRY and is_actor(
                    sentence.text, end, cls.triggers, self.lexicon):
                continue
            others = tuple(s for s in spans if s != (start, end))
            role = place_role(sentence.text, start, end, self.lexicon, others=others)
            if role == PlaceRole.UNMARKED:
                unmarked.append(toponym)
            if role == PlaceRole.TITLE and toponym.place.precision != Precision.COUNTRY:
                titled.append(toponym)  # "the X regional governor", "Kharkiv Mayor Y said a bomb ..."
            if role == PlaceRole.RELATIVE:
                relative.append(toponym)
            if role == PlaceRole.SCENE or (
                role == PlaceRole.UNMARKED
                and is_passive_patient(sentence.text, end, cls.triggers, self.lexicon)
            ):
                scene.append(toponym)
                if is_source_seat(sentence.text, start, end, self.lexicon, (*cls.triggers, *cls.dropped)):
                    seats.append(toponym)
        scene = without_near_references(scene, sentence, self.lexicon)
        if not scene:
            scene = self.alert_places(sentence, cls, inside)
        if not scene and cls.is_incident:
            away = [(t, distance_before(sentence, t)) for t in relative]
            scene = ([around(t, km) for t, km in away if (km or 0.0) <= FAR_KM]
                     or subject_places(unmarked, sentence, cls, self.lexicon)
                     or (titled if len(unique_places(titled)) == 1 and not unmarked else []))
        # The seat of a source ("the ministry in Gaza") is no scene when another place is one; a
        # country where someone speaks ("in Israel they say") never is.
        named = ([t for t in scene if t not in seats]
                 or [t for t in scene if t.place.precision != Precision.COUNTRY])
        return [*named, *self.nameless_places(index, sentence, named, spans)], bool(inside)

    def alert_places(self, sentence: Sentence, cls: SentenceClass, inside: list[Toponym]) -> list[Toponym]:
        """Return the places in an alert trigger's clause when no place is marked as a scene.

        "Voor Kyiv gold raketgevaar", "Kyiv was placed under alert": where a siren sounds is told
        with many constructions, and a place in the clause of the alert word is where it sounds.
        """
        alerts = [t for t in cls.triggers if t.type == IncidentType.ALERT]
        found: list[Toponym] = []
        for trigger in alerts:
            start, end = clause_bounds(sentence.text, trigger.start)
            found.extend(t for t in inside if start <= t.start - sentence.start
                         and t.end - sentence.start <= end and t.place.precision != Precision.COUNTRY)
        return unique_places(found)

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
        # Only the latest places matter to a nameless phrase: a bounded tail keeps long texts linear.
        before = [*self.seen[-SEEN_TAIL:],
                  *(Seen(index, t) for t in named if t.start < sentence.start + anaphor.start)]
        if anaphor.kind == AnaphorKind.CAPITAL:
            country = (demonym_country(anaphor, self.demonyms, sentence.start)
                       or focus_country(before, named) or self.document_country)
            return None if country is None else capital_place(country, self.book, before)
        if anaphor.kind == AnaphorKind.COUNTRY:
            return self.country_place(focus_country(before, named) or self.document_country)
        if anaphor.kind == AnaphorKind.SEAT:
            # The region named last, as a scene or not (a region named where a missile was downed).
            earlier = [s for s in self.named[-SEEN_TAIL:] if s.toponym.start < sentence.start + anaphor.start]
            return seat_place(index, earlier, self.title_regions(), self.book)
        if anaphor.kind == AnaphorKind.REGION:
            return region_place(index, before, self.title_regions(), self.book)
        return last_town(before) or self.dateline_town()

    def dateline_town(self) -> Place | None:
        """Return the town of the document's dateline ("ODESA, Ukraine (AP) -"), or None: where "the city"
        points when no town was read before it."""
        towns = [t.place for t in self.dateline
                 if t.kind == MentionKind.PLACE and t.place.precision in SUBJECT_PRECISIONS]
        return towns[0] if towns else None

    def country_place(self, code: str | None) -> Place | None:
        """Return the place of a country the document names (as a place or a people), or None."""
        for toponym in [*self.toponyms, *self.demonyms]:
            if toponym.place.country_code == code and toponym.place.precision == Precision.COUNTRY:
                return toponym.place
        return None

    @functools.cached_property
    def document_country(self) -> str | None:
        """The country the document names most often (its places, then its peoples), or None.

        "Sudan's army shelled the capital": with no scene place read yet, the capital is the capital
        of the country the text is about.
        """
        named = [*self.dateline, *self.toponyms]  # the dateline says where the text is written from
        counts = Counter(t.place.country_code for t in named
                         if t.kind == MentionKind.PLACE and t.place.country_code)
        if not counts:
            counts = Counter(t.place.country_code for t in self.demonyms if t.place.country_code)
        ranked = counts.most_common(2)
        if not ranked or (len(ranked) == 2 and ranked[0][1] == ranked[1][1]):
            return None
        return ranked[0][0]

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
