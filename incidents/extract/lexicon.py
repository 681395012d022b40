"""Load the per-language lexicons (``incidents/extract/lexicons/<lang>.toml``) into frozen records.

A lexicon entry is a pattern matched case-insensitively on whole words: ``*`` stands for any run of
word characters inside a word, a space for any whitespace, and ``|`` separates alternatives.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

from incidents.errors import IncidentsError

LANGUAGES: tuple[str, ...] = ("nl", "en", "de", "fr", "uk", "ru")
"""The languages with a lexicon, in the order used to break ties."""

_NEVER = re.compile(r"(?!x)x")
GENERIC = "generic"
"""The trigger subtype that names no particular weapon ("attack", "aanval")."""


class LexiconError(IncidentsError, ValueError):
    """A lexicon file is missing, malformed, or lacks a required entry."""


@dataclass(frozen=True, slots=True)
class Words:
    """One lexicon category: its patterns as written and as one compiled expression."""

    patterns: tuple[str, ...]
    regex: re.Pattern[str]

    def search(self, text: str) -> re.Match[str] | None:
        """Return the first match in ``text``, or None."""
        return self.regex.search(text)

    def finditer(self, text: str) -> list[re.Match[str]]:
        """Return every non-overlapping match in ``text``."""
        return list(self.regex.finditer(text))

    def fullmatch(self, text: str) -> bool:
        """Tell whether all of ``text`` is one of the patterns."""
        return self.regex.fullmatch(text) is not None


_EMPTY = Words((), _NEVER)
_CUES = ("killed", "injured", "both", "affected", "toll", "unknown", "killed_split")


@dataclass(frozen=True, slots=True)
class Tagged:
    """Patterns of several tags compiled into one expression, so one pass finds them all.

    At one position the longest pattern wins (a specific tag before ``generic`` on a tie); each
    match reports the tag of the pattern that matched.
    """

    tags: tuple[str, ...]
    regex: re.Pattern[str]

    def finditer(self, text: str) -> list[tuple[int, int, str]]:
        """Return (start, end, tag) of every non-overlapping match in ``text``."""
        tags = self.tags
        return [(m.start(), m.end(), tags[(m.lastindex or 1) - 1]) for m in self.regex.finditer(text)]


def compile_tagged(groups: list[tuple[str, tuple[str, ...]]], *, buckets: bool = True) -> Tagged:
    """Compile (tag, patterns) groups into one case-insensitive, whole-word expression.

    Each alternative is a numbered group; ``tags[i]`` is the tag of group ``i + 1``. ``buckets``
    False compiles the alternatives as one flat alternation (the same matches, slower).
    """
    items = [(tag, p) for tag, patterns in groups for p in patterns if p.strip()]
    if not items:
        return Tagged((), _NEVER)
    items.sort(key=lambda item: (-len(item[1]), item[0].endswith(GENERIC)))
    flat = [(tag, alternative) for tag, p in items for alternative in p.strip().split("|")]
    body, order = _alternation([alternative for _, alternative in flat], capture=True, buckets=buckets)
    head = _head([p for _, p in items])
    return Tagged(tuple(flat[i][0] for i in order), re.compile(rf"{head}(?:{body})(?!\w)", re.IGNORECASE))


def _alternation(alternatives: list[str], *, capture: bool, buckets: bool = True) -> tuple[str, list[int]]:
    """Return one alternation of lexicon alternatives (in their order) and the order they appear in it.

    Python's engine tries every alternative at every word start. Alternatives are grouped by their
    first letter behind a look-ahead on it, so a word start tries only the alternatives that can
    start there; within a group the order is kept, and an alternative that may start with any letter
    (``*``) stands in every group, so at any position the same alternatives are tried in the same
    order as in the flat alternation, and the same one wins. When first letters fold together in a
    way the grouping cannot keep apart, the alternation stays flat.
    """
    wrap = "({})" if capture else "(?:{})"
    grouped = _first_letter_groups(alternatives) if buckets else None
    if grouped is None:
        order = list(range(len(alternatives)))
        return "|".join(wrap.format(pattern_source(alternatives[i])) for i in order), order
    letters = re.escape("".join(letter for letter, _ in grouped if letter))
    parts: list[str] = []
    order = []
    for letter, members in grouped:
        look = f"(?=[{re.escape(letter)}])" if letter else f"(?![{letters}])" if letters else ""
        inner = "|".join(wrap.format(pattern_source(alternatives[i])) for i in members)
        parts.append(f"{look}(?:{inner})")
        order.extend(members)
    return "|".join(parts), order


def _first_letter_groups(alternatives: list[str]) -> list[tuple[str, list[int]]] | None:
    """Return (lower-case first letter, indices) groups of alternatives, "" for those open at the start.

    None when two first letters match each other ignoring case (``s`` and the long s) or one folds to two
    letters: then the groups would not be disjoint.
    """
    groups: dict[str, list[int]] = {}
    anywhere: list[int] = []
    for index, alternative in enumerate(alternatives):
        first = alternative.strip()[:1]
        if not first or first == "*":
            anywhere.append(index)
            for members in groups.values():
                members.append(index)
            continue
        letter = first.lower()
        if len(letter) != 1:
            return None
        groups.setdefault(letter, list(anywhere)).append(index)
    for a in groups:
        for b in groups:
            if a != b and re.fullmatch(f"[{re.escape(a)}]", b, re.IGNORECASE):
                return None
    out = list(groups.items())
    return [*out, ("", anywhere)] if anywhere else out


@dataclass(frozen=True, slots=True)
class Lexicon:
    """Every word list of one language, compiled."""

    lang: str
    abbreviations: frozenset[str]
    stopwords: frozenset[str]
    strike: tuple[tuple[str, Words], ...]
    alert: tuple[tuple[str, Words], ...]
    modality: dict[str, Words]
    casualties: dict[str, Words]
    places: dict[str, Words]
    not_numbers: frozenset[str]
    number_words: dict[str, int]
    weekdays: tuple[Words, ...]
    months: tuple[Words, ...]
    month_names: frozenset[str]
    """The month names as written in the lexicon, lower case, for telling a day's dot from a full stop."""
    relative_days: tuple[tuple[Words, int], ...]
    triggers: Tagged = field(default=Tagged((), _NEVER))
    """Every trigger in one expression; tags are ``"<type>/<subtype>"`` ("strike/drone")."""
    times: Tagged = field(default=Tagged((), _NEVER))
    """Relative days and weekdays in one expression; tags ``"day:<offset>"``, ``"weekday:<0-6>"``."""
    casualty_cues: Tagged = field(default=Tagged((), _NEVER))
    """Casualty words (killed, injured, both, toll) and unknown-count phrases, tagged by category."""
    since: Words = field(default=_EMPTY)
    """Words that make the date after them the start of a period ("since", "depuis"), not an event's."""

    def __hash__(self) -> int:
        return hash(self.lang)


