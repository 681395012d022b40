"""Tell which places are only context for others: a region around a town, a country around both."""

from __future__ import annotations

from collections.abc import Sequence

from gazetteer import geo
from gazetteer.records import PART_FEATURE, Place, Precision, Toponym

DEFAULT_RADIUS_KM = {Precision.DISTRICT: 30.0, Precision.REGION: 150.0, Precision.COUNTRY: 800.0}
"""How far an area reaches when the gazetteer gives it no radius of its own."""
PRECISION_RANK = {Precision.POINT: 0, Precision.LOCALITY: 1, Precision.DISTRICT: 2, Precision.REGION: 3,
                  Precision.COUNTRY: 4}
"""Precisions from the finest (a point) to the coarsest (a country)."""


def distance_km(a: Place, b: Place) -> float:
    """Return the distance between two places in kilometres."""
    return geo.distance_km(a.lat, a.lon, b.lat, b.lon)


REGION_SIZE_RATIO = 2.0
"""How many times wider a region must be than another to be read as holding it."""


def contains(outer: Toponym, inner: Toponym) -> bool:
    """Tell whether ``outer`` is a containing area of ``inner`` (so only context for it)."""
    big, small = outer.place, inner.place
    if (big.precision == small.precision == Precision.REGION and big.radius_km and small.radius_km
            and big.radius_km >= REGION_SIZE_RATIO * small.radius_km):
        # A large region holds a small one (the Gaza Strip, its Deir al-Balah governorate).
        return distance_km(big, small) <= big.radius_km
    if big.feature == PART_FEATURE:
        return False  # a part of a city holds nothing, not even the city at whose point it stands
    if (inner.context is not None and inner.context.id == big.id and big.precision == Precision.LOCALITY
            and (small.precision == Precision.LOCALITY or small.feature == PART_FEATURE)):
        return True  # a city around its own part ("Kyiv's Obolon district", "Obolon, Kyiv")
    if PRECISION_RANK[big.precision] <= PRECISION_RANK[small.precision]:
        return False  # a town is never the context of a region, whatever a context link says
    if inner.context is not None and inner.context.id == big.id:
        return True
    if big.precision not in DEFAULT_RADIUS_KM:
        return False
    if big.precision == Precision.COUNTRY:
        return big.country_code == small.country_code
    radius = big.radius_km or DEFAULT_RADIUS_KM[big.precision]
    return distance_km(big, small) <= radius


def unique_places(places: Sequence[Toponym]) -> list[Toponym]:
    """Keep the first mention of each place, in order."""
    seen: set[str] = set()
    kept = []
    for toponym in places:
        if toponym.place.id not in seen:
            seen.add(toponym.place.id)
            kept.append(toponym)
    return kept


def without_context(places: list[Toponym]) -> list[Toponym]:
    """Drop the places that only contain others; keep them all when every one is such context."""
    kept = [p for p in places if not any(q is not p and contains(p, q) for q in places)]
    return kept or places

