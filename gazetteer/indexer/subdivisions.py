"""Read the supplement below the city and the region: districts and neighbourhoods (Who's On First).

``data/subdivisions.csv`` is made by ``scripts/make_subdivisions.py`` from Who's On First (CC BY), one
row per WoF record with its id, names per language, point, parent city and region. Here each row
becomes an index entry:

- a ``county`` (raion, district, caza, governorate) is an ADM2 place at district precision. Its names
  that carry a type word ("Jerusalem District", "قضاء بعلبك") are indexed as they are, and typed forms
  are made in each language ("Nikopolskyi raion", "Нікопольського району", "Rajon Nikopolskyi"). A bare
  name is indexed only when no town of the country goes by it (Ramla the town keeps "Ramla") and it is
  not a Slavic adjective ("Нікопольський" alone is no name);
- a ``neighbourhood`` is a PPLX place (a part of a city) at district precision under its own names;
  the resolver keeps such a reading only when the text names its city (see resolve.py).

A row's admin1 is the one of the nearest town of its country (GeoNames cities), the region it lies in.
"""

# ruff: noqa: RUF001  (Cyrillic and apostrophe variants are the point here)

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from gazetteer.indexer.curated import checked_csv_rows, format_error
from gazetteer.normalize import fold_name
from gazetteer.records import Entry, Place, Precision

if TYPE_CHECKING:
    from gazetteer.indexer.sources import Admin1Names, City

DATA_DIR = Path(__file__).parents[1] / "data"
SUBDIVISIONS_FILE = DATA_DIR / "subdivisions.csv"
#: Languages with a names column, in column order.
LANGUAGES = ("en", "uk", "ru", "ar", "he", "fr", "de", "nl")
COLUMNS = ("wof_id", "placetype", "name", "country_code", "region", "parent", "lat", "lon", "radius_km",
           "population", *LANGUAGES, "source")
#: WoF place types read, and the feature code each becomes.
FEATURES = {"county": "ADM2", "neighbourhood": "PPLX"}
#: Words that say a name is a unit's own (typed) name, folded: such a name is always indexed.
TYPE_WORDS = frozenset({
    "district", "districts", "raion", "rayon", "caza", "qada", "governorate", "subdistrict", "locality",
    "bezirk", "distrikt", "rajon", "raïon", "район", "округ", "мухафаза", "قضاء", "مديرية", "منطقة",
    "محافظة", "محلية", "מחוז", "נפת",
})
#: Typed forms made per language: "{}" is the unit's name in that language (or English).
TYPED_FORMS: Mapping[str, tuple[str, ...]] = {
    "en": ("{} district",),
    "fr": ("district de {}",),
    "de": ("Distrikt {}",),
    "nl": ("district {}",),
}
#: Forms of Ukrainian and Russian raions (adjective + район in every case); "{}" is the romanised name.
RAION_FORMS: Mapping[str, tuple[str, ...]] = {
    "en": ("{} raion", "{} rayon", "{} district"),
    "fr": ("raïon de {}", "district de {}"),
    "de": ("Rajon {}",),
    "nl": ("district {}", "rayon {}"),
}
#: Case endings of a Ukrainian / Russian adjective in -ий/-ой/-ый, with the case of "район" they go with.
_UK_CASES = (("ий", "район"), ("ого", "району"), ("ому", "районі"), ("ому", "району"), ("им", "районом"))
_RU_CASES = (("ий", "район"), ("ого", "района"), ("ом", "районе"), ("ому", "району"), ("им", "районом"))
#: Romanised adjective endings of raion names, dropped to reach the town the raion is named after.
_ROMAN_ADJECTIVE = re.compile(r"(?:s'?kyi|s'?kyy|s'?kiy|ts'?kyi|z'?kyi|'?kyi|yi)$", re.IGNORECASE)
#: A town named like a raion's stem lies this close to the raion's point ("Nikopol district").
RAION_TOWN_KM = 80.0
#: Countries whose counties are named by adjectives (raions): never indexed bare.
ADJECTIVE_COUNTRIES = frozenset({"UA", "RU", "BY"})


@dataclass(frozen=True, slots=True)
class SubdivisionRow:
    """One checked row of subdivisions.csv."""

    wof_id: int
    placetype: str
    name: str
    country_code: str
    region: str
    parent: str
    lat: float
    lon: float
    radius_km: float | None
    population: int
    names: tuple[tuple[str, str], ...]
    source: str
    line: int


