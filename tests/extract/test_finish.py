"""Tests of turning a draft into an Incident record."""

from __future__ import annotations

import datetime as dt

from gazetteer.records import Place, Precision, Toponym
from incidents.extract.confidence import confidence
from incidents.extract.draft import DocumentInfo, Draft
from incidents.extract.finish import finish, incident_id
from incidents.records import IncidentType, Sentence

TOWN = Place("t:town", "Town", 50.0, 30.0, "UA", None, "PPL", 1000, Precision.LOCALITY)
INFO = DocumentInfo(doc_id="doc", lang="en", source="test", published=None)
SENTENCES = [Sentence(0, 12, "First words."), Sentence(13, 26, "Second words."),
             Sentence(27, 38, "Third ones.")]


def test_ids_are_stable_and_depend_on_every_part() -> None:
    kind = IncidentType.STRIKE
    first = incident_id("a", (0, 1), kind, ["x"])
    assert first == incident_id("a", (0, 1), kind, ["x"])
    others = {incident_id("b", (0, 1), kind, ["x"]), incident_id("a", (0, 2), kind, ["x"]),
              incident_id("a", (0, 1), IncidentType.ALERT, ["x"]), incident_id("a", (0, 1), kind, ["y"])}
    assert first not in others and len(others) == 4


def test_finish_joins_its_sentences_in_order_as_evidence() -> None:
    draft = Draft(IncidentType.STRIKE, "drone", [Toponym(18, 22, "Town", TOWN)], [2, 0], dt.date(2024, 1, 2),
                  killed=4)
    incident = finish(draft, SENTENCES, INFO)
    assert incident.evidence == f"{SENTENCES[0].text} {SENTENCES[2].text}"
    assert incident.evidence_span == (SENTENCES[0].start, SENTENCES[2].end)
    assert (incident.casualties.killed, incident.casualties.injured) == (4, None)
    assert [(p.place.id, p.mention, p.start, p.end) for p in incident.places] == [("t:town", "Town", 18, 22)]
    assert (incident.doc_id, incident.lang, incident.source) == ("doc", "en", "test")
    assert incident.confidence == confidence(draft)
    assert incident.incident_id == incident_id("doc", incident.evidence_span, draft.type, ["t:town"])


def test_with_the_text_the_evidence_is_the_text_at_its_span() -> None:
    text = "First words.\nSecond words. Third ones."
    draft = Draft(IncidentType.STRIKE, "drone", [Toponym(18, 22, "Town", TOWN)], [2, 0], None)
    incident = finish(draft, SENTENCES, INFO, text=text)
    start, end = incident.evidence_span
    assert incident.evidence == text[start:end] == text


def test_evidence_stays_near_the_first_sentence_in_a_long_document() -> None:
    # The same strike told again 40 sentences on: its counts count, its evidence stops short of it.
    sentences, text = [], ""
    for n in range(50):
        line = f"Sentence number {n} of a long report."
        sentences.append(Sentence(len(text), len(text) + len(line), line))
        text += line + " "
    draft = Draft(IncidentType.STRIKE, None, [Toponym(0, 4, "Town", TOWN)], [3, 4, 43], None)
    incident = finish(draft, sentences, INFO, text=text)
    start, end = incident.evidence_span
    assert (start, end) == (sentences[3].start, sentences[4].end)
    assert incident.evidence == text[start:end]


def test_a_huge_first_sentence_is_cut_at_a_space() -> None:
    line = "word " * 2_000
    sentences = [Sentence(0, len(line) - 1, line[:-1])]
    draft = Draft(IncidentType.STRIKE, None, [Toponym(0, 4, "word", TOWN)], [0], None)
    incident = finish(draft, sentences, INFO, text=line)
    assert len(incident.evidence) <= 2_000 and incident.evidence.endswith("word")
    assert incident.evidence == line[slice(*incident.evidence_span)]
