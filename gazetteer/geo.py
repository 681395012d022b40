"""Distances between points: the one place the gazetteer measures the earth (through pyproj).

``pyproj.Geod.inv`` runs Karney's geodesic algorithm in C (PROJ's geodesic.c), the same algorithm
geopy's ``geodesic`` runs in pure Python, at a fraction of the cost per call.
"""

from __future__ import annotations

from functools import lru_cache

from pyproj import Geod

_WGS84 = Geod(ellps="WGS84")


@lru_cache(maxsize=65536)
def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Return the geodesic (WGS-84) distance between two points in kilometres."""
    _, _, metres = _WGS84.inv(lon1, lat1, lon2, lat2)
    return float(metres) / 1000.0
