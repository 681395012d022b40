"""The same-event rule: when two reports from different documents tell of one real-world event.

Two reports are of one event when they have the same type, their places coincide or one contains the
other, their day windows overlap, and nothing contradicts it:

- **Places.** Two points coincide when they lie within a town's reach of each other (the same town
  resolved to two gazetteer entries, a district in its city); a region contains the towns of its first-
  level division (the same ``admin1``, or within the region's radius); a country contains every place
  of its country code. The evidence is what the records carry: ``country_code``, ``admin1``,
  ``precision``, ``radius_km``, ``population`` and the distance between the points.
- **Days.** See ``reports.window``: overnight and a day's delay are allowed, two days apart are not.
- **Contradictions.** Two incidents of one document are never one event (the document told them apart);
  a drone attack and a missile, rocket or shelling attack are different weapons. An air strike or a
  bare "explosion" may be told of either and contradicts neither.

An event is a group of reports each pair of which passes (complete linkage), so a chain of near places
or near days never links reports that are far apart.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from gazetteer import geo
from gazetteer.normalize import fold_name
from gazetteer.records import Place, Precision
from incidents.events.reports import Report, Window, common_window, day_window

COINCIDE = 1.0
"""Strength of two places that are the same place."""
CONTAINS = 0.6
"""Strength of a place inside another (a district in its city, a town in its oblast)."""
IN_COUNTRY = 0.3
"""Strength of a place inside a country-wide report (the country named as the place)."""

WEAPON_FAMILIES = {"drone": "drone",
                   "missile": "projectile", "rocket": "projectile", "shelling": "projectile"}
"""Weapons that reports tell apart. Air strikes, bombs, debris and explosions are left out: an air
strike is flown by a drone or fires missiles, and an explosion is what either does."""

TOWN_REACH_KM = (2.0, 15.0)
"""A town's reach: 2 km for a village, growing with the square root of its population, at most 15 km
(a city of a million reaches about 9 km, Kyiv about 13)."""

_POINTS = frozenset({Precision.POINT, Precision.LOCALITY, Precision.DISTRICT})


def reach_km(place: Place) -> float:
    """Return how far from its point a place still is itself: a town's built-up area, a region's radius."""
    if place.precision not in _POINTS:
        return place.radius_km or 0.0
    low, high = TOWN_REACH_KM
    return min(high, low + math.sqrt(max(place.population, 0)) / 150)


def admin_key(place: Place) -> str:
    """Return the folded first-level division of a place ("" when the gazetteer has none)."""
    return _folded(place.admin1) if place.admin1 else ""


@lru_cache(maxsize=1 << 14)
def _folded(name: str) -> str:
    """Return ``fold_name(name)``, cached: grouping asks for the same few divisions millions of times."""
    return fold_name(name)


def same_division(a: Place, b: Place) -> bool:
    """Tell whether two places lie in one first-level division ("Moskovskaya" and "Moskovskaya oblast'")."""
    first, second = sorted((admin_key(a), admin_key(b)), key=len)
    return bool(first) and a.country_code == b.country_code and (
        second == first or second.startswith(first + " "))


@lru_cache(maxsize=1 << 16)
def place_relation(a: Place, b: Place) -> float:
    """Return how strongly two places are one scene: COINCIDE, CONTAINS, IN_COUNTRY, or 0.

    Cached by the two places' values: a report is compared with every member of every candidate
    event, and a corpus names the same few places again and again.
    """
    if a.id == b.id:
        return COINCIDE
    if a.precision == Precision.COUNTRY or b.precision == Precision.COUNTRY:
        if a.country_code != b.country_code:
            return 0.0
        both = a.precision == b.precision
        return COINCIDE if both else IN_COUNTRY
    a_point, b_point = a.precision in _POINTS, b.precision in _POINTS
    if a_point and b_point and abs(a.lat - b.lat) * 110.0 > max(reach_km(a), reach_km(b)):
        return 0.0  # a degree of latitude is over 110 km: too far apart, without measuring
    distance = geo.distance_km(a.lat, a.lon, b.lat, b.lon)
    if a_point and b_point:
        if distance > max(reach_km(a), reach_km(b)):
            return 0.0
        return COINCIDE if a.precision == b.precision else CONTAINS
    if not a_point and not b_point:  # two regions: the same division
        return COINCIDE if same_division(a, b) or distance <= 1.0 else 0.0
    region, point = (a, b) if b_point else (b, a)
    inside = same_division(region, point) or distance <= reach_km(region)
    return CONTAINS if inside and region.country_code == point.country_code else 0.0


def places_relation(a: Sequence[Place], b: Sequence[Place]) -> float:
    """Return the strongest relation between any place of one report and any place of the other."""
    return max((place_relation(p, q) for p in a for q in b), default=0.0)


def weapons_conflict(a: str | None, b: str | None) -> bool:
    """Tell whether two subtypes name weapons that reports tell apart (a drone and a missile)."""
    family_a, family_b = WEAPON_FAMILIES.get(a or ""), WEAPON_FAMILIES.get(b or "")
    return family_a is not None and family_b is not None and family_a != family_b


@dataclass(frozen=True, slots=True)
class Kind:
    """What the rule reads of a report besides its type and document: reports of one kind answer alike.

    Its hash is computed once: kinds key the rule's caches, and hashing their places each time cost more
    than the rule.
    """

    subtype: str | None
    date: dt.date | None
    published: dt.date | None
    places: tuple[Place, ...]
    hashed: int = field(init=False, compare=False, repr=False)
    place_ids: frozenset[str] = field(init=False, compare=False, repr=False)
    """The ids of the places: two kinds sharing one have places that coincide, the strongest relation."""
    window: Window | None = field(init=False, compare=False, repr=False)
    """``day_window`` of the date and the publication date."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "hashed", hash((self.subtype, self.date, self.published, self.places)))
        object.__setattr__(self, "place_ids", frozenset(place.id for place in self.places))
        object.__setattr__(self, "window", day_window(self.date, self.published))

    def __hash__(self) -> int:
        return self.hashed


