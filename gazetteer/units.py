"""Units named after their seat: hromadas, raions and okrugs read from the adjective of their centre.

Ukrainian hromadas and raions and Russian municipal and city okrugs take the adjective of the town
that is their administrative centre ("Великописарівська селищна громада" is the hromada seated in
Velyka Pysarivka; "Грайворонский городской округ" the okrug of Grayvoron). No registry package or
licensed supplement at hand lists every hromada and okrug with a point, so a unit the index lacks
is read from its name: the adjective is turned back into its town's name (``gazetteer/data/units.toml``)
and the unit becomes a district-precision place at that town's point.
"""

# ruff: noqa: RUF001  (Cyrillic letters are the point here)

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import cache

from gazetteer.normalize import read_data_toml, scan_key
from gazetteer.records import Place, district_at

#: A capitalised Cyrillic word (maybe hyphenated) followed by up to two lower-case words: an adjective,
#: qualifiers and a unit noun ("Великописарівська селищна громада", "Грайворонском городском округе").
_PHRASE = re.compile(
    r"(?<![\w'’ʼ-])([А-ЯЁҐЄІЇ][а-яёґєії'’ʼ]+(?:-[А-ЯЁҐЄІЇа-яёґєії][а-яёґєії'’ʼ]+)*)"
    r"((?:\s+[а-яёґєії'’ʼ]+){1,3}|\s+ОТГ)(?![\w-])"
)
#: A capitalised Cyrillic word right after the unit noun: a city whose part the unit is ("Київському
#: районі Харкова"), unless a region word follows it ("Нікопольському районі Дніпропетровської області").
_NEXT_WORD = re.compile(r"\s+([А-ЯЁҐЄІЇ][а-яёґєії'’ʼ-]+)(?:\s+([а-яёґєії.]+))?")


@dataclass(frozen=True, slots=True)
class UnitType:
    """A kind of unit named after its seat: the folded stem of its noun and what it becomes."""

    stem: str
    kind: str
    feature: str
    radius_km: float
    min_seat_population: int = 0
    countries: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class UnitRules:
    """The data of ``units.toml``, folded."""

    types: tuple[UnitType, ...]
    qualifiers: tuple[str, ...]
    endings: tuple[str, ...]
    suffixes: tuple[tuple[str, tuple[str, ...]], ...]
    prefixes: tuple[tuple[str, tuple[str, ...]], ...]


@dataclass(frozen=True, slots=True)
class UnitSpan:
    """A unit phrase found in a text: its span, its type and the town names its adjective may come from."""

    start: int
    end: int
    unit: UnitType
    seat_names: tuple[str, ...]


@cache
def unit_rules() -> UnitRules:
    """Return the rules of ``gazetteer/data/units.toml`` (read once)."""
    data = read_data_toml("units.toml")
    types = [
        UnitType(
            stem=scan_key(u["stem"]),
            kind=u["kind"],
            feature=u["feature"],
            radius_km=float(u["radius_km"]),
            min_seat_population=int(u["min_seat_population"]),
            countries=frozenset(u["countries"]),
        )
        for u in data["unit"]
    ]
    suffixes = [(scan_key(x["strip"]), tuple(scan_key(b) for b in x["bases"])) for x in data["suffix"]]
    return UnitRules(
        types=tuple(types),
        qualifiers=tuple(scan_key(q) for q in data["qualifiers"]),
        endings=tuple(sorted((scan_key(e) for e in data["endings"]), key=len, reverse=True)),
        suffixes=tuple(suffixes),
        prefixes=tuple((scan_key(k), tuple(scan_key(v) for v in vs)) for k, vs in data["prefixes"].items()),
    )


def unit_type(words: Iterable[str], rules: UnitRules) -> UnitType | None:
    """Return the unit type of the lower-case words after an adjective (qualifiers, then the noun)."""
    words = [scan_key(w) for w in words]
    *between, noun = words
    if not all(any(w.startswith(q) for q in rules.qualifiers) for w in between):
        return None
    return next((u for u in rules.types if noun.startswith(u.stem)), None)


