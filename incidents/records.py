"""Typed records of the incident pipeline: documents, sentences, incidents."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum

from gazetteer.records import Place


class IncidentType(StrEnum):
    """Strike: an attack that hit. Alert: an air-raid siren, rocket alert or air-raid alarm."""

    STRIKE = "strike"
    ALERT = "alert"


@dataclass(frozen=True, slots=True)
class Document:
    """One input document, as the CLI, the app and the store hand it to ``extract()``."""

    id: str
    text: str
    lang: str | None = None
    published: dt.date | None = None
    source: str | None = None


@dataclass(frozen=True, slots=True)
class Sentence:
    """A sentence with its character span in the document."""

    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class Casualties:
    """Killed and injured counts; None means the text gives no number."""

    killed: int | None = None
    injured: int | None = None


@dataclass(frozen=True, slots=True)
class IncidentPlace:
    """A place where an incident happened, as written in the text and as resolved."""

    place: Place
    mention: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Incident:
    """One incident read from a document; it may happen at several places."""

    incident_id: str
    doc_id: str
    type: IncidentType
    subtype: str | None
    places: tuple[IncidentPlace, ...]
    casualties: Casualties
    date: dt.date | None
    lang: str
    evidence: str
    source: str | None
    confidence: float
    evidence_span: tuple[int, int] = field(default=(0, 0))
