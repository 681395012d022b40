"""Read the curated supplements: regions news names that GeoNames lacks, and demonyms.

``data/regions.csv``: one row per region with a point inside it, a radius and its names per language.
The radius is derived, not guessed: ``members`` lists towns near the region's edges (GeoNames
coordinates) and ``radius_km`` is the great-circle distance from the point to the farthest of them,
rounded up to a whole kilometre (tests recompute it).

``data/demonyms.toml``: country adjectives and demonyms per language; ``"israélien{,ne,s,nes}"``
expands a brace list, ``"israelisch*"`` appends each ending of the language's ``[endings]`` list.
"""

from __future__ import annotations

import csv
import math
import re
import tomllib
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from gazetteer.errors import GazetteerFormatError
from gazetteer.geo import distance_km
from gazetteer.records import Entry, MentionKind, Place, Precision

DATA_DIR = Path(__file__).parents[1] / "data"
REGIONS_FILE = DATA_DIR / "regions.csv"
DEMONYMS_FILE = DATA_DIR / "demonyms.toml"

#: Languages with a names column in regions.csv, in column order.
REGION_LANGUAGES = ("nl", "en", "de", "fr", "uk", "ru", "ar", "he")
REGION_COLUMNS = ("key", "name", "country_code", "admin1", "feature", "lat", "lon", "radius_km",
                  "members", *REGION_LANGUAGES, "sources")

_KEY = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_COUNTRY = re.compile(r"(?:[A-Z]{2})?")
_MEMBER = re.compile(r"(?P<name>[^=|]+)=(?P<lat>-?\d+(?:\.\d+)?),(?P<lon>-?\d+(?:\.\d+)?)")
_BRACES = re.compile(r"(?P<head>[^{}]*)\{(?P<alts>[^{}]*)\}(?P<tail>[^{}]*)")


@dataclass(frozen=True, slots=True)
class Member:
    """A town inside a region, near its edge: one of the points the radius is derived from."""

    name: str
    lat: float
    lon: float


@dataclass(frozen=True, slots=True)
class RegionRow:
    """One row of regions.csv, checked and typed."""

    key: str
    place: Place
    members: tuple[Member, ...]
    names: tuple[tuple[str, str | None], ...]
    sources: str
    line: int


def derive_radius_km(lat: float, lon: float, members: Sequence[Member]) -> int:
    """Return the distance from the point to its farthest member, rounded up to whole km."""
    return math.ceil(max(distance_km(lat, lon, m.lat, m.lon) for m in members))


def format_error(path: Path, line: int, problem: str) -> GazetteerFormatError:
    """Return the error for a bad line of a data file, naming file and line."""
    return GazetteerFormatError(f"{path}:{line}: {problem}")


def _coordinate(text: str, limit: float, what: str, path: Path, line: int) -> float:
    try:
        value = float(text)
    except ValueError as err:
        raise format_error(path, line, f"{what} {text!r} is not a number") from err
    if not -limit <= value <= limit:
        raise format_error(path, line, f"{what} {value} is out of range")
    return value


def parse_members(text: str, path: Path, line: int) -> tuple[Member, ...]:
    """Parse ``"Name=lat,lon|Name=lat,lon"`` into members; at least one is required."""
    members = []
    for part in filter(None, (p.strip() for p in text.split("|"))):
        match = _MEMBER.fullmatch(part)
        if match is None:
            raise format_error(path, line, f"member {part!r} is not 'name=lat,lon'")
        lat = _coordinate(match["lat"], 90, "member latitude", path, line)
        lon = _coordinate(match["lon"], 180, "member longitude", path, line)
        members.append(Member(match["name"].strip(), lat, lon))
    if not members:
        raise format_error(path, line, "no members: the radius cannot be derived")
    return tuple(members)


@cache
def _adjective_rules() -> tuple[frozenset[str], tuple[str, ...]]:
    data = _load_toml(DATA_DIR / "adm1_types.toml")
    words, endings = data.get("words", []), data.get("cyrillic_adjective_endings", [])
    if not isinstance(words, list) or not isinstance(endings, list):
        raise GazetteerFormatError(f"{DATA_DIR / 'adm1_types.toml'}: words and endings must be lists")
    return frozenset(str(w).lower() for w in words), tuple(str(e) for e in endings)


def adjective_form(name: str) -> str | None:
    """Return the bare adjective of an "<adjective> <region word>" name ("Київської області" -> "Київської").

    None when the name is not so built: a bare city name must stay the city's.
    """
    types, endings = _adjective_rules()
    words = name.split()
    if len(words) == 2 and words[1].lower() in types and words[0].lower().endswith(endings):
        return words[0]
    return None


def _split_names(row: Mapping[str, str]) -> tuple[tuple[str, str | None], ...]:
    pairs: list[tuple[str, str | None]] = []
    for lang in REGION_LANGUAGES:
        names = [n.strip() for n in row[lang].split("|") if n.strip()]
        pairs.extend((n, lang) for n in names)
        pairs.extend((a, lang) for a in map(adjective_form, names) if a)
    if not any(name == row["name"] for name, _ in pairs):
        pairs.append((row["name"], None))
    return tuple(dict.fromkeys(pairs))


