"""What the Documents tab shows: a title for each document, and its text with the evidence marked.

A document's title is its first line (fetched pages, feed entries and HTML files start with their
title; a pasted text with its first sentence or heading). Text from documents is HTML-escaped here,
before it reaches the page; the only markup added is ``<mark>`` around evidence.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence

from incidents.records import Document, Incident

DOCUMENT_CSS = ("<style>.document-text{white-space:pre-wrap;max-height:480px;overflow-y:auto;"
                "padding:.5em;border:1px solid #ddd}.document-text mark{background:#fff2a8}"
                ".document-text mark.chosen{background:#ffc58a;outline:2px solid #c0392b}</style>")
"""How the page shows a document (``document_html``): its lines as written, the evidence marked."""

TITLE_CHARS = 90
"""A title longer than this is shortened (the filter and the table show one line)."""


def document_title(document: Document, *, limit: int = TITLE_CHARS) -> str:
    """Return a document's title: its first non-empty line, shortened; its id when it has no text."""
    line = next((" ".join(part.split()) for part in document.text.splitlines() if part.strip()), "")
    if not line:
        return document.id
    return line if len(line) <= limit else line[: limit - 1].rstrip() + "…"


def document_labels(documents: Iterable[Document]) -> dict[str, str]:
    """Return a label per document id: its title, with the id after it when two documents share a title."""
    docs = list(documents)
    titles = {d.id: document_title(d) for d in docs}
    seen: dict[str, int] = {}
    for title in titles.values():
        seen[title] = seen.get(title, 0) + 1
    return {ident: title if seen[title] == 1 else f"{title} ({ident})" for ident, title in titles.items()}


Span = tuple[int, int]


def evidence_span(text: str, incident: Incident) -> Span | None:
    """Return where an incident's evidence is in its document's text, or None when it is not found."""
    start, end = incident.evidence_span
    same = " ".join(text[start:end].split()) == " ".join(incident.evidence.split())
    if 0 <= start < end <= len(text) and same:
        return start, end
    found = text.find(incident.evidence) if incident.evidence else -1
    return (found, found + len(incident.evidence)) if found >= 0 else None


def _merged(spans: Iterable[Span]) -> list[Span]:
    out: list[Span] = []
    for start, end in sorted(spans):
        if out and start <= out[-1][1]:
            out[-1] = (out[-1][0], max(end, out[-1][1]))
        else:
            out.append((start, end))
    return out


def highlighted_html(text: str, spans: Sequence[Span], *, chosen: Span | None = None) -> str:
    """Return the text as escaped HTML, the spans in ``<mark>`` (``chosen`` in ``<mark class="chosen">``).

    Line breaks stay as they are (the page shows the text with ``white-space: pre-wrap``).
    """
    marks = _merged([s for s in spans if s != chosen])
    if chosen is not None:  # the chosen span wins over any mark it overlaps
        marks = [s for s in marks if s[1] <= chosen[0] or s[0] >= chosen[1]]
        marks = sorted([*marks, chosen])
    parts: list[str] = []
    at = 0
    for start, end in marks:
        start, end = max(start, at), max(end, at)
        parts.append(html.escape(text[at:start]))
        css = ' class="chosen"' if (start, end) == chosen else ""
        parts.append(f"<mark{css}>{html.escape(text[start:end])}</mark>")
        at = end
    parts.append(html.escape(text[at:]))
    return "".join(parts)


def document_html(document: Document, incidents: Iterable[Incident], *, chosen: str | None = None) -> str:
    """Return a document's text as escaped HTML with the evidence of its incidents marked.

    ``chosen`` is an incident id: its evidence is marked apart (the incident selected on the map).
    """
    spans: list[Span] = []
    picked: Span | None = None
    for incident in incidents:
        span = evidence_span(document.text, incident)
        if span is None:
            continue
        spans.append(span)
        if incident.incident_id == chosen:
            picked = span
    body = highlighted_html(document.text, spans, chosen=picked)
    return f'<div class="document-text">{body}</div>'
