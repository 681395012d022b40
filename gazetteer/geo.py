"""Distances between points: the one place the gazetteer measures the earth (through geopy)."""

from __future__ import annotations

from functools import lru_cache

from geopy.distance import geodesic


@lru_cache(maxsize=65536)
def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Return the geodesic (WGS-84) distance between two points in kilometres."""
    return float(geodesic((lat1, lon1), (lat2, lon2)).km)