#: A word "..." in a pattern stands for up to this many words of the same clause ("kwamen ... om").
GAP_WORDS = 6
_GAP = rf"\s+(?:[^\s.;:!?]+\s+){{0,{GAP_WORDS}}}?"


def pattern_source(pattern: str) -> str:
    """Return the regular expression of one lexicon pattern (without word boundaries)."""
    alternatives = []
    for alternative in pattern.strip().split("|"):
        source = ""
        for word in alternative.split():
            if word == "...":
                source += _GAP
            else:
                joint = r"\s+" if source and not source.endswith(_GAP) else ""
                source += joint + re.escape(word).replace(r"\*", r"\w*")
        alternatives.append(source)
    return "|".join(alternatives)


def _head(patterns: list[str] | tuple[str, ...]) -> str:
    """Return the start of a whole-word expression, with a look-ahead on the patterns' first letters.

    The look-ahead lets the engine skip a word at once when no pattern can start with its first
    letter (a speed-up only: the matches are the same). A pattern starting with ``*`` needs none.
    """
    firsts: set[str] = set()
    for pattern in patterns:
        for alternative in pattern.strip().split("|"):
            first = alternative.strip()[:1]
            if not first or first == "*":
                return r"(?<!\w)"
            firsts.update({first, first.lower(), first.upper()})
    letters = "".join(sorted(c for c in firsts if len(c) == 1))
    return rf"(?<!\w)(?=[{re.escape(letters)}])"


def compile_words(patterns: list[str] | tuple[str, ...], *, buckets: bool = True) -> Words:
    """Compile patterns into one case-insensitive, whole-word expression (longest first).

    ``buckets`` False compiles one flat alternation (the same matches, slower).
    """
    cleaned = tuple(p for p in patterns if p.strip())
    if not cleaned:
        return Words((), _NEVER)
    ordered = sorted(cleaned, key=len, reverse=True)
    body, _ = _alternation([a for p in ordered for a in p.strip().split("|")], capture=False, buckets=buckets)
    return Words(cleaned, re.compile(rf"{_head(cleaned)}(?:{body})(?!\w)", re.IGNORECASE))


def _strings(table: dict[str, Any], key: str, where: str) -> list[str]:
    value = table.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        msg = f"lexicon {where}: {key!r} must be a list of strings"
        raise LexiconError(msg)
    return list(value)


def _table(data: dict[str, Any], key: str, where: str) -> dict[str, Any]:
    value = data.get(key, {})
    if not isinstance(value, dict):
        msg = f"lexicon {where}: [{key}] must be a table"
        raise LexiconError(msg)
    return value


def _categories(table: dict[str, Any], where: str) -> dict[str, Words]:
    return {key: compile_words(_strings(table, key, where)) for key in table if isinstance(table[key], list)}


