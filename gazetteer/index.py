"""The loaded index: look names up, get places by id, scan text for every candidate mention."""

# ruff: noqa: RUF001  (Cyrillic and apostrophe variants are the point here)

from __future__ import annotations

import bisect
import gc
import itertools
import pickle
import re
import time
from array import array
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from gazetteer import geo, settings
from gazetteer.errors import GazetteerFormatError, IndexMissingError
from gazetteer.normalize import (
    MARK,
    fold_marked,
    fold_name,
    inflection_variants,
    mark_key,
    name_word_variants,
    romanised_key,
    scan_key,
    syllables,
)
from gazetteer.records import MentionKind, Place, Precision
from gazetteer.units import find_units, unit_places

_CYRILLIC_WORD = re.compile(r"[А-ЯЁҐЄІЇ][а-яёґєії'’ʼ]{2,}")
#: A capitalised Cyrillic word with its hyphenated parts ("Тель-Авиве", "Хан-Юнусу").
#: Two capitalised Cyrillic words in a row (overlapping pairs), for two-word names in a case form.
_CYRILLIC_PAIR = re.compile(r"(?=(?<![\w'’ʼ-])([А-ЯЁҐЄІЇ][а-яёґєії'’ʼ]+ [А-ЯЁҐЄІЇ][а-яёґєії'’ʼ]+)(?![\w-]))")
_CYRILLIC_COMPOUND = re.compile(r"[А-ЯЁҐЄІЇ][а-яёґєії'’ʼ]+(?:-[А-ЯЁҐЄІЇа-яёґєії][а-яёґєії'’ʼ]+)+")
_KINDS = (MentionKind.PLACE, MentionKind.DEMONYM)
#: The places of one name group, their kinds and whether the name is each one's main name.
_Group = tuple[tuple[Place, ...], tuple[MentionKind, ...], tuple[bool, ...]]


class _Spans:
    """Spans of a text, asked in logarithmic time whether one of them covers a position."""

    def __init__(self, spans: list[tuple[int, int]]) -> None:
        ordered = sorted(spans)
        self._starts = [a for a, _ in ordered]
        self._reach: list[int] = []  # the furthest end of the spans starting at or before each one
        for _, end in ordered:
            self._reach.append(max(end, self._reach[-1]) if self._reach else end)

    def covers(self, position: int) -> bool:
        """Tell whether some span [a, b) holds ``position``."""
        before = bisect.bisect_right(self._starts, position) - 1
        return before >= 0 and self._reach[before] > position


@dataclass(frozen=True, slots=True)
class Match:
    """A span of text that is a name in the index, with every place it may stand for.

    ``key`` is the folded name as written (script kept, apostrophes dropped): ``мир``, ``beer sheva``.
    ``main[i]`` says whether the name is one place ``i`` is known
    by (its main name, a country's or region's name) rather than one of its many alternate names.
    ``inflected`` is set when the span matched after undoing a
    case ending (``Харкові``), ``region`` when the form names the region around a city (``Одещини``),
    ``romanised`` when only the loose romanisation key matched (``Hodeidah`` for Al Hudaydah).
    """

    start: int
    end: int
    text: str
    key: str
    places: tuple[Place, ...]
    kinds: tuple[MentionKind, ...]
    main: tuple[bool, ...] = ()
    inflected: bool = False
    region: bool = False
    romanised: bool = False


def _may_be_name(text: str, start: int, end: int) -> bool:
    """Say whether a span can be a name: a word in it is capitalised, or its script has no case."""
    for index in range(start, end):
        char = text[index]
        word_start = char.isalpha() and (index == start or not text[index - 1].isalnum())
        if word_start and (char.isupper() or char.lower() == char.upper()):
            return True
    return False