def _number(text: str, path: Path, line: int, what: str, limit: float) -> float:
    try:
        value = float(text)
    except ValueError as err:
        raise format_error(path, line, f"{what} {text!r} is not a number") from err
    if not math.isfinite(value) or abs(value) > limit:
        raise format_error(path, line, f"{what} {value} is out of range")
    return value


def _row(raw: Mapping[str, str], path: Path, line: int) -> SubdivisionRow:
    placetype = raw["placetype"]
    if placetype not in FEATURES:
        raise format_error(path, line, f"placetype {placetype!r} is not one of {sorted(FEATURES)}")
    if not raw["wof_id"].isdigit():
        raise format_error(path, line, f"wof_id {raw['wof_id']!r} is not a number")
    if not re.fullmatch(r"[A-Z]{2}", raw["country_code"]):
        raise format_error(path, line, f"country_code {raw['country_code']!r} is not ISO 3166-1 alpha-2")
    if not raw["name"].strip():
        raise format_error(path, line, "name is required")
    radius = _number(raw["radius_km"], path, line, "radius_km", 5_000) if raw["radius_km"] else None
    population = int(_number(raw["population"] or "0", path, line, "population", 1e10))
    names = tuple(
        (name.strip(), lang) for lang in LANGUAGES for name in raw[lang].split("|") if name.strip()
    )
    return SubdivisionRow(
        wof_id=int(raw["wof_id"]),
        placetype=placetype,
        name=raw["name"].strip(),
        country_code=raw["country_code"],
        region=raw["region"],
        parent=raw["parent"],
        lat=_number(raw["lat"], path, line, "lat", 90),
        lon=_number(raw["lon"], path, line, "lon", 180),
        radius_km=radius,
        population=population,
        names=names,
        source=raw["source"],
        line=line,
    )


def read_rows(path: Path | None = None) -> Iterator[SubdivisionRow]:
    """Yield the checked rows of subdivisions.csv; raise GazetteerFormatError naming file and line."""
    path = SUBDIVISIONS_FILE if path is None else path
    seen: set[int] = set()
    for line, raw in checked_csv_rows(path, COLUMNS):
        row = _row(raw, path, line)
        if row.wof_id in seen:
            raise format_error(path, line, f"duplicate wof_id {row.wof_id}")
        seen.add(row.wof_id)
        yield row


def typed(name: str) -> bool:
    """Say whether a name carries a type word ("Jerusalem District", "قضاء بعلبك")."""
    return any(word in TYPE_WORDS for word in fold_name(name).split())


#: Folded town name -> the points of the towns so named, in one country.
Towns = Mapping[str, Sequence[tuple[float, float]]]


def raion_forms(row: SubdivisionRow, towns: Towns) -> list[tuple[str, str]]:
    """Return a raion's typed names: Ukrainian and Russian cases, romanised forms, its town's form.

    "Nikopol district" is made only when a town named like the raion's stem lies within RAION_TOWN_KM.
    """
    out: list[tuple[str, str]] = []
    for name, lang in row.names:
        if typed(name):
            out.append((name, lang))
        elif lang in ("uk", "ru") and " " not in name and name.endswith(("ий", "ый", "ой")):
            cases = _UK_CASES if lang == "uk" else _RU_CASES
            out.extend((f"{name[:-2]}{ending} {word}", lang) for ending, word in cases)
    romanised = [n for n, lang in row.names if lang == "en" and not typed(n)] or [row.name]
    for name in dict.fromkeys(romanised):
        for lang, forms in RAION_FORMS.items():
            out.extend((form.format(name), lang) for form in forms)
        stem = _ROMAN_ADJECTIVE.sub("", name).rstrip("'’")
        if stem != name and len(stem) >= 3 and town_near(stem, row, towns, RAION_TOWN_KM):
            out.extend((form.format(stem), lang) for lang, forms in RAION_FORMS.items() for form in forms)
    return out