def _subtypes(table: dict[str, Any], where: str) -> tuple[tuple[str, Words], ...]:
    return tuple((name, compile_words(_strings(table, name, where))) for name in table)


def fold_apostrophes(word: str) -> str:
    """Write every apostrophe-like character (U+2019, U+02BC, backtick) as ``'``, as Ukrainian mixes them."""
    return word.replace("\u2019", "'").replace("\u02bc", "'").replace("`", "'")


def _number_words(table: dict[str, Any], where: str) -> dict[str, int]:
    words = table.get("words", {})
    if not isinstance(words, dict) or not all(isinstance(v, int) for v in words.values()):
        msg = f"lexicon {where}: [numbers.words] must map words to integers"
        raise LexiconError(msg)
    return {fold_apostrophes(k.lower()): int(v) for k, v in words.items()}


def _relative_days(table: dict[str, Any], where: str) -> tuple[tuple[Words, int], ...]:
    if not all(isinstance(v, int) for v in table.values()):
        msg = f"lexicon {where}: [when.relative] must map phrases to day offsets"
        raise LexiconError(msg)
    ordered = sorted(table.items(), key=lambda kv: len(kv[0]), reverse=True)
    return tuple((compile_words([phrase]), int(offset)) for phrase, offset in ordered)


def parse_lexicon(data: dict[str, Any], *, where: str) -> Lexicon:
    """Build a lexicon from the parsed TOML of one language file."""
    lang = data.get("lang")
    if not isinstance(lang, str):
        msg = f"lexicon {where}: missing 'lang'"
        raise LexiconError(msg)
    triggers = _table(data, "triggers", where)
    when = _table(data, "when", where)
    numbers = _table(data, "numbers", where)
    weekdays = _strings(when, "weekdays", where)
    strike = _subtypes(_table(triggers, "strike", where), where)
    alert = _subtypes(_table(triggers, "alert", where), where)
    relative = _relative_days(_table(when, "relative", where), where)
    casualties = _categories(_table(data, "casualties", where), where)
    modality = _categories(_table(data, "modality", where), where)
    months = _strings(when, "months", where)
    if len(weekdays) != 7 or len(months) != 12:
        msg = f"lexicon {where}: [when] needs 7 weekdays (Monday first) and 12 months"
        raise LexiconError(msg)
    return Lexicon(
        lang=lang,
        abbreviations=frozenset(
            a.lower() for a in _strings(_table(data, "text", where), "abbreviations", where)),
        stopwords=frozenset(w.lower() for w in _strings(_table(data, "language", where), "stopwords", where)),
        strike=strike,
        alert=alert,
        modality=modality,
        casualties=casualties,
        places=_categories(_table(data, "places", where), where),
        not_numbers=frozenset(w.lower() for w in _strings(numbers, "not_numbers", where)),
        number_words=_number_words(numbers, where),
        weekdays=tuple(compile_words([w]) for w in weekdays),
        months=tuple(compile_words([m]) for m in months),
        month_names=frozenset(alt.strip().rstrip("*").lower() for m in months for alt in m.split("|")),
        relative_days=relative,
        triggers=compile_tagged([(f"{kind}/{name}", words.patterns)
                                 for kind, subtypes in (("alert", alert), ("strike", strike))
                                 for name, words in subtypes]),
        casualty_cues=compile_tagged([(name, casualties[name].patterns)
                                      for name in _CUES if name in casualties]),
        times=compile_tagged([*((f"day:{offset}", words.patterns) for words, offset in relative),
                              *((f"weekday:{i}", (w,)) for i, w in enumerate(weekdays))]),
        since=compile_words(_strings(when, "since", where)),
    )


@cache
def load_lexicon(lang: str) -> Lexicon:
    """Return the lexicon of ``lang`` (one of ``LANGUAGES``), loaded once."""
    if lang not in LANGUAGES:
        msg = f"no lexicon for language {lang!r} (supported: {', '.join(LANGUAGES)})"
        raise LexiconError(msg)
    where = f"{lang}.toml"
    try:
        raw = resources.files("incidents.extract").joinpath("lexicons", where).read_text(encoding="utf-8")
        data = tomllib.loads(raw)
    except (OSError, tomllib.TOMLDecodeError) as err:
        msg = f"cannot read lexicon {where}: {err}"
        raise LexiconError(msg) from err
    return parse_lexicon(data, where=where)


def category(words: dict[str, Words], name: str) -> Words:
    """Return one category of a lexicon section, or a category that matches nothing."""
    return words.get(name, _EMPTY)


@cache
def union(lexicon: Lexicon, section: str, names: tuple[str, ...]) -> Words:
    """Return the categories ``names`` of a lexicon section ("places", "casualties") as one expression.

    Wherever one of them matches, the union matches at that place or before it; so a text the union
    finds nothing in holds none of them, and one search spares one per category.
    """
    words: dict[str, Words] = getattr(lexicon, section)
    return compile_words([p for name in names for p in category(words, name).patterns])
