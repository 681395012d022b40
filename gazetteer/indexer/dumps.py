"""Read GeoNames dump files (geonames.org, CC BY 4.0) into ``Entry`` records, streaming.

Main files: ``allCountries``, ``citiesNNN`` or a country file (``IL``, ``UA`` ...): 19 tab-separated
columns. ``alternateNamesV2`` adds language-tagged names; ``admin1CodesASCII.txt`` names the first-level
regions. Each may be the ``.zip`` GeoNames serves or the extracted ``.txt``.

Policy on bad rows: a row with the wrong number of columns, a bad number or bytes that are not UTF-8
raises ``GazetteerFormatError`` naming the file and the line. GeoNames dumps are machine-written, so a
bad row means a truncated or wrong file, and a silent partial index would be worse than a stop.

Memory: the main file is streamed row by row. Alternate names are joined through a temporary SQLite
table (indexed by geonameid); when the main file is small (citiesNNN, country files) only the names of
its own places are loaded into that table.
"""

from __future__ import annotations

import io
import re
import sqlite3
import tempfile
import zipfile
from collections.abc import Collection, Iterable, Iterator, Mapping
from contextlib import closing, contextmanager
from dataclasses import dataclass
from itertools import islice
from pathlib import Path

from gazetteer.errors import GazetteerFormatError
from gazetteer.records import Entry, Place, Precision

MAIN_COLUMNS = 19
#: alternateNamesV2 has 10 columns; the older alternateNames file has 8.
ALTERNATE_MIN_COLUMNS = 8
#: Pseudo-languages of alternateNames that are codes or links, not names.
PSEUDO_LANGUAGES = frozenset({"link", "post", "iata", "icao", "faac", "abbr", "wkdt", "unlc", "tcid"})
#: Main files larger than this (uncompressed) are not pre-scanned for their ids (allCountries is ~1.6 GB).
PRESCAN_LIMIT_BYTES = 400_000_000
_BATCH = 50_000
#: Airport and similar codes that GeoNames copies into the main file's alternatenames column.
_CODE = re.compile(r"[A-Z0-9]{3,4}|\d+")


@dataclass(frozen=True, slots=True)
class GeoNamesRow:
    """The columns of one main-file row that the index uses."""

    geonameid: int
    name: str
    asciiname: str
    alternatenames: tuple[str, ...]
    lat: float
    lon: float
    feature_class: str
    feature_code: str
    country_code: str
    admin1_code: str
    population: int


@dataclass(frozen=True, slots=True)
class AlternateName:
    """One row of alternateNames: a name of a place in a language."""

    geonameid: int
    name: str
    lang: str | None
    preferred: bool
    short: bool


def precision_of(feature_code: str) -> Precision:
    """Map a GeoNames feature code to how exactly its point stands for a place."""
    if feature_code == "PPLX" or feature_code in {"ADM3", "ADM4", "ADM5"}:
        return Precision.DISTRICT
    if feature_code.startswith("PPL"):
        return Precision.LOCALITY
    if feature_code in {"ADM1", "ADM2", "RGN"}:
        return Precision.REGION
    if feature_code.startswith("PCL"):
        return Precision.COUNTRY
    return Precision.POINT


def _member_name(archive: zipfile.ZipFile, path: Path) -> str:
    texts = [n for n in archive.namelist() if n.endswith(".txt")]
    wanted = f"{path.stem}.txt"
    if wanted in texts:
        return wanted
    data = [n for n in texts if not n.lower().startswith(("readme", "iso-languagecodes"))]
    if len(data) != 1:
        raise GazetteerFormatError(f"{path}: cannot tell which member to read among {texts}")
    return data[0]


@contextmanager
def open_text(path: Path) -> Iterator[tuple[str, io.TextIOBase]]:
    """Open a GeoNames ``.zip`` (its data member) or plain text file; yield (label, text stream)."""
    try:
        if zipfile.is_zipfile(path):
            with zipfile.ZipFile(path) as archive:
                member = _member_name(archive, path)
                with archive.open(member) as raw:
                    yield f"{path}[{member}]", io.TextIOWrapper(raw, encoding="utf-8", newline="")
        else:
            with path.open(encoding="utf-8", newline="") as handle:
                yield str(path), handle
    except OSError as err:
        raise GazetteerFormatError(f"cannot read {str(path)!r}: {err}") from err


