"""Resolve places a text names without a name, and the place a document is about.

"The capital" stands for the capital of the country in focus; "the surrounding region" or "la région"
right after a town for the town's first-level region; "our region" for the region an official's title
names when no town was just named; "the city" for the last town named. The words are lexicon
categories (``capital_anaphora``, ``region_anaphora``, ``anaphora``); a word followed by a name ("the
city of Izium", "місто Харків") is an apposition, not an anaphor. The gazetteer answers the questions
of containment (``region_of``) and, when it can, of capitals (``capital_of``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol, runtime_checkable

from gazetteer.records import MentionKind, Place, Precision, Toponym
from incidents.extract.lexicon import Lexicon, category, union

APPOSITION_GAP = 5
"""Characters between an anaphor and a name that make the name its apposition ("the city of X")."""
REGION_WINDOW = 2
"""How many sentences back a town may stand for "the surrounding region" to be its region."""

_FINE = frozenset({Precision.POINT, Precision.LOCALITY, Precision.DISTRICT})


@runtime_checkable
class PlaceBook(Protocol):
    """What focus resolution asks of a gazetteer (``capital_of`` is used when it has one)."""

    def region_of(self, place: Place) -> Place | None:
        """Return the first-level region containing ``place``, or None."""


class AnaphorKind(StrEnum):
    """What a nameless place phrase points at."""

    CAPITAL = "capital"
    SEAT = "seat"  # the seat of a region: "the regional capital", "обласний центр"
    COUNTRY = "country"  # the country in focus: "the whole country", "l'ensemble du pays"
    REGION = "region"
    PLACE = "place"


@dataclass(frozen=True, slots=True)
class Anaphor:
    """A nameless place phrase of a sentence; offsets are into the sentence."""

    start: int
    end: int
    text: str
    kind: AnaphorKind


@dataclass(frozen=True, slots=True)
class Seen:
    """A scene place read so far, with the index of its sentence."""

    sentence: int
    toponym: Toponym


_CATEGORIES = (("seat_anaphora", AnaphorKind.SEAT), ("country_anaphora", AnaphorKind.COUNTRY),
               ("capital_anaphora", AnaphorKind.CAPITAL), ("region_anaphora", AnaphorKind.REGION),
               ("anaphora", AnaphorKind.PLACE))
_NAMES = tuple(name for name, _ in _CATEGORIES)


def find_anaphors(text: str, lexicon: Lexicon, names: Sequence[tuple[int, int]] = ()) -> list[Anaphor]:
    """Return the nameless place phrases of sentence ``text`` in order.

    ``names`` are the spans of the place names of the sentence: a phrase overlapping one or right
    after one is part of it ("Київської області"), one right before one is its apposition.
    """
    found: list[Anaphor] = []
    if union(lexicon, "places", _NAMES).search(text) is None:  # most sentences have no such phrase
        return found
    for name, kind in _CATEGORIES:
        for match in category(lexicon.places, name).finditer(text):
            start, end = match.span()
            if any((start < e and s < end) or 0 <= s - end <= APPOSITION_GAP or 0 <= start - e <= 1
                   for s, e in names):
                continue  # part of a name, or its apposition ("la ville de Gaza", "Kharkiv Oblast")
            if not any(start < a.end and a.start < end for a in found):
                found.append(Anaphor(start, end, match.group(), kind))
    return sorted(found, key=lambda a: a.start)


def focus_country(seen: Sequence[Seen], ahead: Sequence[Toponym] = ()) -> str | None:
    """Return the country of the last scene place read, else of the first one ``ahead``, or None."""
    if seen:
        return seen[-1].toponym.place.country_code
    return ahead[0].place.country_code if ahead else None


def capital_place(country: str, book: PlaceBook | None, seen: Sequence[Seen]) -> Place | None:
    """Return the capital of ``country``: the gazetteer's when it knows, else its last town read."""
    capital_of = getattr(book, "capital_of", None)
    if callable(capital_of):
        found = capital_of(country)
        if isinstance(found, Place):
            return found
    towns = [s.toponym.place for s in seen
             if s.toponym.place.country_code == country and s.toponym.place.precision in _FINE]
    return towns[-1] if towns else None


def region_place(index: int, seen: Sequence[Seen], titles: Sequence[Toponym],
                 book: PlaceBook | None) -> Place | None:
    """Return the region a nameless region phrase in sentence ``index`` stands for, or None.

    The region of a town named in the last ``REGION_WINDOW`` sentences (or the region itself, when
    one was named), else the one region an official's title names.
    """
    if seen and index - seen[-1].sentence <= REGION_WINDOW:  # ``seen`` is in reading order
        last = seen[-1].toponym.place
        if last.precision == Precision.REGION:
            return last
        if last.precision in _FINE and book is not None:
            region = book.region_of(last)
            if region is not None:
                return region
    return titles[0].place if len(titles) == 1 else None


def seat_place(index: int, seen: Sequence[Seen], titles: Sequence[Toponym],
               book: PlaceBook | None) -> Place | None:
    """Return the seat of the region a "regional capital" phrase points at (see ``region_place``), or None."""
    region = region_place(index, seen, titles, book)
    seat_of = getattr(book, "seat_of", None)
    if region is None or not callable(seat_of):
        return None
    found = seat_of(region)
    return found if isinstance(found, Place) else None


def last_town(seen: Sequence[Seen]) -> Place | None:
    """Return the last town (or finer place) read as a scene, else the last scene, or None."""
    town = next((s.toponym.place for s in reversed(seen) if s.toponym.place.precision in _FINE), None)
    if town is not None:
        return town
    return seen[-1].toponym.place if seen else None


def demonym_country(anaphor: Anaphor, demonyms: Sequence[Toponym], offset: int) -> str | None:
    """Return the country a demonym in or beside the phrase names ("the Ukrainian capital"), or None.

    ``offset`` is where the sentence starts in the document (demonym spans index the document).
    """
    for toponym in demonyms:
        start, end = toponym.start - offset, toponym.end - offset
        inside = anaphor.start <= start and end <= anaphor.end
        beside = 0 <= start - anaphor.end <= 1 or 0 <= anaphor.start - end <= 1
        if toponym.kind == MentionKind.DEMONYM and (inside or beside):
            return toponym.place.country_code
    return None


def focus_place(titles: Sequence[Toponym], dateline: Sequence[Toponym]) -> Toponym | None:
    """Return the place a document is about when a sentence gives none: its one title region or dateline."""
    if len(titles) == 1:
        return titles[0]
    places = [t for t in dateline if t.kind == MentionKind.PLACE]
    return places[0] if len(places) == 1 else None
