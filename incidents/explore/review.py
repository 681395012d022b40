"""What the review and documents panels show and do: place labels, corrected incidents, document rows."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import replace
from typing import Any

from gazetteer.records import Place
from incidents.explore.documents import document_title
from incidents.explore.view import web_link
from incidents.records import Casualties, Incident, IncidentPlace, IncidentType
from incidents.store import StoredDocument


def describe_place(place: Place) -> str:
    """Return a one-line label that tells gazetteer candidates of the same name apart."""
    region = ", ".join(p for p in (place.admin1, place.country_code) if p)
    return f"{place.name} ({region}; {place.feature}, {place.precision}; {place.lat:.3f}, {place.lon:.3f})"


def place_options(current: Place, found: Iterable[Place]) -> list[Place]:
    """Return the places a reviewer may choose: the current one first, then the others found."""
    return [current, *[p for p in found if p.id != current.id]]


def _count(value: float | None) -> int | None:
    return None if value is None else int(value)


def corrected(
    incident: Incident,
    where: IncidentPlace,
    *,
    place: Place,
    kind: str,
    subtype: str,
    killed: float | None,
    injured: float | None,
    day: object,
) -> Incident:
    """Return the incident as the reviewer corrected it; ``where`` moves to ``place``.

    The values are the review form's: a blank subtype is none, an empty count is not reported,
    anything but a date (an empty date widget) is no date.
    """
    places = tuple(replace(w, place=place) if w is where else w for w in incident.places)
    return replace(
        incident, type=IncidentType(kind), subtype=subtype.strip() or None, places=places,
        casualties=Casualties(killed=_count(killed), injured=_count(injured)),
        date=day if isinstance(day, dt.date) else None,
    )


def document_rows(docs: Iterable[StoredDocument]) -> list[dict[str, Any]]:
    """Return one row per stored document for the documents table: its title first, its source as a link
    when it is a web address."""
    return [{"title": document_title(d.document), "published": d.document.published,
             "source": d.document.source, "link": web_link(d.document.source), "incidents": d.incident_count,
             "lang": d.document.lang, "added": d.added_at, "id": d.document.id} for d in docs]