def seat_names(adjective: str, rules: UnitRules | None = None) -> tuple[str, ...]:
    """Return the town names an adjective of a unit may be made from, most literal first.

    "Грайворонский" -> "грайворон", ...; "Великописарівська" -> ..., "велика писарівка".
    """
    rules = rules or unit_rules()
    key = scan_key(adjective)
    stem = next((key[: -len(e)] for e in rules.endings if key.endswith(e) and len(key) > len(e) + 2), None)
    if stem is None:
        return ()
    # The endings keep the consonant before -ськ-/-цьк-; put the suffix's letters back to strip them.
    stem = _with_suffix(key, stem)
    names: list[str] = []
    for strip, bases in rules.suffixes:
        if stem.endswith(strip) and len(stem) > len(strip) + 1:
            names.extend(stem[: -len(strip)] + base for base in bases)
    for glued, firsts in rules.prefixes:
        for name in list(names):
            rest = name[len(glued) :]
            if name.startswith(glued) and len(rest) > 2:
                names.extend(f"{first} {rest}" for first in firsts)
    return tuple(dict.fromkeys(n for n in names if len(n) > 2))


def _with_suffix(key: str, stem: str) -> str:
    """Return the adjective's stem with its -ськ-/-ск-/-цьк-/-цк- suffix, whichever ending was cut."""
    rest = key[len(stem) :]
    for suffix in ("ськ", "цьк", "ск", "цк"):
        if rest.startswith(suffix[1:]) and stem.endswith(suffix[0]):
            return stem + suffix[1:]
        if rest.startswith(suffix):
            return stem + suffix
    return stem


def find_units(text: str, rules: UnitRules | None = None) -> Iterator[UnitSpan]:
    """Yield the unit phrases of a text ("Великописарівській громаді", "Грайворонский городской округ").

    A raion or okrug named before a city ("Київському районі Харкова") is a part of that city, which
    the resolver reads as such: it is left out here.
    """
    rules = rules or unit_rules()
    for phrase in _PHRASE.finditer(text):
        words = list(re.finditer(r"\S+", phrase.group(2)))
        # The noun is the first word that is no qualifier ("громаді поранено": the unit ends at "громаді").
        for count in range(1, len(words) + 1):
            unit = unit_type([w.group() for w in words[:count]], rules)
            if unit is not None:
                break
        if unit is None:
            continue
        end = phrase.start(2) + words[count - 1].end()
        if unit.kind != "hromada" and _before_city(text, end):
            continue
        names = seat_names(phrase.group(1), rules)
        if names:
            yield UnitSpan(phrase.start(), end, unit, names)


def _before_city(text: str, end: int) -> bool:
    following = _NEXT_WORD.match(text, end)
    if following is None:
        return False
    after = scan_key(following.group(2) or "")
    return not after.startswith(("облас", "обл", "кра", "республ", "ова", "ода"))


def unit_places(span: UnitSpan, lookup: Callable[[str], list[Place]]) -> tuple[Place, ...]:
    """Return the unit read at each town its adjective may come from, largest town first."""
    seats: dict[str, Place] = {}
    for name in span.seat_names:
        for place in lookup(name):
            if (
                place.feature.startswith("PPL")
                and place.population >= span.unit.min_seat_population
                and place.country_code in span.unit.countries
                and place.id not in seats
            ):
                seats[place.id] = place
    ordered = sorted(seats.values(), key=lambda p: -p.population)
    return tuple(unit_place(seat, span.unit) for seat in ordered)


def unit_place(seat: Place, unit: UnitType) -> Place:
    """Return the unit of ``unit``'s type seated in a town, as a place at the town's point.

    The unit's own population is not known, and its seat's says little about which of several namesake
    units the text means: the text's other places decide.
    """
    return district_at(seat, id=f"unit:{unit.kind}:{seat.id}", name=f"{seat.name} {unit.kind}",
                       feature=unit.feature, radius_km=unit.radius_km)

