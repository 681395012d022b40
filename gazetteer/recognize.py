"""Recognition filters: decide which scanned name matches are places in their sentence.

A match is kept when it looks like a name where it stands: capitalised (in scripts with case), not a
code or a one/two-letter name, not glued inside a longer capitalised name (``Jerusalem Post``,
``Mohammed Deif``), not after a title (``President Biden``), and, when the name is also a frequent word
of the text's language (``Of``, ``Met``, ``Best``, ``Nice``), only with evidence: capitalised inside a
sentence, or right after a preposition of place. Overlaps keep the longest match.
"""

# ruff: noqa: RUF001  (Cyrillic and apostrophe variants are the point here)

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from functools import cache

from gazetteer.cues import (
    Cues,
    abbreviations,
    area_words,
    before_word,
    city_words,
    cues,
    left_word,
    organisation_spans,
    plural_heads,
    plural_region_words,
    region_words,
    right_word,
    sentence_initial,
    subregion_words,
)
from gazetteer.directions import direction_before
from gazetteer.index import Gazetteer, Match
from gazetteer.normalize import scan_key
from gazetteer.records import MentionKind

#: Zipf frequency from which a one-word name counts as a common word of a language.
COMMON_ZIPF = 3.6
#: Zipf frequency from which a common word needs a preposition of place before it.
VERY_COMMON_ZIPF = 5.0
#: A common word whose frequency is this close in every language is a name all languages use (Paris).
NAME_SPREAD = 1.0
#: Alternate-only names that are frequent words need a place at least this large.
ALTERNATE_MIN_POPULATION = 500_000
_LATIN_PANEL = ("en", "nl", "de", "fr", "es", "it")
_LEFT_TITLE = re.compile(r"([^\W\d_][\w'’]*)\.? $")
_HYPHENS = "-\u2010\u2011"



@dataclass(frozen=True, slots=True)
class Mention:
    """A match kept as a name, with why; ``region_phrase`` when a region word stands beside it,
    ``city_phrase`` when a word for a town or city does ("в городе Газа", "Gaza City")."""

    match: Match
    reasons: tuple[str, ...]
    region_phrase: bool = False
    city_phrase: bool = False


_TOKEN = re.compile(r"\s*([,;]|[^\W\d_][\w'’-]*)")
#: How many tokens (names and joiners) a list may run on before the region word they share.
MAX_LIST_TOKENS = 8


def _before_plural_head(text: str, match: Match, cue: Cues) -> bool:
    """Say whether a match is in a list that shares a plural region word after or before it.

    "the Bryansk and Rostov regions", "в Липецкой и Тамбовской областях", "den Gebieten Brjansk und
    Kursk": between the match and the word stand only other names (capitalised) and list joiners.
    """
    if any(p.feature.startswith("PCL") for p in match.places):
        # "the regions of Ukraine": a country contains the regions, it is none of them.
        return False
    if _cyrillic(match.text) and not _CYRILLIC_ADJECTIVE.search(match.text):
        # Cyrillic names share a region word as adjectives (Lipetskoi i Tambovskoi oblastiakh): a noun
        # form (v Belgorode i Belgorodskoi oblasti) is the town beside its region.
        return False
    return _list_reaches_plural(_run(text[match.end : match.end + 120]), cue) or _list_reaches_plural(
        _run(text[max(0, match.start - 120) : match.start], backwards=True), cue
    )


#: Adjective endings of Cyrillic region names (-oi, -ei, -aia, -uiu, -ii, -yi, -ii, -oi, -oiu, -a, -u in
#: transliteration), written as escapes.
_CYRILLIC_ADJECTIVE = re.compile(
    "(?:\u043e\u0439|\u0435\u0439|\u0430\u044f|\u0443\u044e|\u0438\u0439|\u044b\u0439|\u0456\u0439"
    "|\u043e\u0457|\u043e\u044e|\u0430|\u0443)$",
    re.IGNORECASE,
)


def _run(window: str, *, backwards: bool = False) -> list[str]:
    """Return the tokens (words, commas) that follow each other without a gap from the window's near end."""
    tokens = list(_TOKEN.finditer(window))
    if backwards:
        tokens.reverse()
    out: list[str] = []
    edge = len(window) if backwards else 0
    for token in tokens:
        gap = window[token.end() : edge] if backwards else window[edge : token.start()]
        if gap and not gap.isspace():
            # Something else (a full stop, a bracket) stands between: the run ends.
            break
        out.append(token.group(1))
        edge = token.start() if backwards else token.end()
    return out


