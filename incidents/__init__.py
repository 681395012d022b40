"""Turn news text into geolocated incidents (strikes and alerts) for maps and GIS.

The funnel is ``extract()``: text in, ``Incident`` records out; ``to_feature_collection()`` turns them
into the GeoJSON the command line and the app export.

The rooms follow the data: ``ingest`` (documents in) -> ``extract`` (text to incidents) -> ``store``
(kept, reviewed) -> ``explore`` (what the app shows) and ``export`` (GeoJSON, CSV, GeoPackage);
``records`` and ``errors`` are shared by all, ``cli`` and ``evaluate`` sit on top.
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version
from typing import TYPE_CHECKING, Any

from incidents.errors import IncidentsError, InputError
from incidents.export.geojson import to_feature_collection, to_features
from incidents.records import Casualties, Document, Incident, IncidentPlace, IncidentType, Sentence

try:
    __version__ = version("incidents")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0+unknown"

__all__ = [
    "Casualties",
    "Document",
    "Incident",
    "IncidentPlace",
    "IncidentType",
    "IncidentsError",
    "InputError",
    "Sentence",
    "__version__",
    "extract",
    "extract_document",
    "to_feature_collection",
    "to_features",
]

if TYPE_CHECKING:
    from incidents.extract.pipeline import extract, extract_document


def __getattr__(name: str) -> Any:
    # The pipeline loads lexicons and the gazetteer: import it only when it is asked for.
    if name in ("extract", "extract_document"):
        from incidents.extract import pipeline

        return getattr(pipeline, name)
    msg = f"module 'incidents' has no attribute {name!r}"
    raise AttributeError(msg)
