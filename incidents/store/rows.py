"""Incidents and documents to and from the store's rows (places and reviews as JSON)."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

from gazetteer.records import Place, Precision
from incidents.errors import StoreError
from incidents.records import Casualties, Document, Incident, IncidentPlace, IncidentType

_PRECISIONS = {p.value: p for p in Precision}
_TYPES = {t.value: t for t in IncidentType}
# Looked up, not called: calling an Enum costs a microsecond or more, paid for every row of a large store.


def place_to_json(where: IncidentPlace) -> dict[str, Any]:
    p = where.place
    return {
        "id": p.id, "name": p.name, "lat": p.lat, "lon": p.lon, "country_code": p.country_code,
        "admin1": p.admin1, "feature": p.feature, "population": p.population,
        "precision": str(p.precision), "radius_km": p.radius_km,
        "mention": where.mention, "start": where.start, "end": where.end,
    }


def place_from_json(obj: Mapping[str, Any], *, seen: dict[Any, Any] | None = None) -> IncidentPlace:
    """Return the incident's place a stored JSON object describes.

    ``seen`` (kept by the caller across rows) shares one record per place: thousands of incidents at a
    town decode it once, and equal frozen records are interchangeable.
    """
    fields = (obj["id"], obj["name"], obj["lat"], obj["lon"], obj["country_code"], obj["admin1"],
              obj["feature"], obj["population"], obj["radius_km"], obj["precision"])
    place = seen.get(fields) if seen is not None else None
    if place is None:
        place = Place(
            id=obj["id"], name=obj["name"], lat=float(obj["lat"]), lon=float(obj["lon"]),
            country_code=obj["country_code"], admin1=obj["admin1"], feature=obj["feature"],
            population=int(obj["population"]), radius_km=obj["radius_km"],
            precision=_PRECISIONS.get(obj["precision"]) or Precision(obj["precision"]),
        )
        if seen is not None:
            seen[fields] = place
    return IncidentPlace(place=place, mention=obj["mention"], start=int(obj["start"]), end=int(obj["end"]))


def changes_of(incident: Incident) -> dict[str, Any]:
    """Return the fields a reviewer may correct, as JSON-ready values."""
    return {
        "type": str(incident.type),
        "subtype": incident.subtype,
        "killed": incident.casualties.killed,
        "injured": incident.casualties.injured,
        "date": incident.date.isoformat() if incident.date else None,
        "places": [place_to_json(w) for w in incident.places],
    }


def apply_changes(incident: Incident, changes: Mapping[str, Any]) -> Incident:
    return replace(
        incident,
        type=IncidentType(changes["type"]),
        subtype=changes["subtype"],
        casualties=Casualties(killed=changes["killed"], injured=changes["injured"]),
        date=dt.date.fromisoformat(changes["date"]) if changes["date"] else None,
        places=tuple(place_from_json(p) for p in changes["places"]),
    )


def incident_row(incident: Incident, seq: int, reviewed: bool) -> tuple[Any, ...]:
    return (
        incident.incident_id, incident.doc_id, seq, str(incident.type), incident.subtype,
        json.dumps([place_to_json(w) for w in incident.places], ensure_ascii=False),
        incident.casualties.killed, incident.casualties.injured,
        incident.date.isoformat() if incident.date else None, incident.lang, incident.evidence,
        incident.source, float(incident.confidence), incident.evidence_span[0], incident.evidence_span[1],
        int(reviewed),
    )


INCIDENT_COLUMNS = (
    "incident_id, doc_id, seq, type, subtype, places, killed, injured, date, lang, evidence, source, "
    "confidence, evidence_start, evidence_end, reviewed"
)
INSERT_INCIDENT = f"INSERT INTO incidents ({INCIDENT_COLUMNS}) VALUES ({', '.join('?' * 16)})"


def incident_from_row(row: Sequence[Any], *, seen: dict[Any, Any] | None = None) -> Incident:
    """Return the incident of a stored row; ``seen`` shares decoded places across rows (a dict the caller
    keeps for one read: the same places text, or the same place, is decoded once)."""
    places = seen.get(row[5]) if seen is not None else None
    if places is None:
        places = tuple(place_from_json(p, seen=seen) for p in json.loads(row[5]))
        if seen is not None:
            seen[row[5]] = places
    return Incident(
        incident_id=row[0], doc_id=row[1], type=_TYPES.get(row[3]) or IncidentType(row[3]), subtype=row[4],
        places=places,
        casualties=Casualties(killed=row[6], injured=row[7]),
        date=dt.date.fromisoformat(row[8]) if row[8] else None,
        lang=row[9], evidence=row[10], source=row[11], confidence=float(row[12]),
        evidence_span=(int(row[13]), int(row[14])),
    )


def document_from_row(row: Sequence[Any]) -> Document:
    return Document(
        id=row[0], text=row[1], lang=row[2],
        published=dt.date.fromisoformat(row[3]) if row[3] else None, source=row[4],
    )




def check_owner(doc_id: str, incidents: Sequence[Incident]) -> None:
    for incident in incidents:
        if incident.doc_id != doc_id:
            msg = f"incident {incident.incident_id!r} belongs to {incident.doc_id!r}, not to {doc_id!r}"
            raise StoreError(msg)


def insert_incidents(db: sqlite3.Connection, doc_id: str, incidents: list[Incident]) -> None:
    query = "SELECT incident_id, action, changes FROM reviews WHERE doc_id = ?"
    reviews = {row[0]: (row[1], json.loads(row[2])) for row in db.execute(query, (doc_id,))}
    rows = []
    for seq, incident in enumerate(incidents):
        action, changes = reviews.get(incident.incident_id, (None, None))
        if action == "delete":
            continue
        if action == "correct" and changes is not None:
            incident = apply_changes(incident, changes)
        rows.append(incident_row(incident, seq, reviewed=action is not None))
    ids = [row[0] for row in rows]
    clash = next((i for i in ids if ids.count(i) > 1), None) or next(
        (i for i in ids if db.execute("SELECT 1 FROM incidents WHERE incident_id = ?", (i,)).fetchone()),
        None)
    if clash is not None:
        msg = f"cannot save the incidents of {doc_id!r}: incident id {clash!r} is already stored"
        raise StoreError(msg)
    db.executemany(INSERT_INCIDENT, rows)