def _demonyms_only(
    places: tuple[Place, ...], kinds: tuple[MentionKind, ...], main: tuple[bool, ...]
) -> tuple[tuple[Place, ...], tuple[MentionKind, ...], tuple[bool, ...]]:
    """Return only the country-adjective readings of a name's group."""
    keep = [i for i, kind in enumerate(kinds) if kind == MentionKind.DEMONYM]
    return tuple(places[i] for i in keep), tuple(kinds[i] for i in keep), tuple(main[i] for i in keep)


class Gazetteer:
    """A loaded index. Build with ``build_index()``, load with ``load()``."""

    def __init__(self, columns: dict[str, Any], automaton: Any) -> None:
        if columns.get("format") != settings.BUILD_FORMAT:
            msg = f"index format {columns.get('format')!r} is not {settings.BUILD_FORMAT}: rebuild it"
            raise GazetteerFormatError(msg)
        self._rows: list[tuple[Any, ...]] = columns["places"]
        self._offsets: array[int] = columns["group_offsets"]
        self._members: array[int] = columns["group_members"]
        self._kinds: bytes = columns["group_kinds"]
        self._common: dict[str, tuple[float, ...]] = columns["common"]
        self._common_langs: tuple[str, ...] = tuple(columns["common_langs"])
        self._neighbours: dict[str, tuple[str, ...]] = columns.get("neighbours", {})
        self._romanised: dict[str, tuple[int, ...]] = columns.get("romanised", {})
        self._romanised_stop: frozenset[str] = columns.get("romanised_stop", frozenset())
        self._romanised_firsts: frozenset[str] | None = None
        self._automaton = automaton
        self._cache: dict[int, Place] = {}
        self._groups: dict[int, _Group] = {}
        self._demonym_groups: dict[int, _Group] = {}
        self._ids: dict[str, int] | None = None
        self._regions: dict[tuple[str, str], int] | None = None
        self._capitals: dict[str, int] | None = None
        self._seats: dict[tuple[str, str], int] | None = None
        self._namesake_seats: dict[str, Place | None] = {}

    def __len__(self) -> int:
        return len(self._rows)

    def place(self, index: int) -> Place:
        """Return the place at a row of the index."""
        found = self._cache.get(index)
        if found is None:
            row = self._rows[index]
            found = Place(
                id=row[0],
                name=row[1],
                lat=row[2],
                lon=row[3],
                country_code=row[4],
                admin1=row[5],
                feature=row[6],
                population=row[7],
                precision=Precision(row[8]),
                radius_km=row[9],
            )
            self._cache[index] = found
        return found

    def populated_places(self, *, min_population: int) -> Iterator[Place]:
        """Yield the towns and cities (GeoNames ``PPL*`` features) of at least this population."""
        for index, row in enumerate(self._rows):
            if row[7] >= min_population and str(row[6]).startswith("PPL"):
                yield self.place(index)

    def get(self, place_id: str) -> Place | None:
        """Return the place with this id (``geonames:281124``), or None."""
        if self._ids is None:
            self._ids = {row[0]: i for i, row in enumerate(self._rows)}
        index = self._ids.get(place_id)
        return None if index is None else self.place(index)

    def _group(self, group: int) -> _Group:
        """Return the places of one name group with their kinds and main-name flags (built once each)."""
        found = self._groups.get(group)
        if found is None:
            start, end = self._offsets[group], self._offsets[group + 1]
            places = tuple(self.place(self._members[i]) for i in range(start, end))
            flags = self._kinds[start:end]
            kinds, main = tuple(_KINDS[f & 1] for f in flags), tuple(bool(f & 2) for f in flags)
            found = self._with_seats(places, kinds, main)
            self._groups[group] = found
        return found

    def _demonym_group(self, group: int) -> _Group:
        """Return only the country-adjective readings of a name group (built once each)."""
        found = self._demonym_groups.get(group)
        if found is None:
            found = self._demonym_groups[group] = _demonyms_only(*self._group(group))
        return found

    def region_of(self, place: Place) -> Place | None:
        """Return the first-level region (ADM1) containing a place, or None."""
        if self._regions is None:
            regions: dict[tuple[str, str], int] = {}
            for index, row in enumerate(self._rows):
                if row[6] == "ADM1" and row[5]:
                    regions.setdefault((row[4], row[5]), index)
            self._regions = regions
        if place.admin1 is None:
            return None
        found = self._regions.get((place.country_code, place.admin1))
        return None if found is None else self.place(found)

    def capital_of(self, country_code: str) -> Place | None:
        """Return a country's capital (its GeoNames PPLC place) by ISO 3166-1 alpha-2 code, or None."""
        if self._capitals is None:
            capitals: dict[str, int] = {}
            for index, row in enumerate(self._rows):
                if row[6] == "PPLC":
                    known = capitals.get(row[4])
                    if known is None or row[7] > self._rows[known][7]:
                        capitals[row[4]] = index
            self._capitals = capitals
        found = self._capitals.get(country_code.upper())
        return None if found is None else self.place(found)

    def seat_of(self, region: Place) -> Place | None:
        """Return a first-level region's seat, or None.

        Its GeoNames PPLA place where the index marks one, else its most populous town: the index
        built from registry packages marks few seats, and a region's largest town is its seat in
        most of the places conflict news names (say so when it is not: Donetsk Oblast's seat moved).
        """
        if self._seats is None:
            seats: dict[tuple[str, str], int] = {}
            for index, row in enumerate(self._rows):
                if str(row[6]).startswith("PPL") and row[5]:
                    known = seats.get((row[4], row[5]))
                    rank = (row[6] == "PPLA", row[7])
                    if known is None or rank > (self._rows[known][6] == "PPLA", self._rows[known][7]):
                        seats[(row[4], row[5])] = index
            self._seats = seats
        found = self._seats.get((region.country_code, region.admin1 or ""))
        if found is None and region.radius_km:
            found = self._largest_town_near(region)
        return None if found is None else self.place(found)

    def _largest_town_near(self, region: Place) -> int | None:
        """Return the row of the most populous town of a region's country within its radius, or None.

        For regions whose admin1 name differs from the one their towns carry (curated regions).
        """
        best: int | None = None
        radius = float(region.radius_km or 0.0)
        for index in self._seats.values() if self._seats else ():
            row = self._rows[index]
            if row[4] != region.country_code or (best is not None and row[7] <= self._rows[best][7]):
                continue
            if geo.distance_km(region.lat, region.lon, row[2], row[3]) <= radius:
                best = index
        return best

    def _value(self, key: str) -> int | None:
        value = self._automaton.get(mark_key(key), None)
        return None if value is None else int(value)

    def lookup(self, name: str) -> list[Place]:
        """Return every place (and demonym country) a name may stand for, largest first."""
        value = self._value(scan_key(name))
        if value is None:
            value = self._value(fold_name(name))
        if value is None:
            return []
        places, _kinds, _main = self._group(value >> 8)
        return sorted(places, key=lambda p: -p.population)

    def neighbours(self, country_code: str) -> tuple[str, ...]:
        """Return the ISO codes of a country's land neighbours."""
        return self._neighbours.get(country_code, ())

    def common_frequency(self, word: str, lang: str) -> float:
        """Return the Zipf frequency of a one-word name as a common word of a language (0 if rare)."""
        row = self._common.get(word)
        if row is None or lang not in self._common_langs:
            return 0.0
        return row[self._common_langs.index(lang)]

    def common_frequencies(self, word: str) -> dict[str, float]:
        """Return the Zipf frequency of a one-word name per language where it is a frequent word."""
        row = self._common.get(word)
        return {} if row is None else dict(zip(self._common_langs, row, strict=True))

    def scan(self, text: str) -> list[Match]:
        """Return every candidate mention in text, by start, longer matches first at one start.

        Linear in the text: one pass of the Aho-Corasick automaton over the folded text, then case
        endings undone on capitalised Cyrillic words no name covers. Spans written all in lower case
        in a script with case ("van", "met") are not names and are left out, except country adjectives.
        """
        marked = fold_marked(text)
        folded = marked.text
        found: list[Match] = []
        for last, value in self._automaton.iter(folded):
            # A marked key starts at a word start (a MARK); it must also end where a word ends.
            first = last - (value & 0xFF) + 1
            if folded[first] != MARK or folded[last + 1 : last + 2].isalnum():
                continue
            start, end = marked.original(first + 1), marked.original(last) + 1
            if text[end : end + 1].isalnum():
                continue
            if _may_be_name(text, start, end):
                places, kinds, main = self._group(value >> 8)
            else:
                # Country adjectives are written in lower case in de, fr, uk and ru ("israelische",
                # "russe"): in lower case only those readings count (not Ruse, Bulgaria).
                places, kinds, main = self._demonym_group(value >> 8)
                if not places:
                    continue
            key = marked.plain[marked.plain_index(first + 1) : marked.plain_index(last) + 1].replace("'", "")
            found.append(Match(start, end, text[start:end], key, places, kinds, main))
        taken = {(m.start, m.end) for m in found}
        found.extend(self._inflected(text, taken))
        found.extend(self._genitive_matches(text, taken))
        found.extend(self._romanised_matches(text, taken))
        found.extend(self._unit_matches(text, found))
        found.sort(key=lambda m: (m.start, m.start - m.end))
        return found

    def _with_seats(
        self, places: tuple[Place, ...], kinds: tuple[MentionKind, ...], main: tuple[bool, ...]
    ) -> _Group:
        """Return a name group with the seat of each region in it that bears the region's name.

        A governorate named after its city ("Ходейда", "Al Hudaydah") may be known in a language only
        by the region's entry; the city is as good a reading of the name, and the resolver weighs both
        (a city that shares its region's name is the plain reading).
        """
        have = {p.id for p in places}
        extra: dict[str, tuple[Place, bool]] = {}
        for place, flag in zip(places, main, strict=True):
            seat = self._namesake_seat(place) if place.feature == "ADM1" else None
            if seat is not None and seat.id not in have:
                extra.setdefault(seat.id, (seat, flag))
        if not extra:
            return places, kinds, main
        return (
            places + tuple(p for p, _ in extra.values()),
            kinds + (MentionKind.PLACE,) * len(extra),
            main + tuple(f for _, f in extra.values()),
        )

    def _namesake_seat(self, region: Place) -> Place | None:
        """Return the largest town in a region that bears the region's own name, else None (cached)."""
        if region.id not in self._namesake_seats:
            self._namesake_seats[region.id] = self._find_namesake_seat(region)
        return self._namesake_seats[region.id]

    def _find_namesake_seat(self, region: Place) -> Place | None:
        value = self._value(scan_key(region.name))
        if value is None:
            return None
        group, best = value >> 8, None
        for member in range(self._offsets[group], self._offsets[group + 1]):
            index = self._members[member]
            row = self._rows[index]
            if (
                str(row[6]).startswith("PPL")
                and row[4] == region.country_code
                and row[5] == region.admin1
                and fold_name(str(row[1])) == fold_name(region.name)
                and (best is None or row[7] > self._rows[best][7])
            ):
                best = index
        return None if best is None else self.place(best)

    def _unit_matches(self, text: str, found: list[Match]) -> list[Match]:
        """Return hromadas, raions and okrugs named after their seat that no indexed name covers
        ("Великописарівська громада", "Грайворонский городской округ"): see ``gazetteer.units``."""
        out: list[Match] = []
        for span in find_units(text):
            if any(m.start <= span.start and span.end <= m.end and m.end - m.start > span.end - span.start - 1
                   and any(p.feature.startswith("ADM") for p in m.places) for m in found):
                continue
            places = unit_places(span, self.lookup)
            if places:
                said = text[span.start : span.end]
                out.append(Match(
                    span.start, span.end, said, scan_key(said).replace("'", ""), places,
                    (MentionKind.PLACE,) * len(places), (True,) * len(places), inflected=True,
                ))
        return out

    def _inflected(self, text: str, taken: set[tuple[int, int]]) -> list[Match]:
        out: list[Match] = []
        covered: list[tuple[int, int]] = []
        for pair in _CYRILLIC_PAIR.finditer(text):
            match = self._inflected_pair(text, pair.start(1), pair.end(1), taken)
            if match is not None:
                out.append(match)
                covered.append((match.start, match.end))
        for compound in _CYRILLIC_COMPOUND.finditer(text):
            match = self._inflected_word(compound, taken)
            if match is not None:
                out.append(match)
                covered.append((match.start, match.end))
        inside = _Spans(covered)
        for word in _CYRILLIC_WORD.finditer(text):
            if not inside.covers(word.start()):
                match = self._inflected_word(word, taken)
                out.extend([match] if match is not None else [])
        return out

    def _inflected_pair(self, text: str, start: int, end: int, taken: set[tuple[int, int]]) -> Match | None:
        """Return the match of two capitalised words read as a case form of a two-word name, or None.

        "Kryvomu Rohu" (dative) is Kryvyi Rih: the first word read as an adjective, the second as a noun
        (``name_word_variants``); the words as written are left to the exact scan.
        """
        if (start, end) in taken:
            return None
        first, second = text[start:end].split(" ", 1)
        written = (scan_key(first).replace("'", ""), scan_key(second).replace("'", ""))
        for a in name_word_variants(first, adjective=True):
            for b in name_word_variants(second, adjective=False):
                value = None if (a, b) == written else self._value(f"{a} {b}")
                if value is not None:
                    places, kinds, main = self._group(value >> 8)
                    key = f"{written[0]} {written[1]}"
                    return Match(start, end, text[start:end], key, places, kinds, main, inflected=True)
        return None

    def _inflected_word(self, word: re.Match[str], taken: set[tuple[int, int]]) -> Match | None:
        """Return the match of one capitalised word read as a case form of a name, or None.

        Every base form the index knows contributes its places, the form that keeps most of the word
        first ("одеська" before "оде"), then the largest place: the resolver chooses among them with
        the document's evidence.
        """
        if (word.start(), word.end()) in taken:
            return None
        found: list[tuple[int, int, int, bool]] = []
        variants = inflection_variants(word.group())
        for variant, region in variants:
            value = self._value(variant)
            if value is not None:
                places, _, _ = self._group(value >> 8)
                found.append((len(variant), max(p.population for p in places), value, region))
        if not found:
            return self._transliterated_word(word, variants)
        found.sort(reverse=True)
        region = found[0][3]
        seen: set[str] = set()
        merged: list[tuple[Place, MentionKind, bool]] = []
        for _, _, value, flag in found:
            if flag != region:
                continue
            places, kinds, main = self._group(value >> 8)
            for item in zip(places, kinds, main, strict=True):
                if item[0].id not in seen:
                    seen.add(item[0].id)
                    merged.append(item)
        return Match(
            word.start(),
            word.end(),
            word.group(),
            scan_key(word.group()).replace("'", ""),
            tuple(p for p, _, _ in merged),
            tuple(k for _, k, _ in merged),
            tuple(m for _, _, m in merged),
            inflected=True,
            region=region,
        )

    def _transliterated_word(
        self, word: re.Match[str], variants: tuple[tuple[str, bool], ...]
    ) -> Match | None:
        """Return a Cyrillic word (or its case form) found only under its romanisation key.

        Writers spell foreign names differently ("Хан-Юнус", "Хан-Юнис"); transliterated, they meet the
        place's own Latin name under the same loose key as Latin romanisations, with the same safety:
        the own name only, as many vowel groups, and the resolver's checks for ``romanised`` matches.
        """
        if not self._romanised:
            return None
        key = scan_key(word.group()).replace("'", "")
        for variant, region in (*variants, (key, False)):
            loose = romanised_key(variant)
            members = self._romanised.get(loose) if loose else None
            if not members:
                continue
            places = self._own_spellings(members, loose, syllables(variant))
            if places:
                kinds = (MentionKind.PLACE,) * len(places)
                return Match(
                    word.start(), word.end(), word.group(), key, places, kinds, (True,) * len(places),
                    inflected=variant != key, region=region, romanised=True,
                )
        return None

    def _own_spellings(self, members: tuple[int, ...], loose: str, vowels: int) -> tuple[Place, ...]:
        """Return the members whose own name has a spelling's loose key and vowel groups: only a place's
        own name counts (its many alternates make the loose key looser), and the key drops vowels."""
        return tuple(self.place(i) for i in members if _same_spelling(self.place(i).name, loose, vowels))

    def _genitive_matches(self, text: str, taken: set[tuple[int, int]]) -> list[Match]:
        """Return capitalised Latin words read as a notable place's name with a genitive -s or -es
        ("Israels", "Russlands", "des Libanons"); the recognizer keeps them only in languages that
        inflect names so (German)."""
        out: list[Match] = []
        for word in _GENITIVE_WORD.finditer(text):
            if (word.start(), word.end()) in taken:
                continue
            said = word.group()
            for stem in (said[:-1], said[:-2]) if said.endswith("es") else (said[:-1],):
                value = self._value(scan_key(stem))
                if value is None:
                    continue
                places, kinds, main = self._group(value >> 8)
                keep = [i for i, p in enumerate(places)
                        if kinds[i] == MentionKind.PLACE and _notable_place(p)]
                if keep:
                    out.append(Match(
                        word.start(), word.end(), said, scan_key(said),
                        tuple(places[i] for i in keep), tuple(kinds[i] for i in keep),
                        tuple(main[i] for i in keep), inflected=True,
                    ))
                    break
        return out

    def _romanised_matches(self, text: str, taken: set[tuple[int, int]]) -> list[Match]:
        """Return the runs of capitalised Latin words found only under their romanisation key."""
        if not self._romanised:
            return []
        if self._romanised_firsts is None:
            self._romanised_firsts = frozenset(key.split(" ", 1)[0] for key in self._romanised)
        cover = _Cover(taken)
        covered = bytearray(len(text) + 1)
        for first, last in taken:
            covered[first:last] = b"\x01" * (last - first)
        out: list[Match] = []
        for run in _CAPITALISED_RUN.finditer(text):
            if all(covered[run.start() : run.end()]):
                # Every letter of the run is some name's already.
                continue
            words = [w.span() for w in _RUN_WORD.finditer(run.group())]
            keys = [romanised_key(run.group()[a:b]) for a, b in words]
            offset = run.start()
            for first in range(len(words)):
                if keys[first] and keys[first] not in self._romanised_firsts:
                    continue
                for last in range(first, min(first + MAX_ROMANISED_WORDS, len(words))):
                    # The dictionary look-up first: nearly every span misses it.
                    members = self._romanised.get(" ".join(k for k in keys[first : last + 1] if k))
                    if members:
                        start, end = offset + words[first][0], offset + words[last][1]
                        found = self._romanised_match(text, start, end, members, cover)
                        if found is not None:
                            out.append(found)
        return out

    def _romanised_match(
        self, text: str, start: int, end: int, members: tuple[int, ...], cover: _Cover
    ) -> Match | None:
        said = text[start:end]
        opens = said[0].isupper() or ((" " in said or "-" in said) and _LINK_WORD.match(said) is not None)
        if not opens or text[end : end + 1].isalnum() or cover.covers(start, end):
            return None
        if fold_name(said) in self._romanised_stop:
            return None
        places = self._own_spellings(members, romanised_key(said), syllables(said))
        if not places:
            return None
        key = scan_key(said).replace("'", "")
        kinds = (MentionKind.PLACE,) * len(places)
        return Match(start, end, said, key, places, kinds, (True,) * len(places), romanised=True)