def kind_of(report: Report) -> Kind:
    """Return the kind of a report."""
    return Kind(report.subtype, report.date, report.published, report.places)


@lru_cache(maxsize=1 << 16)
def _kind_strength(a: Kind, b: Kind) -> float:
    """Return ``pair_strength`` for two reports of these kinds, of one type and two documents."""
    if weapons_conflict(a.subtype, b.subtype):
        return 0.0
    if common_window((a.window, b.window)) is False:
        return 0.0
    if not a.place_ids.isdisjoint(b.place_ids):
        return COINCIDE  # what places_relation gives at once, without comparing every pair
    return places_relation(a.places, b.places)


def pair_strength(a: Report, b: Report) -> float:
    """Return how strongly two reports are one event (their places' relation), or 0 when they are not."""
    if a.type != b.type or a.doc_id == b.doc_id:
        return 0.0
    return _kind_strength(kind_of(a), kind_of(b))


def join_strength(report: Report, members: Iterable[Report]) -> float:
    """Return how strongly a report joins an event: 0 unless it is one event with every member.

    The strength is the best place relation with a member, plus a little for each agreeing detail
    (the same weapon, the same day), so the closest of several possible events wins.
    """
    kinds: dict[Kind, None] = {}
    for member in members:
        if member.doc_id == report.doc_id or member.type != report.type:
            return 0.0  # what pair_strength says first: two incidents of one document, two types
        kinds[kind_of(member)] = None
    return join_kinds(kind_of(report), tuple(kinds)) if kinds else 0.0


def join_kinds(report: Kind, members: tuple[Kind, ...]) -> float:
    """Return ``join_strength`` for a report of one kind and an event's distinct kinds (an event told by
    many documents holds many reports of one place and day)."""
    join = Join(report)
    join.fold(members)
    return join.value


@dataclass
class Join:
    """``join_kinds`` of one report kind, folded over an event's kinds as they come (kinds are only ever
    added to an event, so a grouper asks only of the kinds it has not folded yet)."""

    report: Kind
    folded: int = 0
    refused: bool = False
    best: float = 0.0
    first_day: dt.date | None = None
    last_day: dt.date | None = None
    same_weapon: bool = False
    same_day: bool = False
    value: float = 0.0
    """The join strength over the members folded so far."""

    def __post_init__(self) -> None:
        window = self.report.window
        if window is not None:
            self.first_day, self.last_day = window

    def fold(self, members: Sequence[Kind]) -> None:
        """Fold the members past the ones already folded (``members`` grows, never changes)."""
        for member in members[self.folded:]:
            self.folded += 1
            if self.refused:
                continue
            strength = _kind_strength(self.report, member)
            if strength <= 0.0:
                self.refused = True  # not one event with every member
                continue
            self.best = max(self.best, strength)
            window = member.window
            if window is not None:  # the days every window allows (see reports.common_window)
                self.first_day = window[0] if self.first_day is None else max(self.first_day, window[0])
                self.last_day = window[1] if self.last_day is None else min(self.last_day, window[1])
            subtype, date = self.report.subtype, self.report.date
            self.same_weapon = self.same_weapon or (subtype is not None and subtype == member.subtype)
            self.same_day = self.same_day or (date is not None and date == member.date)
        apart = self.first_day is not None and self.last_day is not None and self.first_day > self.last_day
        if self.refused or self.folded == 0 or apart:
            self.value = 0.0
        else:
            self.value = self.best + 0.05 * self.same_weapon + 0.05 * self.same_day
