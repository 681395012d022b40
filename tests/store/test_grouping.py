"""The store's grouping: a reviewer's links read both ways, keys filed per incident, events per document."""

from __future__ import annotations

from pathlib import Path

from incidents.store import STORE_FILE, Store
from incidents.store.grouping import events_of, link, links_of
from tests.store.test_events import SUMY, doc, strike


def test_links_read_both_ways_and_keys_are_filed(tmp_path: Path) -> None:
    store = Store(tmp_path / STORE_FILE)
    store.add_document(doc("a", 3), [strike("a", day=3), strike("a", 1, place=SUMY, day=3)])
    with store._connect() as db:
        link(db, "z-0", "a-0", "apart")
        link(db, "a-1", "b-0", "together")
        assert links_of(db, ["a-0", "a-1"], "apart") == {"a-0": {"z-0"}}
        assert links_of(db, ["b-0"], "together") == {"b-0": {"a-1"}}
        assert links_of(db, [], "apart") == {}
        assert events_of(db, "a") == {"a-0": "ev-a-0", "a-1": "ev-a-1"}
        filed = db.execute("SELECT COUNT(*) FROM event_keys WHERE incident_id = 'a-0'").fetchone()[0]
    assert filed > 0
    store.delete_document("a")
    with store._connect() as db:
        assert db.execute("SELECT COUNT(*) FROM event_keys").fetchone()[0] == 0  # gone with the incidents