class _Cover:
    """Spans (which may overlap) kept sorted, so "does one contain [start, end)?" is a binary search."""

    def __init__(self, spans: Iterable[tuple[int, int]]) -> None:
        ordered = sorted(spans)
        self.starts = [first for first, _ in ordered]
        self.reach = list(itertools.accumulate((last for _, last in ordered), max))

    def covers(self, start: int, end: int) -> bool:
        """Say whether an exact match spans at least the whole of ``[start, end)``."""
        i = bisect.bisect_right(self.starts, start) - 1
        return i >= 0 and end <= self.reach[i]


@lru_cache(maxsize=65_536)
def _same_spelling(name: str, loose: str, said: int) -> bool:
    """Say whether a place's own name has the romanisation key and vowel groups of a spelling."""
    return romanised_key(name) == loose and syllables(name) == said


#: Longest run of words (articles included) looked up under its romanisation key.
MAX_ROMANISED_WORDS = 4
_LINK = r"(?:al|el|ad|an|ar|as|ash|at|az|ed|en|es|et|ul|ur)"
_CAPITALISED_RUN = re.compile(
    rf"(?<![\w-])(?:{_LINK}[\-\s])?[A-Z][^\W\d_]+(?:[\-\s](?:{_LINK}[\-\s])?[A-Z][^\W\d_]+)*"
)
_RUN_WORD = re.compile(r"[^\W\d_]+")
#: A capitalised Latin word ending in -s, a possible genitive of a name ("Israels").
_GENITIVE_WORD = re.compile(r"(?<![\w'’-])[A-ZÄÖÜ][a-zäöüß]{3,}e?s(?![\w'’-])")
#: Notable enough to be read from a genitive: countries, first-level regions, capitals, large towns.
GENITIVE_POPULATION = 100_000


