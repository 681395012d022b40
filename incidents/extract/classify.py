"""Classify sentences (strike, alert, or neither) and the role of each place named in them.

A trigger word makes a sentence a candidate; a trigger is dropped when its clause blocks it
(interception, threat, warning, evacuation, diplomacy), when a denial precedes it, when a negation
or a future marker stands just before it, when a conditional ("if", "indien", "falls") precedes it
in its clause, or when the sentence opens a hypothetical ("als ... wordt gedood"). A place is a
scene of the incident when a locative word ("in", "op", "bij", "auf", "à", "по") or an attack verb
whose object it is ("struck Kharkiv", "trafen Odesa") governs it; places after "from", "according
to", "by" or before "governor" are origins, sources, agents, titles. A scene right before a verb of
saying or governed through an office ("the ministry in Gaza") may be only the seat of a source.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache

from gazetteer.cues import cues, region_words
from gazetteer.normalize import scan_key
from incidents.extract.lexicon import GENERIC, Lexicon, Words, category, union
from incidents.extract.text import Token, tokens_of
from incidents.records import IncidentType

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
    repeat: bool = False  # "again", "erneut": an alert sounding anew is a new alert

    @property
    def is_incident(self) -> bool:
        """Tell whether the sentence tells of an incident that happened."""
        return bool(self.triggers)


def _find_triggers(text: str, lexicon: Lexicon) -> list[Trigger]:
    """Return the triggers of ``text`` in order: one pass of the lexicon's combined trigger expression."""
    found = []
    for start, end, tag in lexicon.triggers.finditer(text):
        kind, _, subtype = tag.partition("/")
        found.append(Trigger(start, end, text[start:end], IncidentType(kind),
                             None if subtype == GENERIC else subtype))
    return found


_STRONG_CLAUSE = re.compile(r"[;:\u2014\u2013]\s")


def _between(breaks: re.Pattern[str], text: str, pos: int) -> tuple[int, int]:
    """Return the span around ``pos`` between the nearest breaks before and after it."""
    start, end = 0, len(text)
    for match in breaks.finditer(text):
        if match.end() <= pos:
            start = match.end()
        elif match.start() >= pos:
            end = match.start()
            break
    return start, end


def strong_clause_bounds(text: str, pos: int) -> tuple[int, int]:
    """Return the span around ``pos`` between semicolons, colons and dashes (commas do not cut)."""
    return _between(_STRONG_CLAUSE, text, pos)


def clause_bounds(text: str, pos: int) -> tuple[int, int]:
    """Return the span of the clause (between commas, semicolons, dashes, quotes) around ``pos``."""
    return _between(_CLAUSE, text, pos)


def _spans(words: Words, text: str) -> list[tuple[int, int]]:
    return [m.span() for m in words.finditer(text)]


