"""GeoJSON output: the only module that knows the Feature schema and the [lon, lat] order."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import IO, Any

from incidents.records import Incident, IncidentPlace

PROPERTIES = (
    "doc_id",
    "incident_id",
    "type",
    "subtype",
    "place_name",
    "mention",
    "place_id",
    "country_code",
    "admin1",
    "precision",
    "killed",
    "injured",
    "date",
    "lang",
    "evidence",
    "source",
    "confidence",
)


def feature_properties(incident: Incident, where: IncidentPlace) -> dict[str, Any]:
    """Return the contract's properties for one incident at one place."""
    place = where.place
    return {
        "doc_id": incident.doc_id,
        "incident_id": incident.incident_id,
        "type": str(incident.type),
        "subtype": incident.subtype,
        "place_name": place.name,
        "mention": where.mention,
        "place_id": place.id,
        "country_code": place.country_code,
        "admin1": place.admin1,
        "precision": str(place.precision),
        "killed": incident.casualties.killed,
        "injured": incident.casualties.injured,
        "date": incident.date.isoformat() if incident.date else None,
        "lang": incident.lang,
        "evidence": incident.evidence,
        "source": incident.source,
        "confidence": round(float(incident.confidence), 3),
    }


def to_features(incidents: Iterable[Incident]) -> list[dict[str, Any]]:
    """Return one GeoJSON Feature per incident per place, in input order."""
    features: list[dict[str, Any]] = []
    for incident in incidents:
        for where in incident.places:
            features.append(
                {
                    "type": "Feature",
                    "id": f"{incident.incident_id}:{where.place.id}",
                    "geometry": {
                        "type": "Point",
                        "coordinates": [round(where.place.lon, 6), round(where.place.lat, 6)],
                    },
                    "properties": feature_properties(incident, where),
                }
            )
    return features


def to_feature_collection(incidents: Iterable[Incident]) -> dict[str, Any]:
    """Return an RFC 7946 FeatureCollection of the incidents."""
    return {"type": "FeatureCollection", "features": to_features(incidents)}


def feature_text(feature: dict[str, Any], *, sequence: bool) -> str:
    """Return one Feature as written: a GeoJSON text sequence record, or a FeatureCollection member."""
    if sequence:
        return "\x1e" + json.dumps(feature, ensure_ascii=False) + "\n"
    return json.dumps(feature, ensure_ascii=False, indent=1).replace("\n", "\n  ")


def write_collection(out: IO[str], bodies: Iterable[str]) -> None:
    """Write a FeatureCollection member by member, as ``json.dump(..., indent=1)`` lays it out."""
    out.write('{\n "type": "FeatureCollection",\n "features": [')
    first = True
    for body in bodies:
        out.write(("\n  " if first else ",\n  ") + body)
        first = False
    out.write("]\n}\n" if first else "\n ]\n}\n")
