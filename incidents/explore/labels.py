"""City labels for the offline map, from our own gazetteer: more of them as the map zooms in.

Each city gets the zoom from which the map labels it, by its population (a capital of millions from
the world view, a town of ten thousand from zoom 10). The labels are written once per gazetteer index
as two small static files: the larger cities, loaded with the map, and the towns, loaded when the map
zooms in to them. The map then draws the most populous of those in view that do not overlap.

GeoNames also lists the districts of large cities as populated places (Kyiv's Obolon, Kharkiv's
"Rayon KTZ", the tractor works' district, 200,000 people): labelled by population they would read as
towns of their own from the country view on. A place well inside a much larger city is taken for a
part of it (``part_of_city``): labelled only from street zoom (``PART_ZOOM``), in a lighter style.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gazetteer.records import Place
from gazetteer.settings import STAMP_FILE

LABEL_TIERS = ((5_000_000, 3), (1_000_000, 4), (500_000, 5), (200_000, 6), (100_000, 7), (50_000, 8),
               (25_000, 9), (10_000, 10))
"""(minimum population, zoom from which a city of that size is labelled), largest first."""
MIN_POPULATION = LABEL_TIERS[-1][0]
TOWNS_FROM_ZOOM = 8
"""Cities labelled from this zoom on are in the second file, loaded only when the map gets there."""
PART_ZOOM = 12
"""A part of a larger city (a district) is labelled from this zoom on, whatever its population."""
PART_OF_CITY_SHARE = 0.3
"""A place is a part of a city only if it has at most this share of the city's people ..."""
PART_OF_CITY_KM = 15.0
"""... and lies within this distance of the city's point (a city of millions spans some 30 km) and
inside its built-up radius (``urban_radius_km``): farther out, or nearly as large, it is a town of its
own (Bnei Brak by Tel Aviv, Makiyivka by Donetsk)."""
URBAN_DENSITY_PER_KM2 = 3_000
LABELS_VERSION = 3
"""Part of the files' stamp: labels written by an older rule are written again."""
CITIES_FILE = "cities.json"
TOWNS_FILE = "towns.json"


@dataclass(frozen=True, slots=True)
class CityLabel:
    """A label: the city's name and place, and the zoom from which the map shows it."""

    name: str
    lat: float
    lon: float
    population: int
    min_zoom: int
    part: bool = False
    """A part of a larger city (a district), labelled from ``PART_ZOOM``."""


def label_zoom(population: int) -> int | None:
    """Return the zoom from which a city of this population is labelled (None: too small)."""
    return next((zoom for least, zoom in LABEL_TIERS if population >= least), None)


def urban_radius_km(population: int) -> float:
    """Return the radius of a city's built-up area, estimated from its population."""
    return math.sqrt(population / (math.pi * URBAN_DENSITY_PER_KM2))


def _km(a: Place, b: Place) -> float:
    return 111.2 * math.hypot(a.lat - b.lat, (a.lon - b.lon) * math.cos(math.radians(a.lat)))


def part_of_city(place: Place, cities: Iterable[Place]) -> bool:
    """Tell whether a place lies well inside one of ``cities`` many times its size (it is a district)."""
    if place.feature == "PPLC":  # a capital is a city of its own, whatever is next to it
        return False
    return any(place.population <= PART_OF_CITY_SHARE * city.population
               and _km(place, city) < min(PART_OF_CITY_KM, urban_radius_km(city.population))
               for city in cities)


def _neighbours(places: list[Place]) -> Callable[[Place], Iterable[Place]]:
    """Return a function giving the places near one (a grid of cells larger than ``PART_OF_CITY_KM``)."""
    cell = PART_OF_CITY_KM / 100.0  # degrees: a cell is wider than the distance looked for
    grid: dict[tuple[int, int], list[Place]] = {}
    for place in places:
        grid.setdefault((math.floor(place.lat / cell), math.floor(place.lon / cell)), []).append(place)

    def near(place: Place) -> Iterable[Place]:
        row, col = math.floor(place.lat / cell), math.floor(place.lon / cell)
        for dr in (-1, 0, 1):
            for dc in (-2, -1, 0, 1, 2):  # a degree of longitude is shorter than one of latitude
                yield from grid.get((row + dr, col + dc), ())

    return near


def city_labels(places: Iterable[Place]) -> list[CityLabel]:
    """Return a label for each town or city large enough, the most populous first, one per name and spot.

    A part of a larger city (``part_of_city``) is labelled from ``PART_ZOOM``, marked as a part.
    """
    found = [place for place in places if label_zoom(place.population) is not None]
    near = _neighbours(found)
    labels: dict[tuple[str, float, float], CityLabel] = {}
    for place in found:
        zoom = label_zoom(place.population) or PART_ZOOM
        part = part_of_city(place, near(place))
        key = (place.name, round(place.lat, 1), round(place.lon, 1))
        if key not in labels or labels[key].population < place.population:
            labels[key] = CityLabel(place.name, round(place.lat, 4), round(place.lon, 4), place.population,
                                    max(zoom, PART_ZOOM) if part else zoom, part)
    return sorted(labels.values(), key=lambda c: (-c.population, c.name))


def _payload(labels: Iterable[CityLabel], stamp: str) -> str:
    rows: list[list[Any]] = [[c.name, c.lat, c.lon, c.min_zoom, *([1] if c.part else [])] for c in labels]
    return json.dumps({"stamp": stamp, "cities": rows}, ensure_ascii=False, separators=(",", ":"))


def written_stamp(folder: Path) -> str | None:
    """Return the stamp of the labels written in ``folder`` (None when there are none)."""
    try:
        found = json.loads((folder / CITIES_FILE).read_text(encoding="utf-8")).get("stamp")
    except (OSError, ValueError):
        return None
    return found if isinstance(found, str) and (folder / TOWNS_FILE).is_file() else None


def write_labels(labels: list[CityLabel], folder: Path, *, stamp: str) -> None:
    """Write the two label files (cities, then towns from ``TOWNS_FROM_ZOOM``) into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, chosen in ((TOWNS_FILE, [c for c in labels if c.min_zoom >= TOWNS_FROM_ZOOM]),
                         (CITIES_FILE, [c for c in labels if c.min_zoom < TOWNS_FROM_ZOOM])):
        part = folder / f".{name}.part"
        part.write_text(_payload(chosen, stamp), encoding="utf-8")
        part.replace(folder / name)  # the cities file last: its stamp says both are there


def index_stamp(index_dir: Path) -> str:
    """Return a short stamp of a gazetteer index (its build stamp's hash), or "" when there is none."""
    try:
        data = (index_dir / STAMP_FILE).read_bytes()
    except OSError:
        return ""
    return hashlib.sha256(data).hexdigest()[:12]


def ensure_labels(folder: Path, *, index_dir: Path, places: Callable[[], Iterable[Place]]) -> str:
    """Write the label files for the index in ``index_dir`` unless they are written already.

    ``places`` gives the index's towns and cities (it loads the index: called only when needed).
    Return the index's stamp (the files' version), "" when there is no index.
    """
    stamp = index_stamp(index_dir)
    stamp = f"{stamp}.{LABELS_VERSION}" if stamp else ""
    if stamp and written_stamp(folder) != stamp:
        write_labels(city_labels(places()), folder, stamp=stamp)
    return stamp