def _list_reaches_plural(tokens: Sequence[str], cue: Cues) -> bool:
    """Say whether names and joiners lead to a plural region word that stands next to a name."""
    previous_is_name, names, joined = True, 0, False
    for word in tokens[:MAX_LIST_TOKENS]:
        if scan_key(word) in plural_region_words():
            # Names between need a joiner: "Белозерка Херсонской области" is a village and its region.
            return previous_is_name and (joined or not names)
        if scan_key(word) in _LIST_LINKS:
            # "les régions de Soumy et de Kharkiv": a link stands between the word and each name.
            continue
        joiner = any(p.fullmatch(f" {word} ") for p in cue.list_joiners)
        if not (joiner or _capitalised(word)):
            return False
        previous_is_name = not joiner
        names += not joiner
        joined = joined or joiner
    return False


_LIST_LINKS = frozenset({"de", "d'", "des", "du", "of", "van", "von", "der"})


def _capitalised(word: str) -> bool:
    return word[:1].isupper()


def _common_word(match: Match, lang: str | None, gazetteer: Gazetteer) -> float:
    """Return the name's frequency as a common word of the language, or 0 when it is a name everywhere."""
    if " " in match.key:
        return 0.0
    freqs = gazetteer.common_frequencies(match.key)
    zipf = freqs.get(lang or "en", 0.0)
    if zipf < COMMON_ZIPF:
        return 0.0
    panel = [freqs.get(code, 0.0) for code in _LATIN_PANEL]
    return 0.0 if min(panel) >= zipf - NAME_SPREAD else zipf


PERSON = "after a capitalised word: part of a person's or an organisation's name"


def _after_lower_case_word(text: str, start: int) -> bool:
    """Say whether the word before ``start`` (one space between) is written in lower case."""
    before = left_word(text, start)
    return before is not None and before[:1].islower()


def _glued_left(text: str, match: Match, cue: Cues, lang: str | None) -> bool:
    """Say whether a capitalised word right before the match makes it part of a longer name."""
    before = left_word(text, match.start)
    if not before or not _capitalised(before):
        return False
    key = scan_key(before)
    word_start = match.start - len(before) - 1
    if lang == "de" and _after_lower_case_word(text, word_start):
        # German capitalises nouns: "der Großstadt Charkiw" is an apposition, not a name.
        return False
    if cue.genitive_s and match.inflected:
        return False  # a genitive after its noun: "im Norden Israels", "die Regierung Russlands"
    if typed_unit(match) and match.key.split()[-1] in region_words():
        return False  # the region of the town before it: "село Білозерка Херсонської області"
    return (
        not sentence_initial(text, word_start)
        and key not in cue.titles
        and key not in _DIRECTIONS
        and key not in cue.place_prepositions
        and not _part_head(text, word_start, key, cue)
    )


def _part_head(text: str, start: int, key: str, cue: Cues) -> bool:
    """Say whether the word at ``start`` is a part-of-city word that names what follows ("im Stadtteil
    Zeitoun"), not the inside of a longer name ("Woodstock District Chamber")."""
    if key not in cue.part_heads:
        return False
    prior = left_word(text, start)
    return (
        prior is None
        or not _capitalised(prior)
        or scan_key(prior) in cue.place_prepositions
        or scan_key(prior) in cue.articles
        or sentence_initial(text, start - len(prior) - 1)
    )


_POSSESSIVE = re.compile(r"^(.+?)(?:['’]s|s['’])$")
_POSSESSOR_FEATURES = frozenset({"PCLI", "ADM1", "PPLC", "PPLA"})


def _place_possessive(text: str, match: Match, gazetteer: Gazetteer) -> bool:
    """Say whether the word before the match is a country's, region's or capital's possessive
    ("Russia's Kursk region", "Ukraine's Kharkiv"): a place inside it, not part of a longer name."""
    before = left_word(text, match.start)
    found = _POSSESSIVE.match(before or "")
    places = gazetteer.lookup(found.group(1)) if found else []
    return any(p.feature in _POSSESSOR_FEATURES for p in places)


_DATELINE_TAIL = re.compile(r"(?:,\s|\s*\(|\s*[-\u2013\u2014]\s)")


