"""Events in the store: grouped as documents arrive, kept through re-extraction, reviews, splits, merges."""

from __future__ import annotations

import dataclasses
import datetime as dt
import sqlite3
from pathlib import Path

import pytest

from gazetteer.records import Place, Precision
from incidents.errors import UnknownRecordError
from incidents.records import Casualties, Document, Incident, IncidentPlace, IncidentType
from incidents.store import STORE_FILE, Store

KHERSON = Place("t:kherson", "Kherson", 46.64, 32.61, "UA", "Khersonska oblast", "PPLA", 280_000,
                Precision.LOCALITY)
SUMY = Place("t:sumy", "Sumy", 50.91, 34.80, "UA", "Sumska oblast", "PPLA", 260_000, Precision.LOCALITY)


def doc(ident: str, day: int) -> Document:
    return Document(id=ident, text=f"Report {ident}.", lang="en", published=dt.date(2024, 6, day),
                    source=f"https://outlet-{ident}.example/story")


def strike(doc_id: str, n: int = 0, place: Place = KHERSON, killed: int | None = None,
           day: int | None = None) -> Incident:
    return Incident(
        incident_id=f"{doc_id}-{n}", doc_id=doc_id, type=IncidentType.STRIKE, subtype="shelling",
        places=(IncidentPlace(place, place.name, 0, len(place.name)),),
        casualties=Casualties(killed, None), date=dt.date(2024, 6, day) if day else None, lang="en",
        evidence="Shelling hit the town.", source=f"https://outlet-{doc_id}.example/story", confidence=0.8,
    )


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store(tmp_path / STORE_FILE)


def test_reports_of_one_event_share_it_and_counts_add_up(store: Store) -> None:
    store.add_document(doc("a", 3), [strike("a", killed=2, day=3)])
    store.add_document(doc("b", 4), [strike("b", killed=5)])
    store.add_document(doc("c", 4), [strike("c", place=SUMY, killed=1)])
    ids = store.event_ids()
    assert ids["a-0"] == ids["b-0"] != ids["c-0"]
    [kherson] = [e for e in store.events() if e.report_count == 2]
    assert (kherson.killed.low, kherson.killed.best, kherson.killed.high) == (2, 5, 5)
    assert kherson.sources == ("https://outlet-a.example/story", "https://outlet-b.example/story")


def test_events_survive_re_extraction_and_corrections(store: Store) -> None:
    store.add_document(doc("a", 3), [strike("a", day=3)])
    store.add_document(doc("b", 3), [strike("b", day=3)])
    event = store.event_ids()["b-0"]
    store.replace_incidents("b", [strike("b", killed=4, day=3)])
    assert store.event_ids()["b-0"] == event
    store.correct_incident(dataclasses.replace(strike("b", day=3), casualties=Casualties(6, 1)))
    assert store.event_ids()["b-0"] == event
    assert store.events()[0].killed.best == 6


def test_a_split_stays_split_and_a_merge_stays_merged(store: Store) -> None:
    store.add_document(doc("a", 3), [strike("a", day=3)])
    store.add_document(doc("b", 3), [strike("b", day=3)])
    store.split_incident("b-0")
    ids = store.event_ids()
    assert ids["a-0"] != ids["b-0"]
    store.delete_document("b")
    store.add_document(doc("b", 3), [strike("b", day=3)])  # the same report again: still apart
    ids = store.event_ids()
    assert ids["a-0"] != ids["b-0"]
    store.add_document(doc("c", 20), [strike("c", day=20)])  # a later day: its own event
    ids = store.event_ids()
    store.merge_events(ids["a-0"], ids["c-0"])
    store.replace_incidents("c", [strike("c", 0, day=20), strike("c", 1, place=SUMY, day=20)])
    ids = store.event_ids()
    assert ids["c-0"] == ids["a-0"] != ids["c-1"]
    with pytest.raises(UnknownRecordError):
        store.split_incident("nope")


def test_an_old_store_is_upgraded_and_grouped(tmp_path: Path) -> None:
    path = tmp_path / STORE_FILE
    store = Store(path)
    store.add_document(doc("a", 3), [strike("a", day=3)])
    store.add_document(doc("b", 3), [strike("b", day=3)])
    with sqlite3.connect(path) as db:  # what a version-1 store looked like
        db.execute("PRAGMA foreign_keys = ON")
        db.execute("DELETE FROM event_keys")
        db.execute("DROP INDEX incidents_by_event")
        db.execute("ALTER TABLE incidents DROP COLUMN event_id")
        db.execute("UPDATE meta SET value = '1' WHERE key = 'schema'")
    ids = Store(path).event_ids()
    assert ids["a-0"] == ids["b-0"]


def test_events_from_incidents_already_read_are_the_events_read_afresh(store: Store) -> None:
    # Documents added out of id order, one undated: the order of reports follows the store, not the ids.
    store.add_document(doc("z", 4), [strike("z", killed=5, day=3), strike("z", 1, place=SUMY, killed=1)])
    store.add_document(doc("b", 3), [strike("b", killed=2, day=3)])
    store.add_document(dataclasses.replace(doc("m", 5), published=None), [strike("m", killed=7)])
    assert store.events(incidents=store.incidents()) == store.events()


def test_shared_only_gives_just_the_events_of_several_reports(store: Store) -> None:
    store.add_document(doc("z", 4), [strike("z", killed=5, day=3), strike("z", 1, place=SUMY, killed=1)])
    store.add_document(doc("b", 3), [strike("b", killed=2, day=3)])
    everything = store.events(incidents=store.incidents())
    shared = store.events(incidents=store.incidents(), shared_only=True)
    assert shared == [e for e in everything if e.report_count > 1]
    assert len(shared) == 1 and len(everything) == 2


def test_incidents_at_one_place_share_one_place_record(store: Store) -> None:
    store.add_document(doc("a", 3), [strike("a"), strike("a", 1)])
    first, second = store.incidents()
    assert first.places[0].place is second.places[0].place
    assert first.places[0].place == KHERSON