def text_size(path: Path) -> int:
    """Return the uncompressed size in bytes of a GeoNames file (zip member or plain file)."""
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as archive:
            return archive.getinfo(_member_name(archive, path)).file_size
    return path.stat().st_size


def iter_fields(path: Path, *, min_columns: int, max_columns: int | None = None
                ) -> Iterator[tuple[str, int, list[str]]]:
    """Yield (file label, line number, fields) per tab-separated data line; comments are skipped."""
    most = min_columns if max_columns is None else max_columns
    with open_text(path) as (label, stream):
        line = 0
        try:
            for line, text in enumerate(stream, start=1):
                text = text.rstrip("\r\n")
                if not text or text.startswith("#"):
                    continue
                fields = text.split("\t")
                if not min_columns <= len(fields) <= most:
                    msg = f"{label}:{line}: {len(fields)} columns, expected {min_columns}-{most}"
                    raise GazetteerFormatError(msg)
                yield label, line, fields
        except UnicodeDecodeError as err:
            raise GazetteerFormatError(f"{label}:{line + 1}: not UTF-8 ({err.reason})") from err


def _number(text: str, kind: type[int] | type[float], what: str, label: str, line: int) -> float:
    try:
        return kind(text) if text else 0
    except ValueError as err:
        raise GazetteerFormatError(f"{label}:{line}: {what} {text!r} is not a number") from err


def parse_main_row(fields: list[str], label: str, line: int) -> GeoNamesRow:
    """Turn the 19 fields of a main-file line into a row; raise GazetteerFormatError if bad."""
    lat = _number(fields[4], float, "latitude", label, line)
    lon = _number(fields[5], float, "longitude", label, line)
    if not (-90 <= lat <= 90 and -180 <= lon <= 180) or not fields[1]:
        raise GazetteerFormatError(f"{label}:{line}: bad name or coordinates ({fields[4]}, {fields[5]})")
    return GeoNamesRow(
        geonameid=int(_number(fields[0], int, "geonameid", label, line)), name=fields[1],
        asciiname=fields[2], alternatenames=tuple(n for n in fields[3].split(",") if n),
        lat=lat, lon=lon, feature_class=fields[6], feature_code=fields[7], country_code=fields[8],
        admin1_code=fields[10], population=int(_number(fields[14], int, "population", label, line)))


def iter_main_rows(path: Path) -> Iterator[GeoNamesRow]:
    """Yield the rows of a main file (allCountries, citiesNNN, a country file)."""
    for label, line, fields in iter_fields(path, min_columns=MAIN_COLUMNS):
        yield parse_main_row(fields, label, line)


def iter_alternate_names(path: Path) -> Iterator[AlternateName]:
    """Yield the names of alternateNames(V2), without pseudo-languages and historic names."""
    for label, line, fields in iter_fields(path, min_columns=ALTERNATE_MIN_COLUMNS, max_columns=10):
        lang = fields[2]
        if lang in PSEUDO_LANGUAGES or fields[7] == "1" or not fields[3]:
            continue
        gid = int(_number(fields[1], int, "geonameid", label, line))
        yield AlternateName(gid, fields[3], lang or None, fields[4] == "1", fields[5] == "1")


def read_admin1_codes(path: Path) -> dict[str, str]:
    """Return admin1CodesASCII as ``{"CC.XX": name}``."""
    return {fields[0]: fields[1] for _, _, fields in iter_fields(path, min_columns=2, max_columns=4)}


def _load_alternates(db: sqlite3.Connection, path: Path, ids: Collection[int] | None) -> None:
    db.execute("CREATE TABLE alt (gid INTEGER, name TEXT, lang TEXT, preferred INTEGER, short INTEGER)")
    names = (a for a in iter_alternate_names(path) if ids is None or a.geonameid in ids)
    while batch := list(islice(names, _BATCH)):
        db.executemany("INSERT INTO alt VALUES (?, ?, ?, ?, ?)",
                       [(a.geonameid, a.name, a.lang, a.preferred, a.short) for a in batch])
    db.execute("CREATE INDEX alt_gid ON alt (gid)")