def _dateline_name(text: str, match: Match) -> bool:
    """Say whether an all-caps match opens the text as a dateline ("KYIV (AP) -", "ODESA, Ukraine -")."""
    return not text[: match.start].strip() and _DATELINE_TAIL.match(text, match.end) is not None


def _headed_place(text: str, match: Match) -> bool:
    """Say whether an area word follows the match ("the Nahariya area", "the Zeitoun neighbourhood").

    Not a region word: "the Sharon region" names a region the index may lack, not a town's region.
    """
    after = right_word(text, match.end)
    return after is not None and scan_key(after) in area_words()


def _speaks(text: str, match: Match, cue: Cues) -> bool:
    """Say whether a verb of speaking follows the match: it names a person ("Johnson said")."""
    after = right_word(text, match.end)
    return after is not None and scan_key(after) in cue.speech_verbs and not _notable(match)


def typed_unit(match: Match) -> bool:
    """Say whether a match names a unit with its type word ("the Nikopol district", "den Rajon X")."""
    words = match.key.split()
    types = _type_words()
    return len(words) > 1 and (words[-1] in types or words[0] in types)


@cache
def _type_words() -> frozenset[str]:
    return region_words() | subregion_words()


def _cyrillic(word: str) -> bool:
    return any("\u0400" <= c <= "\u04ff" for c in word)


def _glued_right(text: str, match: Match, cue: Cues) -> bool:
    """Say whether a capitalised word right after a capitalised match makes it part of a longer name.

    A match in lower case (a country adjective: "israelische Armee") opens no name. Where every noun
    is capitalised (``nouns_capitalised``: German), a notable place before a noun is the place ("aus
    dem Libanon Raketen", "in Kiew Explosionen").
    """
    after = right_word(text, match.end)
    if cue.nouns_capitalised and _notable(match):
        return False
    if typed_unit(match):
        # A unit named with its type word is whole: what follows is the region it lies in
        # ("Нікопольський район Дніпропетровської області") or one of its institutions ("Metcalfe County
        # Sheriff's Office", "Kharkiv Oblast Administration"), which lie in it.
        return False
    if after and _capitalised(after) and _has_capital(match.text) and text[match.end] == " ":
        key = scan_key(after)
        beyond = right_word(text, match.end + 1 + len(after))
        if _cyrillic(after) and beyond is not None and scan_key(beyond) in region_words():
            return False  # a town, then its region in the genitive: "село Белозерка Херсонской области"
        if (
            key not in region_words()
            and key not in subregion_words()
            and key not in cue.titles
            and key not in cue.place_prepositions
        ):
            return True
    return False


_DIRECTIONS = frozenset(
    {
        "north",
        "south",
        "east",
        "west",
        "northern",
        "southern",
        "eastern",
        "western",
        "central",
        "greater",
        "northeast",
        "northwest",
        "southeast",
        "southwest",
        "upper",
        "lower",
        "noord",
        "zuid",
        "oost",
        "nord",
        "süd",
        "ost",
        "sud",
        "est",
        "ouest",
    }
)


def _dotted_abbreviation(text: str, match: Match) -> bool:
    """Say whether the match plus the dot after it is a listed abbreviation ("Calif" + ".")."""
    return text[match.end : match.end + 1] == "." and f"{match.text}." in abbreviations()


_GENERIC = frozenset(
    {"province", "region", "state", "district", "territory", "area", "coast", "centre", "center"}
)


#: Words that make a demonym after them regional: "Central American" is no American.
_REGIONAL_HEADS = frozenset({"latin", "sub", "pan"})


def _regional_adjective(text: str, match: Match) -> bool:
    """Say whether a demonym follows a capitalised direction ("Central American", "South Sudanese")."""
    if not match.kinds or any(kind != MentionKind.DEMONYM for kind in match.kinds):
        return False
    before = left_word(text, match.start)
    if not before or not _capitalised(before):
        return False
    key = scan_key(before)
    return key in _DIRECTIONS or key in _REGIONAL_HEADS


def _lower_direction_before_name(match: Match) -> bool:
    """Say whether a match opens with a direction in lower case ("east London", not "East London").

    Curated regions are named so on purpose ("northern Gaza"); other places are named with a capital.
    """
    words = match.text.split()
    return (
        len(words) > 1
        and words[0].islower()
        and scan_key(words[0]) in _DIRECTIONS
        and not any(p.id.startswith("curated:") or p.feature == "RGN" for p in match.places)
    )


