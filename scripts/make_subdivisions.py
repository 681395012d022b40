"""Make gazetteer/data/subdivisions.csv from Who's On First (CC BY): districts and neighbourhoods.

How the committed file was made (Python 3.11, standard library only, no network):

1. Copy the public Who's On First admin repositories of the countries below
   (``whosonfirst-data/whosonfirst-data-admin-<cc>`` on GitHub: ua ps lb sy ye sd il) to bare git
   directories, one per country.
2. Run ``python scripts/make_subdivisions.py --out gazetteer/data/subdivisions.csv DIR...`` with those
   git directories (in that order). The script reads each repository's ``HEAD`` with ``git ls-tree`` and
   ``git cat-file`` (no work tree needed), and writes one row per kept record, sorted by country and id.

What is kept:

- ``county`` records (second-level units: Ukrainian raions, Syrian and Yemeni districts, Lebanese cazas,
  Palestinian governorates, Sudanese localities) that are current; Ukrainian ones only with a Ukrainian
  name (the rest are city councils that duplicate their cities).
- ``neighbourhood`` records (parts of a city) that are current or of unknown currency and have a parent
  city: the WoF locality of their hierarchy, else the most populous WoF locality of at least
  PARENT_MIN_POPULATION within PARENT_KM. Records of one folded name within DUPLICATE_KM are one place
  (a current record first, then the one with more names).

Names are WoF's ``name:<lang>_x_preferred`` and ``_x_variant`` values for the languages the project
reads (and Arabic, Hebrew); population is ``wof:population`` (0 when absent); the point is WoF's label
point (``lbl:``), else its centroid (``geom:``); a county's ``radius_km`` is the radius of a disc of its
area (``geom:area_square_m``). Each row keeps its WoF id and the repository and commit it came from.
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import subprocess
import sys
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

#: Languages with a names column: project column -> WoF language code.
LANGUAGES = {"en": "eng", "uk": "ukr", "ru": "rus", "ar": "ara", "he": "heb", "fr": "fra", "de": "deu",
             "nl": "nld"}
COLUMNS = ("wof_id", "placetype", "name", "country_code", "region", "parent", "lat", "lon", "radius_km",
           "population", *LANGUAGES, "source")
#: A neighbourhood without a hierarchy parent belongs to the most populous locality this close ...
PARENT_KM = 15.0
#: ... of at least this population.
PARENT_MIN_POPULATION = 20_000
#: Records of one name this close together are one place.
DUPLICATE_KM = 3.0
#: Radius given to a county whose area WoF does not give.
DEFAULT_COUNTY_RADIUS_KM = 15.0


@dataclass(frozen=True, slots=True)
class Record:
    """The properties of one WoF record that the supplement uses."""

    props: dict[str, Any]
    repo: str
    commit: str

    @property
    def wof_id(self) -> int:
        return int(self.props["wof:id"])

    @property
    def placetype(self) -> str:
        return str(self.props.get("wof:placetype") or "")

    @property
    def point(self) -> tuple[float, float] | None:
        for prefix in ("lbl", "geom"):
            lat, lon = self.props.get(f"{prefix}:latitude"), self.props.get(f"{prefix}:longitude")
            if isinstance(lat, int | float) and isinstance(lon, int | float) and (lat or lon):
                return float(lat), float(lon)
        return None

    @property
    def population(self) -> int:
        value = self.props.get("wof:population") or 0
        return int(value) if isinstance(value, int | float) else 0

    @property
    def alive(self) -> bool:
        """Say whether the record is in use: not retired, superseded or deprecated."""
        props = self.props
        return (
            props.get("mz:is_current") != 0
            and not props.get("wof:superseded_by")
            and not props.get("edtf:deprecated")
            and str(props.get("edtf:cessation") or "uuuu") in {"uuuu", ""}
        )

    def names(self, lang: str) -> list[str]:
        out: list[str] = []
        for kind in ("preferred", "variant"):
            for name in self.props.get(f"name:{lang}_x_{kind}") or ():
                if isinstance(name, str) and name.strip() and name.strip() not in out:
                    out.append(name.strip())
        return out


def _git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True,
                          text=True).stdout


def read_records(repo: Path) -> Iterator[Record]:
    """Yield the main records (not the ``-alt-`` geometries) of a WoF repository's HEAD."""
    commit = _git(repo, "rev-parse", "HEAD").strip()
    name = repo.name if repo.name != "repo" else repo.parent.name.split("+")[-1]
    objects = []
    for line in _git(repo, "ls-tree", "-r", "HEAD", "data/").splitlines():
        meta, path = line.split("\t", 1)
        if path.endswith(".geojson") and "-alt-" not in path:
            objects.append(meta.split()[2])
    with subprocess.Popen(["git", "-C", str(repo), "cat-file", "--batch"], stdin=subprocess.PIPE,
                          stdout=subprocess.PIPE) as batch:
        assert batch.stdin is not None and batch.stdout is not None
        for sha in objects:
            batch.stdin.write(f"{sha}\n".encode())
            batch.stdin.flush()
            header = batch.stdout.readline().split()
            if header[1] == b"missing":
                continue
            data = batch.stdout.read(int(header[2]))
            batch.stdout.read(1)
            yield Record(json.loads(data)["properties"], name, commit)
        batch.stdin.close()


