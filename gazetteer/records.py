"""Typed records of the gazetteer: places, candidate matches, resolved toponyms."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Precision(StrEnum):
    """How exactly a place's point stands for where something happened."""

    POINT = "point"
    LOCALITY = "locality"
    DISTRICT = "district"
    REGION = "region"
    COUNTRY = "country"


class MentionKind(StrEnum):
    """What a span of text names: a place, or a people/adjective that only gives country context."""

    PLACE = "place"
    DEMONYM = "demonym"


@dataclass(frozen=True, slots=True)
class Place:
    """One gazetteer entry.

    ``id`` is ``"<source>:<key>"`` (``geonames:281124``, ``curated:gaza-envelope``).
    ``feature`` is a GeoNames feature code (``PPL``, ``PPLC``, ``ADM1``, ``PCLI``, ``RGN`` ...).
    ``radius_km`` is set for areas (regions, countries) so a map can draw them as areas.
    """

    id: str
    name: str
    lat: float
    lon: float
    country_code: str
    admin1: str | None
    feature: str
    population: int
    precision: Precision
    radius_km: float | None = None

    def __hash__(self) -> int:
        # Equal places have equal ids, so the id alone is a valid hash; hashing every field (an Enum
        # among them) made sets of places and caches keyed by places slow. Nothing depends on the
        # order of a set of places: string hashes differ between runs anyway.
        return hash(self.id)


#: Feature of a part of a city (a neighbourhood of the Who's On First supplement, or a part the index
#: lacks that the text names with its city).
PART_FEATURE = "PPLX"


def district_at(
    seat: Place, *, id: str, name: str, feature: str, radius_km: float | None = None
) -> Place:
    """Return a district-precision place the index lacks, at the point of the town that stands for it
    (a unit at its seat, a part of a city at the city); its own population is unknown (0)."""
    return Place(
        id=id,
        name=name,
        lat=seat.lat,
        lon=seat.lon,
        country_code=seat.country_code,
        admin1=seat.admin1,
        feature=feature,
        population=0,
        precision=Precision.DISTRICT,
        radius_km=radius_km,
    )


@dataclass(frozen=True, slots=True)
class Candidate:
    """A place a mention may refer to, with the resolver's score and the reasons for it."""

    place: Place
    score: float
    reasons: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Toponym:
    """A span of text resolved to a place.

    ``start``/``end`` are Python string offsets into the document (end exclusive).
    ``context`` is a containing place named beside it ("Khan Younis, in het zuiden van de
    Gazastrook" gives Khan Younis the context Gaza Strip), or None.
    """

    start: int
    end: int
    text: str
    place: Place
    kind: MentionKind = MentionKind.PLACE
    candidates: tuple[Candidate, ...] = field(default=())
    context: Place | None = None


@dataclass(frozen=True, slots=True)
class Entry:
    """A place with every name it goes by, as a source yields it to the index builder.

    ``names`` holds ``(name, lang)`` pairs; ``lang`` is an ISO 639-1 code or None when unknown.
    A DEMONYM entry ("Israëlische", "russe") carries the country it points to as ``place``.
    ``source`` notes where the row came from (shown to reviewers, kept in the index).
    """

    place: Place
    names: tuple[tuple[str, str | None], ...]
    kind: MentionKind = MentionKind.PLACE
    source: str = ""