def reject_reason(match: Match, text: str, *, lang: str | None, gazetteer: Gazetteer) -> str | None:
    """Return why a match is not a place name here, or None when it is kept."""
    cue = cues(lang)
    if match.inflected and match.text.isascii():
        if not cue.genitive_s:
            return "a case form of a Latin name, in a language that does not inflect names"
        following = right_word(text, match.end)
        if following is not None and _capitalised(following):
            return "a possessive genitive before its noun ('Israels Militär'): the owner, not a place"
    letters = sum(c.isalnum() for c in match.text)
    abbreviation = match.text in abbreviations() or _dotted_abbreviation(text, match)
    if letters < 3 and not abbreviation:
        return "one or two letters"
    if not any(
        _capitalised(word) or not word[:1].isalpha() or word[:1].lower() == word[:1].upper()
        for word in match.text.split()
    ) and not (cue.lower_case_adjectives and all(kind == MentionKind.DEMONYM for kind in match.kinds)):
        return "lower case"
    if match.text.isupper() and letters <= 5 and not abbreviation and not _dateline_name(text, match):
        return "a code"
    if _lower_direction_before_name(match):
        return "a direction written before a name ('east London'), not part of it"
    if _regional_adjective(text, match):
        return "part of a regional adjective ('Central American', 'Latin American'), not the country's"
    if match.key in cue.non_places:
        return "a month, day or other non-place word"
    placed = scan_key(left_word(text, match.start) or "") in cue.place_prepositions
    if match.key in cue.peoples and not placed:
        return "a people's name ('Arab leaders'), not the town so named"
    if all(w in _DIRECTIONS or w in _GENERIC for w in match.key.split()):
        return "a direction or a generic region word, not a name"
    if before_word(text, match.start) in _DIRECTIONS and any(p.feature == "CONT" for p in match.places):
        return "part of a continent (North Africa): no point stands for it"
    title = _LEFT_TITLE.search(text[max(0, match.start - 40) : match.start])
    if title and scan_key(title.group(1)) in cue.titles:
        return "after a title: a person's name"
    before = left_word(text, match.start)
    if (_glued_left(text, match, cue, lang) and not _place_possessive(text, match, gazetteer)) or _speaks(
            text, match, cue):
        return PERSON
    if (
        before_word(text, match.start) in cue.articles
        and not _notable(match)
        and not _headed_place(text, match)
        and not typed_unit(match)
    ):
        return "a small town's name after an article: a common noun or an institution"
    if _glued_right(text, match, cue):
        return "inside a longer capitalised name"
    fragment = fragment_reason(match, text, cue)
    if fragment is not None:
        return fragment
    return _frequent_word_reason(match, text, lang=lang, gazetteer=gazetteer, cue=cue, before=before)


_HYPHEN_WORD = re.compile(f"[{_HYPHENS}]([^\\W\\d_][\\w'’]*)")
#: Words after a hyphen that keep the name before it a place ("Gaza-Stad", "Kiew-Stadt").
_CITY_WORDS = frozenset({"stad", "stadt", "ville", "city", "місто", "город"})
#: Articles that never open a place name when written in lower case inside a match ("de Noord").
_LOWER_ARTICLES = frozenset({"de", "het", "the", "le", "la", "les", "der", "die", "das", "den", "dem"})


def hyphen_glued(text: str, match: Match) -> str | None:
    """Return the capitalised word glued to the match's end by a hyphen ("Noord-Oekraïense"), or None."""
    found = _HYPHEN_WORD.match(text, match.end)
    if found is None or not _capitalised(found.group(1)):
        return None
    word = scan_key(found.group(1))
    if word in _CITY_WORDS or word in region_words() or word in subregion_words():
        return None
    return found.group(1)