def _notable_place(place: Place) -> bool:
    return place.feature in {"PCLI", "ADM1", "RGN", "PPLC"} or place.population >= GENITIVE_POPULATION
_LINK_WORD = re.compile(_LINK)


def load(path: Path | str | None = None) -> Gazetteer:
    """Load the index from its folder (default: the settings' folder).

    The collector is paused while the files are read, and the loaded rows and tables are then taken out
    of its sight (``gc.freeze``): they are never changed and hold no reference cycles, so only reference
    counting frees them, as it would anyway. Left in view, the collector walked all of them at each of
    its full collections: about a tenth of the time of a long text, and a third of loading.
    """
    folder = Path(path) if path is not None else settings.default_index_dir()
    for _ in range(_LOAD_ATTEMPTS - 1):
        try:
            return _unwatched(folder.resolve())
        except IndexMissingError:
            # A build may be swapping the index in right now: look again before giving up.
            time.sleep(0.2)
    return _unwatched(folder.resolve())


def _unwatched(folder: Path) -> Gazetteer:
    """Load an index with the collector paused (unpickling makes millions of objects), then freeze it."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        gazetteer = _load_from(folder)
    finally:
        if was_enabled:
            gc.enable()
    gc.freeze()
    return gazetteer


#: How often load() looks for the index before it reports it missing (a build may be swapping it in).
_LOAD_ATTEMPTS = 3


def _load_from(folder: Path) -> Gazetteer:
    """Load the index files of one resolved folder (both from the same build)."""
    places_path, names_path = folder / settings.PLACES_FILE, folder / settings.NAMES_FILE
    try:
        # The names first: the automaton's large buffer is gone before the places are built, which
        # keeps the peak of a cold start about 140 MB lower than the other order.
        with names_path.open("rb") as names:
            automaton = pickle.load(names)
        with places_path.open("rb") as places:
            columns = pickle.load(places)
    except FileNotFoundError as err:
        msg = f"no gazetteer index in {str(folder)!r}: run 'python -m gazetteer build'"
        raise IndexMissingError(msg) from err
    except (OSError, pickle.UnpicklingError, EOFError) as err:
        msg = f"cannot read the gazetteer index in {str(folder)!r}: {err}"
        raise GazetteerFormatError(msg) from err
    return Gazetteer(columns, automaton)
