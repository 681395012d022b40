"""Classify sentences (strike, alert, or neither) and the role of each place named in them.

A trigger word makes a sentence a candidate; a trigger is dropped when its clause blocks it
(interception, threat, warning, evacuation, diplomacy), when a negation or a future marker stands
just before it, or when the sentence opens a hypothetical ("als ... wordt gedood"). A place is a
scene of the incident only when a locative word ("in", "op", "bij", "auf", "à", "по") governs it;
places after "from", "according to", "by" or before "governor" are origins, sources, agents, titles.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from incidents.lexicon import Lexicon, Words, category
from incidents.records import IncidentType
from incidents.text import Token, tokenize

MODAL_WINDOW = 3
"""Tokens before a trigger searched for a negation or a future marker."""
ROLE_WINDOW = 6
"""Words before a place searched for the word that gives its role."""

_CLAUSE = re.compile(r"[;:\u2014\u2013]\s|,\s|[\"\u201c\u201d\u201e\u00ab\u00bb(]")
_COORDINATION = frozenset({",", "en", "and", "und", "et", "or", "of", "ou", "oder",
                           "\u0442\u0430", "\u0456", "\u0439"})  # ta, i, j


class PlaceRole(StrEnum):
    """What a place named in a sentence is to the incident told there."""

    SCENE = "scene"
    ORIGIN = "origin"
    SOURCE = "source"
    AGENT = "agent"
    RELATIVE = "relative"
    TITLE = "title"
    UNMARKED = "unmarked"


@dataclass(frozen=True, slots=True)
class Trigger:
    """A word that names an incident; offsets are into the sentence."""

    start: int
    end: int
    text: str
    type: IncidentType
    subtype: str | None


@dataclass(frozen=True, slots=True)
class SentenceClass:
    """The incident triggers of one sentence and the markers around them."""

    triggers: tuple[Trigger, ...]
    dropped: tuple[Trigger, ...] = ()
    hedged: bool = False
    followup: bool = False
    distinct: bool = False

    @property
    def is_incident(self) -> bool:
        """Tell whether the sentence tells of an incident that happened."""
        return bool(self.triggers)


def _find_triggers(text: str, lexicon: Lexicon) -> list[Trigger]:
    found: list[Trigger] = []
    groups = ((IncidentType.ALERT, lexicon.alert), (IncidentType.STRIKE, lexicon.strike))
    for kind, subtypes in groups:
        for name, words in subtypes:
            subtype = None if name == "generic" else name
            found.extend(Trigger(m.start(), m.end(), m.group(), kind, subtype) for m in words.finditer(text))
    # Longest first, then specific before generic: "raketaanval" is a missile, not just an attack.
    found.sort(key=lambda t: (-(t.end - t.start), t.subtype is None, t.start))
    kept: list[Trigger] = []
    for trigger in found:
        if not any(trigger.start < k.end and k.start < trigger.end for k in kept):
            kept.append(trigger)
    return sorted(kept, key=lambda t: t.start)


def _clause_bounds(text: str, pos: int) -> tuple[int, int]:
    start = 0
    end = len(text)
    for match in _CLAUSE.finditer(text):
        if match.end() <= pos:
            start = match.end()
        elif match.start() >= pos:
            end = match.start()
            break
    return start, end


def _in_clause(words: Words, text: str, trigger: Trigger) -> bool:
    start, end = _clause_bounds(text, trigger.start)
    return words.search(text[start:end]) is not None


def _marker_before(words: Words, text: str, trigger: Trigger) -> bool:
    start, _ = _clause_bounds(text, trigger.start)
    before = tokenize(text[start : trigger.start])[-MODAL_WINDOW:]
    if not before:
        return False
    window = text[start + before[0].start : trigger.start]
    return words.search(window) is not None


def _hypothetical(text: str, lexicon: Lexicon, trigger: Trigger) -> bool:
    words = category(lexicon.modality, "hypothetical")
    for match in words.finditer(text[: trigger.start]):
        head = text[: match.start()].rstrip()
        if not head or head[-1] in ":;,\"'\u201c\u201e\u00ab(\u2014\u2013-":
            return True
    return False


def _is_modal(text: str, lexicon: Lexicon, trigger: Trigger) -> bool:
    modality = lexicon.modality
    return (
        _in_clause(category(modality, "blockers"), text, trigger)
        or _in_clause(category(modality, "denials"), text, trigger)
        or _marker_before(category(modality, "negation"), text, trigger)
        or _marker_before(category(modality, "future"), text, trigger)
        or _hypothetical(text, lexicon, trigger)
    )


def classify_sentence(text: str, lexicon: Lexicon) -> SentenceClass:
    """Return the usable triggers of a sentence and its hedge, follow-up and distinctness markers."""
    found = _find_triggers(text, lexicon)
    usable = tuple(t for t in found if not _is_modal(text, lexicon, t))
    dropped = tuple(t for t in found if t not in usable)
    modality = lexicon.modality
    return SentenceClass(
        triggers=usable,
        dropped=dropped,
        hedged=category(modality, "hedges").search(text) is not None,
        followup=category(modality, "followup").search(text) is not None,
        distinct=category(modality, "distinct").search(text) is not None,
    )


def is_passive_patient(text: str, end: int, triggers: tuple[Trigger, ...], lexicon: Lexicon) -> bool:
    """Tell whether a place ending at ``end`` is the subject of a passive attack ("X was hit by drones").

    True when a later trigger of the same clause follows an agent word ("door", "by", "durch", "par").
    """
    agent = category(lexicon.places, "agent")
    _, clause_end = _clause_bounds(text, end)
    for trigger in triggers:
        if end <= trigger.start < clause_end:
            before = tokenize(text[end : trigger.start])[-3:]
            if any(agent.fullmatch(token.text) for token in before):
                return True
    return False


def _role_marks(text: str, lexicon: Lexicon) -> list[tuple[int, int, PlaceRole]]:
    marks: list[tuple[int, int, PlaceRole]] = []
    names = (("relative", PlaceRole.RELATIVE), ("source", PlaceRole.SOURCE), ("origin", PlaceRole.ORIGIN),
             ("agent", PlaceRole.AGENT), ("titles", PlaceRole.TITLE), ("locative", PlaceRole.SCENE))
    for name, role in names:
        for match in category(lexicon.places, name).finditer(text):
            if not any(match.start() < e and s < match.end() for s, e, _ in marks):
                marks.append((match.start(), match.end(), role))
    return marks


def _role_at(marks: list[tuple[int, int, PlaceRole]], token: Token) -> PlaceRole | None:
    for start, end, role in marks:
        if start <= token.start and token.end <= end:
            return role
    return None


def _title_after(text: str, end: int, lexicon: Lexicon) -> bool:
    rest = text[end:]
    match = re.match(r"\s*[-\u2010]?(\w+(?:\s+\w+)?)", rest)
    if match is None:
        return False
    titles = category(lexicon.places, "titles")
    first_word = match.group(1).split()[0] if match.group(1).split() else ""
    return titles.fullmatch(first_word) or titles.fullmatch(match.group(1))


def place_role(
    text: str, start: int, end: int, lexicon: Lexicon, *, others: tuple[tuple[int, int], ...] = ()
) -> PlaceRole:
    """Return the role of the place spanning [start, end) of sentence ``text``.

    ``others`` are the spans of the other places of the sentence: a list of places shares the role
    of its first member ("in Beër Sheva en Ofakim").
    """
    if _title_after(text, end, lexicon):
        return PlaceRole.TITLE
    marks = _role_marks(text, lexicon)
    tokens = tokenize(text[:start])
    steps = 0
    for token in reversed(tokens):
        if token.text in ".!?;:":
            break
        role = _role_at(marks, token)
        if role is not None:
            return role
        inside_other = any(s <= token.start and token.end <= e for s, e in others)
        if inside_other or token.text.lower() in _COORDINATION:
            continue
        steps += 1
        if steps >= ROLE_WINDOW:
            break
    return PlaceRole.UNMARKED