def distance_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Return the great-circle distance in km (haversine; good enough to pair close records)."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(h))


def fold(name: str) -> str:
    text = unicodedata.normalize("NFKD", name.casefold())
    return "".join(c for c in text if c.isalnum())


def _label(record: Record | None) -> str:
    if record is None:
        return ""
    english = record.names("eng")
    return english[0] if english else str(record.props.get("wof:name") or "")


def _hierarchy(record: Record, key: str) -> int | None:
    for level in record.props.get("wof:hierarchy") or ():
        value = level.get(key)
        if isinstance(value, int) and value > 0:
            return value
    return None


def _parent_city(record: Record, by_id: dict[int, Record], cities: list[Record]) -> Record | None:
    parent = by_id.get(_hierarchy(record, "locality_id") or 0)
    if parent is not None and parent.placetype == "locality":
        return parent
    point = record.point
    if point is None:
        return None
    near = [c for c in cities if c.point and distance_km(point, c.point) <= PARENT_KM]
    return max(near, key=lambda c: c.population, default=None)


def _row(record: Record, by_id: dict[int, Record], parent: Record | None) -> dict[str, str]:
    point = record.point
    assert point is not None
    area = record.props.get("geom:area_square_m")
    radius = ""
    if record.placetype == "county":
        km = math.sqrt(float(area) / math.pi) / 1000 if isinstance(area, int | float) and area > 0 else 0
        radius = f"{max(km, 1.0) if km else DEFAULT_COUNTY_RADIUS_KM:.1f}"
    row = {
        "wof_id": str(record.wof_id),
        "placetype": record.placetype,
        "name": str(record.props.get("wof:name") or ""),
        "country_code": str(record.props.get("wof:country") or record.props.get("iso:country") or ""),
        "region": _label(by_id.get(_hierarchy(record, "region_id") or 0)),
        "parent": _label(parent),
        "lat": f"{point[0]:.5f}",
        "lon": f"{point[1]:.5f}",
        "radius_km": radius,
        "population": str(record.population),
        "source": f"{record.repo}@{record.commit[:12]}",
    }
    for column, lang in LANGUAGES.items():
        row[column] = "|".join(n.replace("|", " ") for n in record.names(lang))
    return row


def _keep_county(record: Record) -> bool:
    if record.props.get("mz:is_current") != 1 or not record.alive:
        return False
    return record.props.get("wof:country") != "UA" or bool(record.names("ukr"))


def rows_of(records: list[Record]) -> Iterator[dict[str, str]]:
    """Yield the supplement's rows of one country's records."""
    by_id = {r.wof_id: r for r in records}
    cities = [
        r for r in records if r.placetype == "locality" and r.alive and r.population >= PARENT_MIN_POPULATION
    ]
    kept: list[tuple[Record, Record | None]] = []
    for record in records:
        if record.point is None or not record.props.get("wof:name"):
            continue
        if record.placetype == "county" and _keep_county(record):
            kept.append((record, None))
        elif record.placetype == "neighbourhood" and record.alive:
            parent = _parent_city(record, by_id, cities)
            if parent is not None:
                kept.append((record, parent))
    # A current record, then the one with more names, stands for its duplicates.
    kept.sort(key=lambda p: (p[0].props.get("mz:is_current") != 1, -len(p[0].props), p[0].wof_id))
    chosen: list[tuple[Record, Record | None]] = []
    for record, parent in kept:
        point = record.point
        assert point is not None
        if any(
            c.placetype == record.placetype
            and fold(str(c.props["wof:name"])) == fold(str(record.props["wof:name"]))
            and c.point is not None
            and distance_km(c.point, point) <= DUPLICATE_KM
            for c, _ in chosen
        ):
            continue
        chosen.append((record, parent))
    for record, parent in chosen:
        yield _row(record, by_id, parent)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("repos", nargs="+", type=Path, help="bare git directories of WoF admin repositories")
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    rows: list[dict[str, str]] = []
    for repo in args.repos:
        found = list(rows_of(list(read_records(repo))))
        print(f"{repo}: {len(found)} rows", file=sys.stderr)
        rows.extend(found)
    rows.sort(key=lambda r: (r["country_code"], r["placetype"], int(r["wof_id"])))
    with args.out.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
