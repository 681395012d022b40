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
    span = evidence_span(draft, sentences)
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
        evidence=_joined(draft, sentences, span) if text is None else text[span[0]:span[1]],
        source=info.source,
        confidence=confidence(draft),
        evidence_span=span,
    )


EVIDENCE_SENTENCES = 6
"""Sentences from an incident's first one that its evidence may reach (the later ones only add counts)."""
EVIDENCE_CHARS = 2_000
"""Characters an evidence span may hold: a long run of sentences or one huge line is cut at a space."""


def evidence_span(draft: Draft, sentences: Sequence[Sentence]) -> tuple[int, int]:
    """Return the character span of an incident's evidence: its first sentence to its last one within
    ``EVIDENCE_SENTENCES`` and ``EVIDENCE_CHARS``, so an incident told again and again in a long
    document does not carry the document as its evidence; a first sentence longer than that is cut at
    a space."""
    ordered = sorted(draft.sentences)
    first = ordered[0]
    start = sentences[first].start
    ends = [sentences[i].end for i in ordered
            if i - first < EVIDENCE_SENTENCES and sentences[i].end - start <= EVIDENCE_CHARS]
    if ends:
        return start, max(ends)
    cut = sentences[first].text.rfind(" ", 0, EVIDENCE_CHARS)
    return start, start + (cut if cut > 0 else EVIDENCE_CHARS)


def _joined(draft: Draft, sentences: Sequence[Sentence], span: tuple[int, int]) -> str:
    """Return the evidence without the document: the used sentences inside the span, joined."""
    return " ".join(
        sentences[i].text for i in sorted(draft.sentences) if span[0] <= sentences[i].start < span[1]
    )[: span[1] - span[0]]