def fragment_reason(match: Match, text: str, cue: Cues) -> str | None:
    """Return why a match is a fragment of a longer name or of a landmark's name, or None.

    A lower-case article opening the match ("de Noord"), a name link before it after a capitalised
    word ("Tell al-Karameh"), a landmark word before ("golfe d'Aden", "вулиці Харківській") or after
    it ("the Dnipro river", "Qatar roundabout").
    """
    first = match.text.split()[0]
    lower_article = first.islower() and scan_key(first) in _LOWER_ARTICLES
    if " " in match.text.strip() and lower_article and not _notable(match):
        return "opens with a lower-case article: part of a longer phrase"
    rest = match.text.split()[1:]
    if scan_key(first) in _LOWER_ARTICLES and rest and all(w.islower() for w in rest) and not _notable(match):
        return "an article and common words ('Le quartier'): a phrase, not a name"
    window = text[max(0, match.start - 40) : match.start]
    if cue.name_links is not None:
        linked = cue.name_links.search(window)
        if linked is not None:
            word = linked.group().split()[0].split("-")[0]
            if _capitalised(word) and scan_key(word) not in cue.place_prepositions | cue.articles:
                return "after a capitalised word and a name link: the tail of a longer name"
    if cue.landmark_before is not None and cue.landmark_before.search(window):
        return "after a landmark word: the name of a street, a water body or a landmark"
    after = right_word(text, match.end) or _hyphen_word(text, match)
    if after is not None and scan_key(after) in cue.landmark_after:
        return "before a landmark word: the name of a street, a water body or a landmark"
    return None


def _hyphen_word(text: str, match: Match) -> str | None:
    found = _HYPHEN_WORD.match(text, match.end)
    return found.group(1) if found else None


def _frequent_word_reason(
    match: Match, text: str, *, lang: str | None, gazetteer: Gazetteer, cue: Cues, before: str | None
) -> str | None:
    after_preposition = before is not None and scan_key(before) in cue.place_prepositions
    freqs = gazetteer.common_frequencies(match.key) if " " not in match.key else {}
    if freqs and max(freqs.values()) >= COMMON_ZIPF - 0.6 and not any(_own_names(match)):
        biggest = max(p.population for p in match.places)
        if biggest < ALTERNATE_MIN_POPULATION:
            return "a frequent word that is only an alternate name of a small place"
    zipf = _common_word(match, lang, gazetteer)
    if zipf and after_preposition and lang == "de" and zipf >= COMMON_ZIPF and not _notable(match):
        # German capitalises nouns, and "in Panik", "in Brand", "in Sorge" follow a preposition too.
        return "a common German noun after a preposition ('in Panik'), not a small town"
    if not zipf or after_preposition or _notable(match, strong=True):
        return None
    if _notable(match) and (not sentence_initial(text, match.start) or not match.text[:1].isascii()):
        # Opening a sentence, a large place's name is still the place outside the Latin script:
        # Ukrainian and Russian use city names as often as common words ("Харків", "Курск").
        return None
    if zipf >= VERY_COMMON_ZIPF or lang == "de":
        return "a very common word without a preposition of place"
    if sentence_initial(text, match.start):
        return "a common word at the start of a sentence"
    return None


#: Places this large, and countries, regions and capitals, are what their name means in news text.
NOTABLE_POPULATION = 100_000


#: Countries whose own names are written in Cyrillic: there a Cyrillic name is the place's own name,
#: not one of its alternates, although GeoNames keeps a Latin one as its main name.
CYRILLIC_COUNTRIES = frozenset({"RU", "UA", "BY", "BG", "RS", "MK", "ME", "BA", "KZ", "KG", "TJ", "MN"})


def _own_names(match: Match) -> tuple[bool, ...]:
    """Return per candidate whether the match is a name it is known by in its own country.

    Its main name, or a Cyrillic name of a place in a country that writes Cyrillic: "Белгород" is
    frequent in Russian because it is the city's name, not a common word the city happens to share.
    """
    main = match.main or (True,) * len(match.places)
    cyrillic = any("\u0400" <= ch <= "\u04ff" for ch in match.text)
    return tuple(own or (cyrillic and place.country_code in CYRILLIC_COUNTRIES)
                 for place, own in zip(match.places, main, strict=True))


def _notable(match: Match, *, strong: bool = False) -> bool:
    """Say whether a candidate is notable enough that its name is read as the place even if it is a word.

    Countries, regions and capitals are (``strong``); so are large cities, except as a common word
    opening a sentence ("Mobile phones ...").
    """
    return any(
        main
        and (
            place.feature in {"PCLI", "ADM1", "PPLC", "CONT", "RGN"}
            or place.id.startswith("curated:")
            or (not strong and place.population >= NOTABLE_POPULATION)
        )
        for place, main in zip(match.places, _own_names(match), strict=True)
    )


