"""Cue words around a name, per language (cues.toml, adm1_types.toml), and the words beside a match.

Recognition (``recognize``) and resolution (``resolve``) read a name by what stands next to it: a
preposition of place, a title, a region or city word, an article. This module holds those word lists,
compiled once per language, and the small readers of the words right before and after a position.
"""

# ruff: noqa: RUF001  (Cyrillic and apostrophe variants are the point here)

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, lru_cache

from gazetteer.normalize import read_data_toml, scan_key

__all__ = [
    "Cues",
    "abbreviations",
    "area_words",
    "before_word",
    "city_words",
    "cues",
    "left_word",
    "organisation_pattern",
    "organisation_spans",
    "plural_heads",
    "plural_region_words",
    "region_words",
    "right_word",
    "sentence_initial",
    "subregion_words",
]

_HYPHENS = "-\u2010\u2011"
_SENTENCE_END = frozenset(".!?:;\n\"'“”«»()[]•*-–—")
_LEFT_WORD = re.compile(r"([^\W\d_][\w'’]*) $")
_RIGHT_WORD = re.compile(r"\s([^\W\d_][\w'’]*)")


@dataclass(frozen=True, slots=True)
class Cues:
    """Words around a name that tell whether it is a place, for one language."""

    place_prepositions: frozenset[str]
    titles: frozenset[str]
    non_places: frozenset[str]
    speech_verbs: frozenset[str]
    articles: frozenset[str]
    containment: tuple[re.Pattern[str], ...]
    list_joiners: tuple[re.Pattern[str], ...] = ()
    organisations: re.Pattern[str] | None = None
    landmark_before: re.Pattern[str] | None = None
    landmark_after: frozenset[str] = frozenset()
    name_links: re.Pattern[str] | None = None
    hyphen_compounds: bool = False
    part_of: tuple[re.Pattern[str], ...] = ()
    part_heads: frozenset[str] = frozenset()
    lower_case_adjectives: bool = False
    nouns_capitalised: bool = False
    genitive_s: bool = False
    peoples: frozenset[str] = frozenset()


@cache
def _cue_data() -> dict[str, dict[str, list[str]]]:
    return read_data_toml("cues.toml")


@cache
def cues(lang: str | None) -> Cues:
    """Return the cues of a language (English when it is unknown or has none), plus the shared ones."""
    data = _cue_data()
    table = data.get(lang or "en") or data["en"]
    shared = data.get("any", {})
    patterns = (*table.get("containment", []), *shared.get("containment", []))
    joiners = (*table.get("list_joiners", []), *shared.get("list_joiners", []))
    return Cues(
        frozenset(scan_key(w) for w in table.get("place_prepositions", [])),
        frozenset(scan_key(w) for w in table.get("titles", [])),
        frozenset(scan_key(w) for w in table.get("non_places", [])),
        frozenset(scan_key(w) for w in table.get("speech_verbs", [])),
        frozenset(scan_key(w) for w in table.get("articles", [])),
        tuple(re.compile(p, re.IGNORECASE) for p in patterns),
        tuple(re.compile(p, re.IGNORECASE) for p in joiners),
        organisation_pattern((*table.get("organisations", []), *shared.get("organisations", []))),
        _landmark_pattern(table.get("landmark_before", []), shared.get("landmark_links", [])),
        frozenset(scan_key(w) for w in table.get("landmark_after", [])),
        _link_pattern(shared.get("name_links", [])),
        bool(table.get("hyphen_compounds", False)),
        tuple(re.compile(p, re.IGNORECASE) for p in table.get("part_of", [])),
        frozenset(scan_key(w) for w in table.get("part_heads", [])),
        bool(table.get("lower_case_adjectives", False)),
        bool(table.get("nouns_capitalised", False)),
        bool(table.get("genitive_s", False)),
        frozenset(scan_key(w) for w in table.get("peoples", [])),
    )


def _alternatives(words: Sequence[str]) -> str:
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(words, key=len, reverse=True))


def _landmark_pattern(heads: Sequence[str], links: Sequence[str]) -> re.Pattern[str] | None:
    """Return a pattern for a landmark word (and a link) ending right before a name ("golfe d'").

    Case matters: a landmark word written in lower case is a common noun before a name ("golfe d'Aden"),
    a capitalised one opens a proper name a reader may mean as a whole ("Gulf of Mexico").
    """
    if not heads:
        return None
    elided = [w for w in links if w.endswith(("'", "’"))]
    spaced = [w for w in links if w not in elided]
    link = f"(?:\\s+(?:{_alternatives(spaced)}))?" if spaced else ""
    tail = f"(?:{link}\\s+|\\s+(?:{_alternatives(elided)}))" if elided else f"{link}\\s+"
    return re.compile(f"(?<![\\w-])(?:{_alternatives(heads)}){tail}$")


