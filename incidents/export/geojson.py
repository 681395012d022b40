"""GeoJSON output: the only module that knows the Feature schema and the [lon, lat] order."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

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


def to_features(incidents: Iterable[Incident], *, event_ids: Mapping[str, str] | None = None
                ) -> list[dict[str, Any]]:
    """Return one GeoJSON Feature per incident per place, in input order.

    With ``event_ids`` (incident id -> event id), each Feature also gets the ``event_id`` of its event.
    """
    features: list[dict[str, Any]] = []
    for incident in incidents:
        for where in incident.places:
            properties = feature_properties(incident, where)
            if event_ids is not None:
                properties["event_id"] = event_ids.get(incident.incident_id)
            features.append(
                {
                    "type": "Feature",
                    "id": f"{incident.incident_id}:{where.place.id}",
                    "geometry": {
                        "type": "Point",
                        "coordinates": [round(where.place.lon, 6), round(where.place.lat, 6)],
                    },
                    "properties": properties,
                }
            )
    return features


def to_feature_collection(incidents: Iterable[Incident]) -> dict[str, Any]:
    """Return an RFC 7946 FeatureCollection of the incidents."""
    return {"type": "FeatureCollection", "features": to_features(incidents)}