def _region_row(row: Mapping[str, str], path: Path, line: int) -> RegionRow:
    key, country = row["key"], row["country_code"]
    if not _KEY.fullmatch(key):
        raise format_error(path, line, f"key {key!r} is not lower-case words joined by '-'")
    if not _COUNTRY.fullmatch(country):
        problem = f"country_code {country!r} is not ISO 3166-1 alpha-2 (or empty for seas)"
        raise format_error(path, line, problem)
    lat = _coordinate(row["lat"], 90, "latitude", path, line)
    lon = _coordinate(row["lon"], 180, "longitude", path, line)
    radius = _coordinate(row["radius_km"], 20_038, "radius_km", path, line)
    if radius <= 0:
        raise format_error(path, line, f"radius_km {radius} is not positive")
    if not row["name"].strip() or not row["feature"].strip():
        raise format_error(path, line, "name and feature are required")
    place = Place(id=f"curated:{key}", name=row["name"].strip(), lat=lat, lon=lon, country_code=country,
                  admin1=row["admin1"].strip() or None, feature=row["feature"].strip(), population=0,
                  precision=Precision.REGION, radius_km=radius)
    return RegionRow(key, place, parse_members(row["members"], path, line), _split_names(row),
                     row["sources"].strip(), line)


def checked_csv_rows(path: Path, columns: Sequence[str]) -> Iterator[tuple[int, dict[str, str]]]:
    """Yield (line, row) of a CSV data file with these columns; raise GazetteerFormatError on a bad line."""
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = set(columns) - set(reader.fieldnames or ())
        if missing:
            raise format_error(path, 1, f"missing columns {sorted(missing)}")
        for row in reader:
            if None in row.values() or None in row:
                raise format_error(path, reader.line_num, "wrong number of fields")
            yield reader.line_num, row


def read_region_rows(path: Path | None = None) -> Iterator[RegionRow]:
    """Yield the checked rows of regions.csv; raise GazetteerFormatError naming file and line."""
    path = REGIONS_FILE if path is None else path
    seen: set[str] = set()
    for line, row in checked_csv_rows(path, REGION_COLUMNS):
        region = _region_row(row, path, line)
        if region.key in seen:
            raise format_error(path, line, f"duplicate key {region.key!r}")
        seen.add(region.key)
        yield region


def read_regions(path: Path | None = None) -> Iterator[Entry]:
    """Yield one REGION entry per curated region, ids ``curated:<key>``."""
    for region in read_region_rows(path):
        yield Entry(region.place, region.names, MentionKind.PLACE, f"curated regions.csv: {region.sources}")


def expand_word(word: str, endings: Sequence[str] | None) -> list[str]:
    """Expand ``stem*`` with the endings, ``head{a,b}tail`` with its alternatives; else the word."""
    if word.endswith("*"):
        if not endings:
            raise ValueError(f"{word!r} is a stem but its language has no [endings]")
        return [word[:-1] + ending for ending in endings]
    if "{" in word or "}" in word:
        match = _BRACES.fullmatch(word)
        if match is None:
            raise ValueError(f"{word!r} has unbalanced or nested braces")
        return [match["head"] + alt.strip() + match["tail"] for alt in match["alts"].split(",")]
    return [word]


def _demonym_names(code: str, table: Mapping[str, object], endings: Mapping[str, Sequence[str]],
                   path: Path) -> tuple[tuple[str, str | None], ...]:
    pairs: list[tuple[str, str | None]] = []
    for lang, words in table.items():
        if not isinstance(words, list) or not all(isinstance(w, str) for w in words):
            raise GazetteerFormatError(f"{path}: [countries.{code}] {lang} is not a list of strings")
        for word in words:
            try:
                pairs.extend((form, lang) for form in expand_word(word, endings.get(lang)) if form)
            except ValueError as err:
                raise GazetteerFormatError(f"{path}: [countries.{code}] {lang}: {err}") from err
    return tuple(dict.fromkeys(pairs))


def _load_toml(path: Path) -> dict[str, object]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except tomllib.TOMLDecodeError as err:
        raise GazetteerFormatError(f"{path}: {err}") from err


def read_demonym_table(path: Path | None = None) -> dict[str, tuple[tuple[str, str | None], ...]]:
    """Return the expanded ``(form, lang)`` pairs per ISO alpha-2 code of demonyms.toml."""
    path = DEMONYMS_FILE if path is None else path
    data = _load_toml(path)
    endings = data.get("endings", {})
    countries = data.get("countries")
    if not isinstance(endings, dict) or not isinstance(countries, dict):
        raise GazetteerFormatError(f"{path}: needs an [endings] table and [countries.XX] tables")
    table = {}
    for code, langs in countries.items():
        if not re.fullmatch(r"[A-Z]{2}", code) or not isinstance(langs, dict):
            raise GazetteerFormatError(f"{path}: [countries.{code}] is not an ISO alpha-2 table")
        table[code] = _demonym_names(code, langs, endings, path)
    return table


def read_demonyms(countries: Mapping[str, Place], path: Path | None = None) -> Iterator[Entry]:
    """Yield one DEMONYM entry per country of demonyms.toml that ``countries`` (ISO alpha-2) holds.

    Codes the mapping lacks are skipped: a demonym needs the country place it points to.
    """
    for code, names in read_demonym_table(path).items():
        place = countries.get(code)
        if place is not None and names:
            yield Entry(place, names, MentionKind.DEMONYM, "curated demonyms.toml")