def _alternates(db: sqlite3.Connection, gid: int) -> list[AlternateName]:
    rows = db.execute("SELECT name, lang, preferred, short FROM alt WHERE gid = ? ORDER BY rowid", (gid,))
    return [AlternateName(gid, n, lang, bool(p), bool(s)) for n, lang, p, s in rows]


def _canonical_name(row: GeoNamesRow, alternates: Iterable[AlternateName]) -> str:
    """Prefer the English preferred name ("Khan Yunis"), else the main name ("Khān Yūnis")."""
    english = [a.name for a in alternates if a.lang == "en" and a.preferred and not a.short]
    return english[0] if english else row.name


def _names(row: GeoNamesRow, alternates: list[AlternateName] | None) -> tuple[tuple[str, str | None], ...]:
    pairs: list[tuple[str, str | None]] = [(row.name, None), (row.asciiname, None)]
    if alternates is None:
        codes_allowed = row.feature_code.startswith("PCL")
        pairs.extend((n, None) for n in row.alternatenames if codes_allowed or not _CODE.fullmatch(n))
    else:
        pairs.extend((a.name, a.lang) for a in alternates)
    return tuple(dict.fromkeys(p for p in pairs if p[0]))


def _place(row: GeoNamesRow, name: str, admin1: Mapping[str, str],
           countries: Mapping[str, Place] | None) -> Place:
    country = countries.get(row.country_code) if countries is not None else None
    radius = country.radius_km if country is not None and row.feature_code.startswith("PCL") else None
    return Place(id=f"geonames:{row.geonameid}", name=name, lat=row.lat, lon=row.lon,
                 country_code=row.country_code, admin1=admin1.get(f"{row.country_code}.{row.admin1_code}"),
                 feature=row.feature_code, population=row.population,
                 precision=precision_of(row.feature_code), radius_km=radius)


def _wanted(row: GeoNamesRow, countries: Mapping[str, Place] | None,
            feature_classes: Collection[str] | None) -> bool:
    if countries is not None and row.country_code not in countries:
        return False
    return feature_classes is None or row.feature_class in feature_classes


def _entries(main: Path, db: sqlite3.Connection | None, admin1: Mapping[str, str],
             countries: Mapping[str, Place] | None, feature_classes: Collection[str] | None
             ) -> Iterator[Entry]:
    source = f"GeoNames {main.name}"
    for row in iter_main_rows(main):
        if not _wanted(row, countries, feature_classes):
            continue
        alternates = _alternates(db, row.geonameid) if db is not None else None
        name = _canonical_name(row, alternates or ())
        yield Entry(_place(row, name, admin1, countries), _names(row, alternates), source=source)


def read_geonames_dump(main: Path, *, alternate_names: Path | None = None, admin1: Path | None = None,
                       countries: Mapping[str, Place] | None = None,
                       feature_classes: Collection[str] | None = None) -> Iterator[Entry]:
    """Yield one entry per place of a GeoNames main file, ids ``geonames:<geonameid>``.

    ``alternate_names`` replaces the main file's untagged alternatenames column by language-tagged
    names (and gives the English preferred name as the canonical one). ``admin1`` fills
    ``Place.admin1``. ``countries`` (ISO alpha-2 -> country Place) keeps only those countries' places
    and lends its radius to their country rows (PCL*). ``feature_classes`` (``{"P", "A", "L"}``)
    keeps only those GeoNames feature classes; None keeps all.
    """
    admin1_names = read_admin1_codes(admin1) if admin1 is not None else {}
    if alternate_names is None:
        yield from _entries(main, None, admin1_names, countries, feature_classes)
        return
    ids: set[int] | None = None
    if text_size(main) <= PRESCAN_LIMIT_BYTES:
        ids = {row.geonameid for row in iter_main_rows(main) if _wanted(row, countries, feature_classes)}
    with tempfile.TemporaryDirectory(prefix="geonames-") as folder, \
            closing(sqlite3.connect(Path(folder) / "alternates.sqlite")) as db:
        db.execute("PRAGMA journal_mode = OFF")
        db.execute("PRAGMA synchronous = OFF")
        _load_alternates(db, alternate_names, ids)
        yield from _entries(main, db, admin1_names, countries, feature_classes)