def _any_within(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    return any(start <= s and e <= end for s, e in spans)


def _window_start(text: str, clause_start: int, pos: int) -> int:
    """Return where the last ``MODAL_WINDOW`` tokens of the clause before ``pos`` begin."""
    before = [t for t in tokens_of(text) if clause_start <= t.start and t.end <= pos]
    if not before:
        return pos
    return before[-MODAL_WINDOW].start if len(before) >= MODAL_WINDOW else before[0].start


def _opens_clause(text: str, pos: int) -> bool:
    head = text[:pos].rstrip()
    return not head or head[-1] in ":;,\"'\u201c\u201e\u00ab(\u2014\u2013-"


class _Modality:
    """Where the modality markers of one sentence are, found once for all its triggers."""

    def __init__(self, text: str, modality: dict[str, Words]) -> None:
        self.text = text
        # "s'est abattu sur" (came down on) is an impact, though "abattu" alone is "shot down".
        impacts = _spans(category(modality, "not_blockers"), text)
        self.blocking = [b for b in _spans(category(modality, "blockers"), text)
                         if not any(s < b[1] and b[0] < e for s, e in impacts)]
        self.habitual = _spans(category(modality, "habitual"), text)
        self.perception = _spans(category(modality, "perception"), text)
        self.denials = _spans(category(modality, "denials"), text)
        self.marking = [*_spans(category(modality, "negation"), text),
                        *_spans(category(modality, "future"), text)]
        self.conditional = _spans(category(modality, "conditional"), text)
        self.hypothetical = [s for s in _spans(category(modality, "hypothetical"), text)
                             if _opens_clause(text, s[0])]

    def blocks(self, trigger: Trigger) -> bool:
        """Tell whether the trigger is blocked, denied, negated, future, conditional or hypothetical.

        Blockers count in the trigger's clause (for strikes only), habitual or test wording in the
        part of the sentence between semicolons, denials there or anywhere before it, negations and
        future markers just before it, conditionals before it in its clause, and a hypothetical that
        opens a clause anywhere before it.
        """
        start, end = clause_bounds(self.text, trigger.start)
        # A threat, a warning or shelters are what an alert is about: they block strikes only.
        # Debris falls because something was shot down: interception does not block it either.
        blocked = trigger.type == IncidentType.STRIKE and trigger.subtype != "debris"
        blocking = self.blocking if blocked else []
        return (
            _any_within(blocking, start, end)
            or _any_within(self.habitual, *strong_clause_bounds(self.text, trigger.start))
            # "Explosions were heard": what was heard is no hit that happened somewhere.
            or (trigger.subtype == "explosion" and _any_within(self.perception, start, end))
            or _any_within(self.denials, 0, end)  # "X denied that its missiles hit Y"
            or _any_within(self.marking, _window_start(self.text, start, trigger.start), trigger.start)
            or _any_within(self.conditional, start, trigger.start)
            or any(s < trigger.start for s, _ in self.hypothetical)
        )


def classify_sentence(text: str, lexicon: Lexicon) -> SentenceClass:
    """Return the usable triggers of a sentence and its hedge, follow-up and distinctness markers."""
    found = _find_triggers(text, lexicon)
    if not found:
        return SentenceClass(triggers=())
    # One search tells a sentence without any modality marker (most), sparing one per category.
    modality = lexicon.modality if union(lexicon, "modality", tuple(lexicon.modality)).search(text) else {}
    modal = _Modality(text, modality)
    usable = tuple(t for t in found if not modal.blocks(t))
    dropped = tuple(t for t in found if t not in usable)
    return SentenceClass(
        triggers=usable,
        dropped=dropped,
        hedged=category(modality, "hedges").search(text) is not None,
        followup=category(modality, "followup").search(text) is not None,
        distinct=category(modality, "distinct").search(text) is not None,
        repeat=category(modality, "repeat").search(text) is not None,
    )


def is_passive_patient(text: str, end: int, triggers: tuple[Trigger, ...], lexicon: Lexicon) -> bool:
    """Tell whether a place ending at ``end`` is the subject of a passive attack ("X was hit by drones").

    True when a later trigger of the same clause follows an agent word ("door", "by", "durch", "par"),
    and a passive auxiliary or an attack word stands between the place and the agent word: "Berlin
    reacted with air strikes" has an active verb there, and Berlin is not what was struck.
    """
    _, clause_end = clause_bounds(text, end)
    return any(agent_voice(text, end, trigger, triggers, lexicon) == "passive"
               for trigger in triggers if end <= trigger.start < clause_end)


def agent_voice(text: str, end: int, trigger: Trigger, triggers: tuple[Trigger, ...], lexicon: Lexicon
                ) -> str | None:
    """Say how a place ending at ``end`` relates to an agent word just before a later trigger.

    None when no agent word ("by", "met", "mit", "avec") stands in the three words before the trigger;
    "passive" when a passive auxiliary or an attack word lies between the place and it ("X was hit by
    drones", "X werd met drones bestookt"); "active" otherwise ("X reacted with air strikes": X acted).
    """
    agent = category(lexicon.places, "agent")
    passive = category(lexicon.places, "passive")
    tokens = tokens_of(text)
    before = [t for t in tokens if end <= t.start and t.end <= trigger.start][-3:]
    found = None
    for word in before:
        if not agent.fullmatch(word.text):
            continue
        between = [t for t in tokens if end <= t.start and t.end <= word.start]
        if any(passive.fullmatch(t.text) for t in between) or any(
                end <= other.start and other.end <= word.start for other in triggers):
            return "passive"
        found = "active"
    return found


@lru_cache(maxsize=256)
def _role_marks(text: str, lexicon: Lexicon) -> tuple[tuple[int, int, PlaceRole], ...]:
    marks: list[tuple[int, int, PlaceRole]] = []
    names = (("relative", PlaceRole.RELATIVE), ("source", PlaceRole.SOURCE), ("origin", PlaceRole.ORIGIN),
             ("agent", PlaceRole.AGENT), ("titles", PlaceRole.TITLE), ("locative", PlaceRole.SCENE),
             ("objects", PlaceRole.SCENE))
    for name, role in names:
        for match in category(lexicon.places, name).finditer(text):
            if not any(match.start() < e and s < match.end() for s, e, _ in marks):
                marks.append((match.start(), match.end(), role))
    return tuple(marks)


def _role_at(marks: tuple[tuple[int, int, PlaceRole], ...], token: Token) -> PlaceRole | None:
    for start, end, role in marks:
        if start <= token.start and token.end <= end:
            return role
    return None


def _title_after(text: str, end: int, lexicon: Lexicon) -> bool:
    rest = text[end:]
    match = re.match(r"(?:['\u2019]s)?\s*[-\u2010]?(\w+(?:\s+\w+)?)", rest)  # "the region's governor"
    if match is None:
        return False
    titles = category(lexicon.places, "titles")
    first_word = match.group(1).split()[0] if match.group(1).split() else ""
    return titles.fullmatch(first_word) or titles.fullmatch(match.group(1))


UNDERGO_GAP = 2
"""Words (an adverb, an auxiliary) that may stand between a place and a verb of undergoing."""


def _undergoes_after(text: str, end: int, lexicon: Lexicon) -> bool:
    """Tell whether a verb of undergoing follows the place ("X came under fire", "X подвергся обстрелу")."""
    undergo = category(lexicon.places, "undergoes")
    following = [t for t in tokens_of(text) if t.start >= end][: UNDERGO_GAP + 1]
    return any(undergo.regex.match(text, t.start) is not None for t in following
               if t.text not in ",.;:")


SEAT_GAP = 3
"""Tokens between an office or a speaker and the preposition of its seat ("ministerie van Gezondheid in")."""


def is_source_seat(
    text: str, start: int, end: int, lexicon: Lexicon, triggers: Sequence[Trigger] = ()
) -> bool:
    """Tell whether the place spanning [start, end) is where a speaker or an office sits.

    True when a verb of saying follows the place ("medics in Gaza say") or when the preposition
    governing it follows an office or a speaker word ("het ministerie van Gezondheid in Gaza").
    ``triggers`` are the sentence's attack words (usable or not): one between the speaker and the place
    makes the place the one hit. The caller decides what that costs: a seat is no scene when the
    sentence names another one.
    """
    following = next((t for t in tokens_of(text) if t.start >= end), None)
    if following is not None and category(lexicon.places, "speech").regex.match(text, following.start):
        return True
    marks = _role_marks(text, lexicon)
    before = [t for t in tokens_of(text) if t.end <= start][-ROLE_WINDOW:]
    for position in range(len(before) - 1, -1, -1):
        role = _role_at(marks, before[position])
        if role == PlaceRole.SCENE:
            marker = before[position]
            earlier = before[max(0, position - SEAT_GAP) : position]
            speakers = [t for t in earlier if _role_at(marks, t) in (PlaceRole.TITLE, PlaceRole.SOURCE)]
            # An attack word between the speaker and the place governs the place: "the ministry said
            # an airstrike on Rafah", "forces shelled the village of X" are where attacks hit.
            return bool(speakers) and not any(
                speakers[-1].start < t.start and t.end <= marker.end for t in triggers)
        if role is not None:
            return False
    return False


def is_actor(text: str, end: int, triggers: tuple[Trigger, ...], lexicon: Lexicon) -> bool:
    """Tell whether the place ending at ``end`` names who attacks: right before an attack word.

    "US-Luftangriff", "Israel strikes Gaza", "the US launched ...": a country directly followed by a
    strike word or an actor verb (``places.actor_verbs``: "launched", "fired", "carried out") is the
    attacker. The caller asks this of countries only: "Kharkiv strike" names where it hit.
    """
    rest = text[end:]
    gap = re.match(r"(?:['\u2019]s)?[\s\-\u2010]*", rest)
    after = end + (gap.end() if gap else 0)
    if any(t.start == after and t.type == IncidentType.STRIKE for t in triggers):
        return True  # an alert word after a country says where it sounds ("Ukraine Luftalarm")
    verbs = category(lexicon.places, "actor_verbs").regex
    following = [t for t in tokens_of(text) if t.start >= after][:3]
    fillers = category(lexicon.casualties, "fillers")
    for token in following:
        if verbs.match(text, token.start):
            return True
        if not fillers.fullmatch(token.text):
            return False
    return False


TARGET_GAP = 3
WEAPONS = frozenset({"drone", "missile", "rocket"})
"""Trigger subtypes that name a weapon, which may come from a place rather than hit it."""
"""Words that may stand between an attack word and "against"/"contre" naming its target."""


def _targets_after_trigger(text: str, token: Token, lexicon: Lexicon) -> bool:
    """Tell whether ``token`` is "against"/"contre" right after an attack word: then it names the target."""
    if not category(lexicon.places, "targets").fullmatch(token.text):
        return False
    before = [t for t in tokens_of(text) if t.end <= token.start][-TARGET_GAP:]
    if not before:
        return False
    return any(lexicon.triggers.finditer(text[before[0].start : token.start]))


def _target_of_trigger(text: str, last: list[Token], lexicon: Lexicon) -> bool:
    """Tell whether the two words before a place are an attack word and "of" ("Beschuss von X").

    Not a weapon: "Drohnen von X" or "roquettes de X" may tell where they came from.
    """
    if len(last) < 2 or not category(lexicon.places, "of_target").fullmatch(last[1].text):
        return False
    return any(end == len(last[0].text) and tag.split("/")[-1] not in WEAPONS
               for _, end, tag in lexicon.triggers.finditer(last[0].text))


def _list_head(text: str, start: int, lexicon: Lexicon, others: tuple[tuple[int, int], ...]
               ) -> tuple[int, int] | None:
    """Return the place a member list opens after ("towns in X, including Y and Z": X), or None."""
    before = [span for span in others if span[1] <= start]
    if not before:
        return None
    previous = max(before, key=lambda span: span[1])
    gap = text[previous[1]:start].strip(" ,")
    # The list may follow the clause's verb ("in X klonk luchtalarm, waaronder Y"): its last part counts.
    if gap and category(lexicon.places, "inclusion").fullmatch(gap.rsplit(",", 1)[-1].strip()):
        return previous
    if not gap or gap.lower() in _COORDINATION:  # a later member: the list's head is the first's
        return _list_head(text, previous[0], lexicon, tuple(s for s in others if s != previous))
    return None


def _after_named_part(tokens: Sequence[Token], lang: str) -> bool:
    """Tell whether the tokens end with a part-of-city word and a name ("Stadtteil Zeitoun") or with a
    region word ("Gebiet"): what follows is the whole they belong to, not an origin."""
    if tokens and scan_key(tokens[-1].text) in region_words():
        return True
    if len(tokens) < 2 or not tokens[-1].text[:1].isupper():
        return False
    return scan_key(tokens[-2].text) in cues(lang).part_heads


def place_role(
    text: str, start: int, end: int, lexicon: Lexicon, *, others: tuple[tuple[int, int], ...] = ()
) -> PlaceRole:
    """Return the role of the place spanning [start, end) of sentence ``text``.

    ``others`` are the spans of the other places of the sentence: a list of places shares the role
    of its first member ("in Beër Sheva en Ofakim").
    """
    if _title_after(text, end, lexicon):
        return PlaceRole.TITLE
    if _undergoes_after(text, end, lexicon):
        return PlaceRole.SCENE
    marks = _role_marks(text, lexicon)
    tokens = [t for t in tokens_of(text) if t.end <= start]
    if _target_of_trigger(text, tokens[-2:], lexicon):
        return PlaceRole.SCENE
    steps = 0
    for position in range(len(tokens) - 1, -1, -1):
        token = tokens[position]
        if token.text in ".!?;:":
            break
        role = _role_at(marks, token)
        if role == PlaceRole.AGENT and _targets_after_trigger(text, token, lexicon):
            return PlaceRole.SCENE
        if role == PlaceRole.ORIGIN and position and _role_at(marks, tokens[position - 1]) == PlaceRole.TITLE:
            return PlaceRole.TITLE  # "der Bürgermeister von X": "von" after a title is "of", not "from"
        if role == PlaceRole.ORIGIN and _after_named_part(tokens[:position], lexicon.lang):
            continue  # "im Stadtteil Zeitoun von Gaza-Stadt", "das Gebiet von Belgorod": "von" is "of"
        if role is not None:
            return role
        inside_other = any(s <= token.start and token.end <= e for s, e in others)
        if inside_other or token.text.lower() in _COORDINATION:
            continue
        steps += 1
        if steps >= ROLE_WINDOW:
            break
    head = _list_head(text, start, lexicon, others)
    if head is not None:
        return place_role(text, *head, lexicon, others=tuple(s for s in others if s != head))
    return PlaceRole.UNMARKED