def _link_pattern(links: Sequence[str]) -> re.Pattern[str] | None:
    """Return a pattern for a capitalised word and a name link ending right before a name ("Tell al-")."""
    if not links:
        return None
    word = "(?<!\\w)[^\\W\\d_][\\w'’]*[\\s-]+"
    return re.compile(f"{word}(?:{_alternatives(links)})[{_HYPHENS}]$", re.IGNORECASE)


def organisation_pattern(names: Sequence[str]) -> re.Pattern[str] | None:
    """Return a pattern finding any of the organisation names (spaces and hyphens interchangeable)."""
    if not names:
        return None
    parts = sorted(
        (r"[\s\-‐‑]+".join(re.escape(w) for w in re.split(r"[\s\-]+", name)) for name in names),
        key=len,
        reverse=True,
    )
    return re.compile(r"(?<!\w)(?:" + "|".join(parts) + r")(?!\w)")


def organisation_spans(text: str, cue: Cues) -> list[tuple[int, int]]:
    """Return the character spans of the organisation names in a text ("Boko Haram")."""
    if cue.organisations is None:
        return []
    return [m.span() for m in cue.organisations.finditer(text)]


@cache
def abbreviations() -> frozenset[str]:
    """Return the country and region abbreviations that count as names when written exactly so."""
    data = read_data_toml("abbreviations.toml")
    return frozenset(a for table in data.values() for names in table.values() for a in names)


@cache
def region_words() -> frozenset[str]:
    """Return folded words naming a kind of first-level region (oblast, provincie, область...)."""
    data = read_data_toml("adm1_types.toml")
    return frozenset(scan_key(w) for w in data["words"])


@cache
def plural_region_words() -> frozenset[str]:
    """Return folded plural region words a list of names shares ("regions", "областях")."""
    data = read_data_toml("adm1_types.toml")
    return frozenset(scan_key(w) for w in data.get("plural_words", []))


@cache
def plural_heads() -> re.Pattern[str]:
    """Return a pattern finding any plural region word in a text (most texts have none)."""
    data = read_data_toml("adm1_types.toml")
    return re.compile(f"(?<!\\w)(?:{_alternatives(data.get('plural_words', []))})(?!\\w)", re.IGNORECASE)


@cache
def subregion_words() -> frozenset[str]:
    """Return folded words naming smaller units (county, district, city) that may follow a place name."""
    data = read_data_toml("adm1_types.toml")
    return frozenset(scan_key(w) for w in data.get("subregion_words", [])) | area_words()


@cache
def area_words() -> frozenset[str]:
    """Return folded words for a part of a city or the land around a place ("area", "wijk")."""
    data = read_data_toml("adm1_types.toml")
    return frozenset(scan_key(w) for w in data.get("area_words", []))


def sentence_initial(text: str, start: int) -> bool:
    """Say whether position ``start`` opens a sentence (or the text, a line, a quotation)."""
    index = start - 1
    while index >= 0 and text[index] in " \t\u00a0\"'“”‘’«»([":
        index -= 1
    return index < 0 or text[index] in _SENTENCE_END


@lru_cache(maxsize=4096)
def left_word(text: str, start: int) -> str | None:
    """Return the word right before ``start`` (one space between), or None.

    Cached: the filters ask for the same word several times per match (the text's hash is computed once).
    """
    found = _LEFT_WORD.search(text[max(0, start - 40) : start])
    return found.group(1) if found else None


def before_word(text: str, start: int) -> str:
    """Return the folded word right before ``start`` (one space between), or an empty string."""
    found = left_word(text, start)
    return scan_key(found) if found else ""


@lru_cache(maxsize=4096)
def right_word(text: str, end: int) -> str | None:
    """Return the word right after ``end`` (one space between), or None."""
    found = _RIGHT_WORD.match(text, end)
    return found.group(1) if found else None


@cache
def city_words() -> frozenset[str]:
    """Return folded words for a town or city that make the name beside them the settlement."""
    return frozenset(scan_key(w) for w in read_data_toml("adm1_types.toml").get("city_words", []))