def select(matches: Sequence[Match], text: str, *, lang: str | None, gazetteer: Gazetteer) -> list[Mention]:
    """Return the matches kept as names, longest first where they overlap, sorted by start."""
    kept: list[Mention] = []
    taken = _Spans()
    people: set[str] = set()
    inside_organisation = _container(organisation_spans(text, cues(lang)))
    starts = {m.start for m in matches}
    for match in sorted(matches, key=lambda m: (m.start - m.end, m.start)):
        if taken.overlaps(match.start, match.end):
            continue
        if inside_organisation(match.start, match.end):
            if not _notable(match):
                people.add(match.key)
            continue
        reason = reject_reason(match, text, lang=lang, gazetteer=gazetteer)
        if reason is None and _hyphen_fragment(match, text, lang, starts):
            reason = "glued by a hyphen to a following word: part of a compound name or adjective"
        if reason is not None:
            if reason == PERSON and not _notable(match):
                people.add(match.key)
            continue
        if match.romanised and before_word(text, match.start) in cues(lang).speech_verbs:
            # "said Bruschke": a person; the name stays one in the rest of the text.
            people.add(match.key)
            continue
        if match.romanised and not _place_context(text, match, cues(lang), lang):
            continue
        kept.append(
            Mention(match, ("recognised",), _region_phrase(text, match), _city_phrase(text, match))
        )
        taken.add(match.start, match.end)
    # One sense per text: a name seen inside a person's or group's name ("Megyn Kelly") is that elsewhere.
    cue = cues(lang)
    kept = [
        m
        for m in kept
        if m.match.key not in people or (not m.match.romanised and _after_preposition(text, m.match, cue))
    ]
    kept = _romanised_in_focus(kept, text, gazetteer)
    if plural_heads().search(text):
        kept = [
            replace(m, region_phrase=True) if _before_plural_head(text, m.match, cue) else m for m in kept
        ]
    return sorted(kept, key=lambda m: m.match.start)


def _hyphen_fragment(match: Match, text: str, lang: str | None, match_starts: set[int]) -> bool:
    """Say whether a match is the first part of a hyphenated compound ("Noord-Oekraïense", "Jesreel-Tal").

    Only in languages that build compounds so (``hyphen_compounds`` in cues.toml). Two names joined by
    a hyphen ("Israel-Gaza", "Russisch-Oekraïense") stay names, and so does a well-known name joined to
    a noun ("Gaza-Krieg"): only a lesser name glued to a word no name starts is a fragment.
    """
    if not cues(lang).hyphen_compounds or hyphen_glued(text, match) is None:
        return False
    return match.end + 1 not in match_starts and not _notable(match)


class _Spans:
    """Disjoint spans kept sorted, so an overlap test is a binary search, not a scan of all of them.

    Kept spans never overlap one another, so their ends are sorted as their starts are; only the
    last span starting before a new span's end can reach into it. Empty spans break that order and
    are few: they are tested one by one.
    """

    def __init__(self) -> None:
        self.starts: list[int] = []
        self.ends: list[int] = []
        self.empty: list[int] = []

    def overlaps(self, start: int, end: int) -> bool:
        """Tell whether (start, end) overlaps a kept span (the same test as ``a < d and c < b``)."""
        if any(start < at < end for at in self.empty):
            return True
        i = bisect.bisect_left(self.starts, end) - 1
        return i >= 0 and start < self.ends[i]

    def add(self, start: int, end: int) -> None:
        """Keep a span that overlaps none kept so far."""
        if start >= end:
            self.empty.append(start)
            return
        i = bisect.bisect_left(self.starts, start)
        self.starts.insert(i, start)
        self.ends.insert(i, end)


def _container(spans: Sequence[tuple[int, int]]) -> Callable[[int, int], bool]:
    """Return a test of whether a span lies inside one of ``spans`` (which may overlap one another)."""
    ordered = sorted(spans)
    starts = [s for s, _ in ordered]
    reach = list(itertools.accumulate((e for _, e in ordered), max))

    def contains(start: int, end: int) -> bool:
        i = bisect.bisect_right(starts, start) - 1
        return i >= 0 and end <= reach[i]

    return contains


#: A place found only under its romanisation key is read anywhere from this population ...
ROMANISED_ANYWHERE_POPULATION = 500_000


_ELIDED = re.compile(r"(?<![\w'’])([^\W\d_]+)['’]$")