def town_near(name: str, row: SubdivisionRow, towns: Towns, km: float) -> bool:
    """Say whether a town of this name lies within ``km`` of the row's point."""
    return any(_km(row.lat, row.lon, lat, lon) <= km for lat, lon in towns.get(fold_name(name), ()))


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Return an equirectangular distance in km: exact enough at the scale of a district."""
    x = math.radians(lon2 - lon1) * math.cos(math.radians((lat1 + lat2) / 2))
    return 6371.0 * math.hypot(x, math.radians(lat2 - lat1))


def district_names(row: SubdivisionRow, towns: Towns) -> tuple[tuple[str, str | None], ...]:
    """Return the names a county is indexed under (see the module docstring)."""
    if row.country_code in ADJECTIVE_COUNTRIES:
        pairs: list[tuple[str, str | None]] = list(raion_forms(row, towns))
        return tuple(dict.fromkeys(pairs))
    pairs = []
    for name, lang in (*row.names, (row.name, "en")):
        if typed(name):
            pairs.append((name, lang))
            continue
        if fold_name(name) not in towns:
            pairs.append((name, lang))
        forms = TYPED_FORMS.get(lang, ())
        if lang == "en":
            forms = tuple(f for forms_of in TYPED_FORMS.values() for f in forms_of)
        pairs.extend((form.format(name), lang) for form in forms)
    return tuple(dict.fromkeys(pairs))


#: A neighbourhood's name that a town this close goes by is the town's (WoF files some towns as parts).
OWN_TOWN_KM = 15.0


def neighbourhood_names(row: SubdivisionRow, towns: Towns) -> tuple[tuple[str, str | None], ...]:
    """Return a neighbourhood's names as WoF gives them, less those of a town around it; () when its own is.

    A neighbourhood named like the town it lies in (or next to) is that town under another record.
    """
    if town_near(row.name, row, towns, OWN_TOWN_KM):
        return ()
    pairs: list[tuple[str, str | None]] = list(row.names)
    if all(name != row.name for name, _ in pairs):
        pairs.append((row.name, None))
    return tuple(
        dict.fromkeys(
            (name, lang)
            for name, lang in pairs
            if len(fold_name(name)) >= 2 and not town_near(name, row, towns, OWN_TOWN_KM)
        )
    )


def display_name(row: SubdivisionRow, towns: Towns) -> str:
    """Return the name a place is shown by: a county named like a town (or by an adjective) gets its type.

    The index always holds a place's own name: "Ramla" must stay the town's, "Нікопольський" no name.
    """
    if row.placetype != "county":
        return row.name
    if row.country_code in ADJECTIVE_COUNTRIES:
        return f"{row.name} raion"
    return row.name if typed(row.name) or fold_name(row.name) not in towns else f"{row.name} District"


class _Grid:
    """Towns by one-degree cell, to find the nearest town of a country."""

    def __init__(self, towns: Iterable[tuple[str, float, float, str | None]]) -> None:
        self.cells: dict[tuple[int, int], list[tuple[str, float, float, str | None]]] = {}
        for town in towns:
            self.cells.setdefault((math.floor(town[1]), math.floor(town[2])), []).append(town)

    def nearest(self, lat: float, lon: float) -> tuple[str, float, float, str | None] | None:
        cell = (math.floor(lat), math.floor(lon))
        near = [
            town
            for dlat in (-1, 0, 1)
            for dlon in (-1, 0, 1)
            for town in self.cells.get((cell[0] + dlat, cell[1] + dlon), ())
        ]
        return min(near, key=lambda t: _km(lat, lon, t[1], t[2]), default=None)


def _place(row: SubdivisionRow, name: str, admin1: str | None) -> Place:
    return Place(
        id=f"wof:{row.wof_id}",
        name=name,
        lat=row.lat,
        lon=row.lon,
        country_code=row.country_code,
        admin1=admin1,
        feature=FEATURES[row.placetype],
        population=row.population,
        precision=Precision.DISTRICT,
        radius_km=row.radius_km,
    )


def subdivision_entries(
    cities: Iterable[City], admin1_names: Admin1Names, path: Path | None = None
) -> Iterator[Entry]:
    """Yield one entry per row of subdivisions.csv (ids ``wof:<id>``), admin1 from the nearest town."""
    rows = list(read_rows(path))
    countries = {row.country_code for row in rows}
    by_country: dict[str, list[tuple[str, float, float, str | None]]] = {c: [] for c in countries}
    towns: dict[str, dict[str, list[tuple[float, float]]]] = {c: {} for c in countries}
    for city in cities:
        if city.country_code in countries:
            by_country[city.country_code].append((city.name, city.lat, city.lon, admin1_names.of(city)))
            for name in {fold_name(n) for n in (city.name, *city.alternate_names)}:
                towns[city.country_code].setdefault(name, []).append((city.lat, city.lon))
    grids = {code: _Grid(found) for code, found in by_country.items()}
    for row in rows:
        town = grids[row.country_code].nearest(row.lat, row.lon)
        own = towns[row.country_code]
        place = _place(row, display_name(row, own), town[3] if town else None)
        pairs = district_names(row, own) if row.placetype == "county" else neighbourhood_names(row, own)
        if pairs:
            yield Entry(place, pairs, source=f"Who's On First {row.source} wof:{row.wof_id}")
