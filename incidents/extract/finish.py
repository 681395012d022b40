"""Turn an assembled draft into the frozen ``Incident`` record, with a stable id and its evidence."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

from incidents.extract.confidence import confidence
from incidents.extract.draft import DocumentInfo, Draft
from incidents.records import Casualties, Incident, IncidentPlace, IncidentType, Sentence


def incident_id(doc_id: str, span: tuple[int, int], kind: IncidentType, place_ids: Sequence[str]) -> str:
    """Return a stable id from the document id, the evidence span, the type and the places."""
    key = "\x1f".join([doc_id, f"{span[0]}-{span[1]}", str(kind), *place_ids])
    return hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]


def finish(draft: Draft, sentences: Sequence[Sentence], info: DocumentInfo, *,
           text: str | None = None) -> Incident:
    """Return the incident a draft tells: its sentences joined as evidence, its counts and places.

    Given the document ``text``, the evidence is the text at the evidence span itself, so a reader
    who looks the offsets up finds exactly the evidence (sentences in between included).
    """
    used = [sentences[i] for i in sorted(draft.sentences)]
    span = (used[0].start, used[-1].end)
    places = tuple(IncidentPlace(t.place, t.text, t.start, t.end) for t in draft.places)
    return Incident(
        incident_id=incident_id(info.doc_id, span, draft.type, [p.place.id for p in places]),
        doc_id=info.doc_id,
        type=draft.type,
        subtype=draft.subtype,
        places=places,
        casualties=Casualties(killed=draft.killed, injured=draft.injured),
        date=draft.date,
        lang=info.lang,
        evidence=" ".join(s.text for s in used) if text is None else text[span[0]:span[1]],
        source=info.source,
        confidence=confidence(draft),
        evidence_span=span,
    )
