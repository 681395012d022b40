"""Group a sentence's scene places by incident type and tell each incident's subtype (its weapon)."""

from __future__ import annotations

from collections.abc import Callable

from gazetteer.records import Precision, Toponym
from incidents.extract.classify import Trigger, strong_clause_bounds
from incidents.extract.containment import unique_places, without_context
from incidents.records import IncidentType


def places_by_type(
    scene: list[Toponym], triggers: tuple[Trigger, ...], offset: int, *, text: str, counts: bool = False
) -> dict[IncidentType, list[Toponym]]:
    """Group the scene places by the type of the trigger that governs each: the nearest before it,
    else the nearest after it, among the triggers of its own clause (between semicolons, colons and
    dashes of the sentence ``text``) when it has any. ``counts``: the sentence gives casualty counts."""
    groups: dict[IncidentType, list[Toponym]] = {}
    for toponym in scene:
        where = toponym.start - offset
        # "Rockets were fired at the north; sirens sounded in X and Y": the clause's own alert.
        first, last = strong_clause_bounds(text, where)
        own = [t for t in triggers if first <= t.start and t.end <= last]
        # The trigger that governs a place stands before it when one does ("sirens sounded in X and
        # in Y after a missile launch": both the alert's); else the nearest after it ("X was hit").
        near = own or list(triggers)
        before = [t for t in near if t.end <= where]
        candidates = before or near
        nearest = min(candidates, key=lambda t: min(abs(t.start - where), abs(t.end - where)))
        groups.setdefault(nearest.type, []).append(toponym)
    # "Sirens sounded in Odesa, and minutes later a missile hit the port, killing two": a hit with
    # victims told after every place of an alert, with a weapon and no place of its own, is at the
    # alert's places. Without victims a weapon after an alert is its cause ("sirens after a rocket
    # launch"); explosions alone may be air defence at work.
    if counts:
        _share_places(groups, triggers, offset, IncidentType.ALERT, IncidentType.STRIKE,
                      lambda t: t.subtype not in (None, *WEAK_SUBTYPES))
    # "Explosions rang out in Kharkiv during an air raid alert": an alert told after every place of a
    # strike, with no place of its own, sounded there.
    _share_places(groups, triggers, offset, IncidentType.STRIKE, IncidentType.ALERT, lambda t: True)
    return {kind: unique_places(places) for kind, places in groups.items()}


def _share_places(groups: dict[IncidentType, list[Toponym]], triggers: tuple[Trigger, ...], offset: int,
                  told: IncidentType, joins: IncidentType, fits: Callable[[Trigger], bool]) -> None:
    """Give a type with no place of its own the places of the other type, when one of its fitting
    triggers stands after every place of the other (one sentence, one scene)."""
    if told not in groups or joins in groups:
        return
    last = max(t.end - offset for t in groups[told])
    if any(t.type == joins and fits(t) and t.start >= last for t in triggers):
        groups[joins] = list(groups[told])


def split_places(kind: IncidentType, places: list[Toponym]) -> list[list[Toponym]]:
    """Return the place groups of separate incidents: one per town for strikes, one for an alert."""
    if kind == IncidentType.ALERT:
        # One alert over several places; a country around them is context ("in Kyiv and regions of Ukraine").
        return [[p for p in places if p.place.precision != Precision.COUNTRY] or places]
    return [[p] for p in without_context(places)]


WEAK_SUBTYPES = frozenset({"explosion"})
"""Subtypes that name an effect, not a weapon ("hit", "explosion"): any weapon named wins over them."""


def subtype_near(triggers: tuple[Trigger, ...], kind: IncidentType, where: int) -> str | None:
    """Return the subtype of the specific trigger nearest to offset ``where`` (in the sentence)."""
    specific = [t for t in triggers if t.type == kind and t.subtype is not None]
    if not specific:
        return None
    weapons = [t for t in specific if t.subtype not in WEAK_SUBTYPES]
    specific = weapons or specific
    return min(specific, key=lambda t: min(abs(t.start - where), abs(t.end - where))).subtype
