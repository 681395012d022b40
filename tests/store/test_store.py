"""The local store: idempotent adds, cascading deletes, reviews that survive re-extraction."""

from __future__ import annotations

import dataclasses
import datetime as dt
import sqlite3
from pathlib import Path

import pytest

from gazetteer.records import Place, Precision
from incidents.errors import DocumentConflictError, IncidentsError, StoreError, UnknownRecordError
from incidents.records import Casualties, Document, Incident, IncidentPlace, IncidentType
from incidents.store import STORE_FILE, Store, content_hash, default_path

LVIV = Place("test:lviv", "Lviv", 49.84, 24.03, "UA", "Lviv Oblast", "PPLA", 717_000, Precision.LOCALITY)
LUTSK = Place("test:lutsk", "Lutsk", 50.75, 25.34, "UA", None, "PPLA", 215_000, Precision.LOCALITY)
AREA = Place("test:area", "Border area", 51.0, 30.0, "UA", None, "RGN", 0, Precision.REGION, 40.0)


def document(ident: str, text: str | None = None) -> Document:
    return Document(id=ident, text=text or f"Text of {ident}.", lang="en", published=dt.date(2024, 5, 1),
                    source="https://example.org/" + ident)


def incident(doc_id: str, n: int, *places: Place, killed: int | None = None) -> Incident:
    return Incident(
        incident_id=f"{doc_id}-{n}", doc_id=doc_id, type=IncidentType.STRIKE, subtype="missile",
        places=tuple(IncidentPlace(p, p.name, 3, 3 + len(p.name)) for p in places or (LVIV,)),
        casualties=Casualties(killed, None), date=dt.date(2024, 4, 30), lang="en",
        evidence=f"Evidence {n} with ünïcode and \"quotes\".", source="https://example.org/" + doc_id,
        confidence=0.75, evidence_span=(0, 20),
    )


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store(tmp_path / STORE_FILE)


def test_round_trip_keeps_every_field(store: Store) -> None:
    saved = [incident("d1", 0, LVIV, AREA, killed=0), incident("d1", 1, LUTSK)]
    assert store.add_document(document("d1"), saved)
    assert Store(store.path).incidents() == saved
    assert store.document("d1") == document("d1")


def test_same_text_adds_nothing(store: Store) -> None:
    assert store.add_document(document("d1", "Same text."), [incident("d1", 0)])
    before = store.revision()
    assert not store.add_document(document("other-id", "  Same text.\n"), [])
    assert store.revision() == before
    assert [d.document.id for d in store.documents()] == ["d1"]
    assert store.has_text("Same text.")


def test_same_id_other_text_is_a_conflict(store: Store) -> None:
    store.add_document(document("d1", "One."), [])
    with pytest.raises(DocumentConflictError, match="'d1'"):
        store.add_document(document("d1", "Two."), [])


def test_delete_document_removes_its_incidents(store: Store) -> None:
    store.add_document(document("d1"), [incident("d1", 0)])
    store.add_document(document("d2"), [incident("d2", 0)])
    assert store.delete_document("d1")
    assert [i.doc_id for i in store.incidents()] == ["d2"]
    assert not store.delete_document("d1")
    with pytest.raises(UnknownRecordError):
        store.document("d1")


def test_correction_persists_and_survives_reextraction(store: Store) -> None:
    extracted = [incident("d1", 0, killed=2), incident("d1", 1)]
    store.add_document(document("d1"), extracted)
    fixed = dataclasses.replace(
        extracted[0], type=IncidentType.ALERT, subtype="siren", casualties=Casualties(None, 3),
        date=dt.date(2024, 4, 29), places=(IncidentPlace(LUTSK, "Lviv", 3, 7),),
    )
    assert store.correct_incident(fixed) == fixed
    reopened = Store(store.path)
    assert reopened.incidents()[0] == fixed
    assert reopened.reviewed_ids() == {"d1-0"}
    reopened.replace_incidents("d1", extracted)
    assert reopened.incidents() == [fixed, extracted[1]]
    assert reopened.reviewed_ids() == {"d1-0"}


def test_deleted_incident_stays_deleted_after_reextraction(store: Store) -> None:
    extracted = [incident("d1", 0), incident("d1", 1)]
    store.add_document(document("d1"), extracted)
    store.delete_incident("d1-0")
    assert [i.incident_id for i in store.incidents()] == ["d1-1"]
    store.replace_incidents("d1", extracted)
    assert [i.incident_id for i in store.incidents()] == ["d1-1"]


def test_reviews_go_with_their_document(store: Store) -> None:
    store.add_document(document("d1"), [incident("d1", 0)])
    store.delete_incident("d1-0")
    store.delete_document("d1")
    store.add_document(document("d1"), [incident("d1", 0)])
    assert [i.incident_id for i in store.incidents()] == ["d1-0"]


def test_incidents_of_one_document(store: Store) -> None:
    store.add_document(document("d1"), [incident("d1", 0)])
    store.add_document(document("d2"), [incident("d2", 0), incident("d2", 1)])
    assert [i.incident_id for i in store.incidents(doc_id="d2")] == ["d2-0", "d2-1"]
    assert [d.incident_count for d in store.documents()] == [1, 2]


def test_failed_add_keeps_what_was_saved(store: Store) -> None:
    store.add_document(document("d1"), [incident("d1", 0)])
    clash = dataclasses.replace(incident("d2", 0), incident_id="d1-0", doc_id="d2")
    with pytest.raises(StoreError, match="d1-0"):
        store.add_document(document("d2"), [incident("d2", 1), clash])
    assert [d.document.id for d in store.documents()] == ["d1"]
    assert [i.incident_id for i in store.incidents()] == ["d1-0"]


def test_incident_of_another_document_is_refused(store: Store) -> None:
    with pytest.raises(StoreError, match="belongs to 'd2'"):
        store.add_document(document("d1"), [incident("d2", 0)])


def test_unknown_records(store: Store) -> None:
    with pytest.raises(UnknownRecordError, match="'nope'"):
        store.delete_incident("nope")
    with pytest.raises(UnknownRecordError):
        store.correct_incident(incident("d9", 0))
    with pytest.raises(UnknownRecordError):
        store.replace_incidents("d9", [])
    assert issubclass(UnknownRecordError, IncidentsError)


def test_revision_changes_on_every_write(store: Store) -> None:
    seen = [store.revision()]
    store.add_document(document("d1"), [incident("d1", 0)])
    seen.append(store.revision())
    store.delete_incident("d1-0")
    seen.append(store.revision())
    store.delete_document("d1")
    seen.append(store.revision())
    assert len(set(seen)) == 4


def test_unopenable_store_names_the_file(tmp_path: Path) -> None:
    (tmp_path / "dir.sqlite3").mkdir()
    with pytest.raises(StoreError, match=r"dir\.sqlite3"):
        Store(tmp_path / "dir.sqlite3")


def test_file_is_plain_sqlite(store: Store) -> None:
    store.add_document(document("d1"), [incident("d1", 0)])
    with sqlite3.connect(store.path) as db:
        assert db.execute("SELECT COUNT(*) FROM incidents").fetchone() == (1,)


def test_default_path_follows_incidents_home(tmp_path: Path) -> None:
    assert default_path({"INCIDENTS_HOME": str(tmp_path)}) == tmp_path / STORE_FILE
    assert default_path({}).name == STORE_FILE


def test_content_hash_ignores_trailing_whitespace() -> None:
    assert content_hash("a\nb") == content_hash("a  \nb\n\n")
    assert content_hash("a b") != content_hash("a  b")
