"""GeoJSON output: the only module that knows the Feature schema and the [lon, lat] order."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import IO, Any

from incidents.events import EventSummary
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


EVENT_PROPERTIES = (
    "event_id",
    "type",
    "report_count",
    "sources",
    "place_name",
    "place_id",
    "country_code",
    "admin1",
    "precision",
    "killed_low",
    "killed_best",
    "killed_high",
    "injured_low",
    "injured_best",
    "injured_high",
    "first_reported",
    "last_reported",
    "incident_ids",
    "doc_ids",
)
"""Properties of the events export: an event at one of its places, with counts across its reports."""


def event_features(events: Iterable[EventSummary]) -> list[dict[str, Any]]:
    """Return one GeoJSON Feature per event per place (``EVENT_PROPERTIES``), in input order."""
    features: list[dict[str, Any]] = []
    for event in events:
        for place in event.places:
            properties = {
                "event_id": event.event_id,
                "type": str(event.type),
                "report_count": event.report_count,
                "sources": list(event.sources),
                "place_name": place.name,
                "place_id": place.id,
                "country_code": place.country_code,
                "admin1": place.admin1,
                "precision": str(place.precision),
                "killed_low": event.killed.low,
                "killed_best": event.killed.best,
                "killed_high": event.killed.high,
                "injured_low": event.injured.low,
                "injured_best": event.injured.best,
                "injured_high": event.injured.high,
                "first_reported": event.first_reported.isoformat() if event.first_reported else None,
                "last_reported": event.last_reported.isoformat() if event.last_reported else None,
                "incident_ids": [r.incident_id for r in event.reports],
                "doc_ids": list(dict.fromkeys(r.doc_id for r in event.reports)),
            }
            features.append({
                "type": "Feature",
                "id": f"{event.event_id}:{place.id}",
                "geometry": {"type": "Point", "coordinates": [round(place.lon, 6), round(place.lat, 6)]},
                "properties": properties,
            })
    return features


def event_collection_bytes(events: Iterable[EventSummary]) -> bytes:
    """Return the events export: a FeatureCollection as UTF-8 JSON."""
    collection = {"type": "FeatureCollection", "features": event_features(events)}
    return json.dumps(collection, ensure_ascii=False, indent=1).encode("utf-8")


def feature_text(feature: dict[str, Any], *, sequence: bool) -> str:
    """Return one Feature as written: a GeoJSON text sequence record, or a FeatureCollection member."""
    if sequence:
        return "\x1e" + json.dumps(feature, ensure_ascii=False) + "\n"
    return json.dumps(feature, ensure_ascii=False, indent=1).replace("\n", "\n  ")


_OPEN_EVENT_ID = '"event_id": null'
"""How ``feature_text`` writes an event id not known yet: the last key of a Feature's properties."""


def with_event_id(text: str, event_id: str | None) -> str:
    """Return a Feature text written with an open event id (None), with ``event_id`` filled in.

    The key is the last one written, and no string value can hold it (its quotes would be escaped).
    """
    if event_id is None:
        return text
    at = text.rindex(_OPEN_EVENT_ID)
    filled = '"event_id": ' + json.dumps(event_id, ensure_ascii=False)
    return text[:at] + filled + text[at + len(_OPEN_EVENT_ID):]


def write_collection(out: IO[str], bodies: Iterable[str]) -> None:
    """Write a FeatureCollection member by member, as ``json.dump(..., indent=1)`` lays it out."""
    out.write('{\n "type": "FeatureCollection",\n "features": [')
    first = True
    for body in bodies:
        out.write(("\n  " if first else ",\n  ") + body)
        first = False
    out.write("]\n}\n" if first else "\n ]\n}\n")