def _place_context(text: str, match: Match, cue: Cues, lang: str | None) -> bool:
    """Say whether a preposition of place (also elided: "d'"), a direction phrase ("north of") or a
    region word stands beside a match."""
    after = right_word(text, match.end)
    elided = _ELIDED.search(text[max(0, match.start - 10) : match.start])
    before = left_word(text, match.start)
    # A conjunction ("и", "and") joins a list of names, places or people: no cue of place by itself.
    joined = before is not None and any(p.fullmatch(f" {before} ") for p in cue.list_joiners)
    return (
        (_after_preposition(text, match, cue) and not joined)
        or (elided is not None and scan_key(elided.group(1)) in cue.place_prepositions)
        or (after is not None and scan_key(after) in region_words() | subregion_words())
        or (direction_before(text, match.start, lang) is not None and not _has_capital(before or ""))
    )


def _has_capital(words: str) -> bool:
    """Say whether any word of a span is capitalised ("as Salt" is; "israelische" is not)."""
    return any(_capitalised(word) for word in words.split())


#: Words for a kind of settlement that, before "of", make the next name a place ("the port of X").
_SETTLEMENT_HEADS = frozenset(
    {"port", "city", "town", "village", "camp", "province", "governorate", "district", "region"}
)
_HEAD_OF = re.compile(r"([^\W\d_]+)\s+(?:of|de\s|d'|d’|van\s|von\s)\s*$", re.IGNORECASE)


def _settlement_head(text: str, match: Match) -> bool:
    """Say whether a settlement word and "of" stand right before a match ("the port of Hodeidah")."""
    found = _HEAD_OF.search(text[max(0, match.start - 30) : match.start])
    return found is not None and scan_key(found.group(1)) in _SETTLEMENT_HEADS | region_words()


def _romanised_in_focus(kept: list[Mention], text: str, gazetteer: Gazetteer) -> list[Mention]:
    """Keep loose (romanised) readings only in the countries the other names of the text speak of,
    or, for Cyrillic spellings, their neighbours when an adjective names the country.

    The key is loose, so the text's own country focus keeps it safe; a large place
    (ROMANISED_ANYWHERE_POPULATION) is also read after a settlement word ("the port of Hodeidah").
    """
    firm = [m for m in kept if not m.match.romanised]
    countries = {max(m.match.places, key=lambda p: p.population).country_code for m in firm}
    neighbours = {
        neighbour
        for m in firm
        if all(kind == MentionKind.DEMONYM for kind in m.match.kinds)
        for code in {p.country_code for p in m.match.places}
        for neighbour in gazetteer.neighbours(code)
    }
    out = []
    for mention in kept:
        if mention.match.romanised:
            headed = _settlement_head(text, mention.match)
            # Cyrillic spellings of foreign names vary most: the neighbours of an adjective's country
            # count for them too ("израильские танки ... в Хан-Юнусе").
            home = countries | neighbours if not mention.match.text.isascii() else countries
            places = tuple(
                p
                for p in mention.match.places
                if p.country_code in home or (headed and p.population >= ROMANISED_ANYWHERE_POPULATION)
            )
            if not places:
                continue
            match = replace(
                mention.match,
                places=places,
                kinds=mention.match.kinds[: len(places)],
                main=mention.match.main[: len(places)],
            )
            mention = replace(mention, match=match)
        out.append(mention)
    return out


def _after_preposition(text: str, match: Match, cue: Cues) -> bool:
    before = left_word(text, match.start)
    return before is not None and scan_key(before) in cue.place_prepositions


def _city_phrase(text: str, match: Match) -> bool:
    """Say whether a word for a town or city stands right before (past "of"/"de") a match or is
    hyphenated after it."""
    words = city_words()
    before = before_word(text, match.start)
    if before in _LIST_LINKS:
        link = left_word(text, match.start)
        start = text.rfind(link, 0, match.start) if link else -1
        before = before_word(text, start) if start > 0 else ""
    after = text[match.end : match.end + 12]
    follows = _CITY_AFTER.match(after)
    return before in words or (follows is not None and scan_key(follows.group(1)) in words)


#: After a name only a hyphenated city word counts ("Gaza-Stad"): "Kansas City" is another place.
_CITY_AFTER = re.compile(r"-(\w+)")


def _region_phrase(text: str, match: Match) -> bool:
    words = region_words()
    before, after = left_word(text, match.start), right_word(text, match.end)
    return match.region or any(w is not None and scan_key(w) in words for w in (before, after))
