"""The Documents tab: titles instead of ids, the text escaped with the evidence marked."""

from __future__ import annotations

import dataclasses
import datetime as dt

from gazetteer.records import Place, Precision
from incidents.explore.documents import (
    TITLE_CHARS,
    document_html,
    document_labels,
    document_title,
    evidence_span,
    highlighted_html,
)
from incidents.records import Casualties, Document, Incident, IncidentPlace, IncidentType

XSS = "<img src=x onerror=alert(1)>"
LVIV = Place("t:lviv", "Lviv", 49.84, 24.03, "UA", None, "PPLA", 700_000, Precision.LOCALITY)
TEXT = f"Drones over Lviv\n\nA drone hit a depot in Lviv {XSS}. Sirens sounded later in Lviv."


def incident(ident: str, evidence: str, span: tuple[int, int] = (0, 0)) -> Incident:
    return Incident(ident, "d", IncidentType.STRIKE, None, (IncidentPlace(LVIV, "Lviv", 0, 4),),
                    Casualties(), dt.date(2024, 5, 1), "en", evidence, None, 0.8, evidence_span=span)


def test_the_title_is_the_first_line_shortened() -> None:
    assert document_title(Document("paste-3f827ca6cc", TEXT)) == "Drones over Lviv"
    assert document_title(Document("x", "\n\n  Sirens   in  Kyiv \nmore")) == "Sirens in Kyiv"
    assert document_title(Document("x", " ")) == "x"
    long = document_title(Document("x", "word " * 100))
    assert len(long) == TITLE_CHARS and long.endswith("…")


def test_labels_tell_documents_with_one_title_apart() -> None:
    labels = document_labels([Document("a", "Same"), Document("b", "Same"), Document("c", "Other")])
    assert labels == {"a": "Same (a)", "b": "Same (b)", "c": "Other"}


def test_evidence_is_found_by_its_span_or_its_text() -> None:
    sentence = f"A drone hit a depot in Lviv {XSS}."
    start = TEXT.index(sentence)
    assert evidence_span(TEXT, incident("a", sentence, (start, start + len(sentence)))) == (
        start, start + len(sentence))
    assert evidence_span(TEXT, incident("a", sentence)) == (start, start + len(sentence))
    assert evidence_span(TEXT, incident("a", "Not in the text.")) is None


def test_everything_is_escaped_and_only_marks_are_added() -> None:
    out = document_html(Document("d", TEXT), [incident("a", f"A drone hit a depot in Lviv {XSS}."),
                                              incident("b", "Sirens sounded later in Lviv.")], chosen="b")
    assert XSS not in out and "&lt;img src=x onerror=alert(1)&gt;" in out
    assert out.count("<mark") == 2 and '<mark class="chosen">Sirens sounded later in Lviv.</mark>' in out
    bare = out.replace("<mark>", "").replace('<mark class="chosen">', "").replace("</mark>", "")
    assert "<" not in bare.removeprefix('<div class="document-text">'
                                        ).removesuffix("</div>")


def test_overlapping_marks_merge_and_the_chosen_one_wins() -> None:
    text = "abcdefghij"
    assert highlighted_html(text, [(0, 4), (2, 6)]) == "<mark>abcdef</mark>ghij"
    assert highlighted_html(text, [(0, 4), (6, 8)], chosen=(6, 8)) == (
        '<mark>abcd</mark>ef<mark class="chosen">gh</mark>ij')
    assert highlighted_html(text, [(0, 5), (3, 8)], chosen=(3, 8)) == 'abc<mark class="chosen">defgh</mark>ij'


def test_a_corrected_incident_keeps_its_mark() -> None:
    one = incident("a", "Sirens sounded later in Lviv.")
    moved = dataclasses.replace(one, casualties=Casualties(1, None))
    assert "<mark>" in document_html(Document("d", TEXT), [moved])
