"""The Streamlit app under AppTest: each input path, the filters, review and the exports.

Tests of the input paths run the real extraction pipeline and gazetteer; tests of filters, review and
exports fill the store with hand-made incidents, so they check the app and not the extractor.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import socket
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.testing.v1 import AppTest

from gazetteer.records import Place, Precision
from gazetteer.settings import default_index_dir
from incidents.ingest import collect
from incidents.records import Casualties, Document, Incident, IncidentPlace, IncidentType
from incidents.store import STORE_FILE, Store

APP = str(Path(__file__).resolve().parents[1] / "streamlit_app.py")
TIMEOUT = 120


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh data folder: an empty store beside the project's built gazetteer index."""
    index = default_index_dir()
    (tmp_path / "gazetteer").symlink_to(index, target_is_directory=True)
    monkeypatch.setenv("INCIDENTS_HOME", str(tmp_path))
    return tmp_path


@pytest.fixture
def downloads(monkeypatch: pytest.MonkeyPatch) -> dict[str, Callable[[], Any]]:
    """Capture the download buttons' files (the latest content by file name suffix)."""
    found: dict[str, Callable[[], Any]] = {}
    original = MediaFileManager.add

    def record(self: MediaFileManager, data: bytes | str, *args: Any, **kwargs: Any) -> str:
        name = kwargs.get("file_name") or (args[2] if len(args) > 2 else "")
        if isinstance(data, bytes):
            found[Path(str(name)).suffix] = lambda: data
        return original(self, data, *args, **kwargs)

    monkeypatch.setattr(MediaFileManager, "add", record)
    return found


def start() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT).run()
    assert not at.exception, at.exception
    return at


def metric(at: AppTest, label: str) -> int:
    return int(next(m.value for m in at.metric if m.label == label).replace(",", ""))


def place(ident: str, name: str, lat: float, lon: float, cc: str,
          precision: Precision = Precision.LOCALITY) -> Place:
    return Place(f"t:{ident}", name, lat, lon, cc, None, "PPL", 10_000, precision,
                 30.0 if precision is Precision.REGION else None)


KYIV = place("kyiv", "Kyiv", 50.45, 30.52, "UA")
DNIPRO = place("dnipro", "Dnipro", 48.45, 34.98, "UA")
NEGEV = place("negev", "Negev border area", 31.3, 34.5, "IL", Precision.REGION)


def incident(doc: str, n: int, kind: IncidentType, where: Place, killed: int | None, day: int,
             evidence: str = "Evidence.") -> Incident:
    return Incident(f"{doc}-{n}", doc, kind, "missile" if kind is IncidentType.STRIKE else "siren",
                    (IncidentPlace(where, where.name, 0, len(where.name)),), Casualties(killed, None),
                    dt.date(2024, 6, day), "en", evidence, "Test desk", 0.7)


def fill(home: Path) -> Store:
    store = Store(home / STORE_FILE)
    store.add_document(Document("d1", "One."), [
        incident("d1", 0, IncidentType.STRIKE, KYIV, 2, 1),
        incident("d1", 1, IncidentType.ALERT, KYIV, None, 1),
    ])
    store.add_document(Document("d2", "Two."), [
        incident("d2", 0, IncidentType.STRIKE, DNIPRO, 5, 2),
        incident("d2", 1, IncidentType.ALERT, NEGEV, None, 3, evidence="<img src=x onerror=alert(1)>"),
    ])
    return store


def test_first_screen_offers_the_examples(home: Path) -> None:
    at = start()
    assert at.button(key="examples_go").label == "Load the example articles"
    at.button(key="examples_go").click().run()
    assert not at.exception
    stored = Store(home / STORE_FILE).documents()
    assert len(stored) == len(collect.example_documents())
    assert metric(at, "Incidents") > 0
    assert metric(at, "Strikes") > 0 and metric(at, "Alerts") > 0
    assert not [b for b in at.button if b.key == "examples_go"], "the welcome goes once there is data"


def test_paste_path(home: Path) -> None:
    at = start()
    at.selectbox(key="lang").set_value("en")
    at.date_input(key="published").set_value(dt.date(2024, 7, 1))
    at.text_input(key="source").input("Test desk")
    at.text_area(key="paste_text").input(
        "A missile strike on Dnipro killed three people on Sunday, the regional governor said.")
    at.button(key="paste_go").click().run()
    assert not at.exception
    [doc] = Store(home / STORE_FILE).documents()
    assert (doc.document.lang, doc.document.published, doc.document.source) == (
        "en", dt.date(2024, 7, 1), "Test desk")
    assert metric(at, "Strikes") >= 1
    assert [s.value for s in at.success]
    assert not at.warning, "dated: nothing to warn about"


def test_a_paste_without_publication_date_warns_that_relative_times_stay_undated(home: Path) -> None:
    at = start()
    at.text_area(key="paste_text").input("Sirens sounded in Lviv last night, the mayor said.")
    at.button(key="paste_go").click().run()
    assert not at.exception
    assert any("no publication date" in w.value for w in at.warning)


def test_countries_are_offered_by_name_and_counts_say_what_they_count(home: Path) -> None:
    fill(home)
    at = start()
    assert at.multiselect(key="f_countries").format_func("IL") == "Israel"  # type: ignore[union-attr]
    assert metric(at, "Places") == 3
    assert "one row per incident per place" in next(m.help for m in at.metric if m.label == "Places")


def test_paste_twice_adds_nothing(home: Path) -> None:
    at = start()
    at.text_area(key="paste_text").input("Air-raid sirens sounded in Lviv overnight.")
    at.button(key="paste_go").click().run()
    at.button(key="paste_go").click().run()
    assert len(Store(home / STORE_FILE).documents()) == 1
    assert any("Already in the store" in i.value for i in at.info)


def test_empty_paste_is_a_message(home: Path) -> None:
    at = start()
    at.button(key="paste_go").click().run()
    assert not at.exception
    assert any("empty" in e.value for e in at.error)


def test_upload_path_with_several_files(home: Path) -> None:
    at = start()
    at.file_uploader(key="uploads").set_value([
        ("a.txt", b"A drone strike hit Kharkiv on Monday, injuring four people.", "text/plain"),
        ("b.jsonl", json.dumps({"id": "j1", "text": "Sirens sounded in Odesa.", "lang": "en"}).encode()
         + b"\n{broken\n", "application/json"),
        ("c.csv", b"text\nShelling of Kherson killed one man.\n", "text/csv"),
    ]).run()
    at.button(key="upload_go").click().run()
    assert not at.exception
    ids = {d.document.id for d in Store(home / STORE_FILE).documents()}
    assert ids == {"a.txt", "j1", "c.csv:2"}
    assert any(r"b\.jsonl\:2" in e.value for e in at.error)  # shown as text: Markdown escaped


def test_an_upload_not_in_utf8_is_read_and_the_app_says_how(home: Path) -> None:
    text = "Une frappe de drone a touché la gare de Kharkiv à l'aube; trois blessés ont été évacués."
    at = start()
    at.file_uploader(key="uploads").set_value([("fr.txt", text.encode("cp1252"), "text/plain")]).run()
    at.button(key="upload_go").click().run()
    assert not at.exception
    [doc] = Store(home / STORE_FILE).documents()
    assert doc.document.text == text
    assert any(r"not UTF\-8; read as cp1252" in i.value for i in at.info)


def test_url_path_offline_gives_a_message(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INCIDENTS_ALLOW_PRIVATE_NETWORKS", "1")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    at = start()
    at.text_input(key="url").input(f"http://127.0.0.1:{port}/news").run()
    at.button(key="url_go").click().run()
    assert not at.exception
    assert any("offline" in e.value for e in at.error)
    assert Store(home / STORE_FILE).documents() == []


def test_feed_path_offline_gives_a_message(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INCIDENTS_ALLOW_PRIVATE_NETWORKS", "1")
    at = start()
    at.text_input(key="feed").input("http://127.0.0.1:9/rss").run()
    at.button(key="feed_go").click().run()
    assert not at.exception
    assert any("cannot connect" in e.value for e in at.error)


@pytest.mark.parametrize("key", ["url", "feed"])
def test_the_app_refuses_private_addresses_by_default(home: Path, key: str) -> None:
    at = start()
    at.text_input(key=key).input("http://169.254.169.254/latest/meta-data/").run()
    at.button(key=f"{key}_go").click().run()
    assert not at.exception
    assert [e.value for e in at.error] == [r"http\://169\.254\.169\.254/latest/meta\-data/\: "
                                           r"refused\: private address"]


PAYLOAD = "![x](http://127.0.0.1:9/p.png) `code` **bold**"


def test_ids_from_documents_are_shown_as_text_not_markdown(home: Path) -> None:
    line = json.dumps({"id": PAYLOAD, "text": "Sirens sounded in Odesa.", "lang": "en"}).encode()
    at = start()
    for _ in range(2):
        at.file_uploader(key="uploads").set_value([("p.jsonl", line, "application/json")]).run()
        at.button(key="upload_go").click().run()
    assert not at.exception
    [notice] = [i.value for i in at.info if "Already in the store" in i.value]
    assert r"\!\[x\]\(http\://127\.0\.0\.1\:9/p\.png\) \`code\` \*\*bold\*\*" in notice


def test_the_review_panel_shows_the_document_id_as_text(home: Path) -> None:
    store = Store(home / STORE_FILE)
    store.add_document(Document(PAYLOAD, "One."), [incident(PAYLOAD, 0, IncidentType.STRIKE, KYIV, 2, 1)])
    at = start()
    at.session_state["selected"] = f"{PAYLOAD}-0:t:kyiv"
    at.run()
    assert not at.exception
    shown = [m.value for m in at.markdown if "document" in m.value]
    assert shown and all("![" not in m and "](" not in m and "`" not in m.replace("\\`", "") for m in shown)


@pytest.fixture
def filled(home: Path) -> Iterator[Store]:
    yield fill(home)


def table_len(at: AppTest) -> int:
    return len(at.dataframe[0].value)


def test_the_server_warms_the_page_at_start() -> None:
    """`streamlit run` finds an ASGI app in the script: the server starts with a headless run of it."""
    from streamlit.web.server.app_discovery import discover_asgi_app

    assert discover_asgi_app(Path(APP)).import_string == "streamlit_app:app"


def test_counts_and_table_of_everything(filled: Store) -> None:
    at = start()
    assert [metric(at, k) for k in ("Incidents", "Strikes", "Alerts", "Killed", "Injured")] == [4, 2, 2, 7, 0]
    assert table_len(at) == 4


@pytest.mark.parametrize(
    ("widget", "value", "expected"),
    [
        ("f_types", ["alert"], 2),
        ("f_subtypes", ["missile"], 2),
        ("f_countries", ["IL"], 1),
        ("f_docs", ["d1"], 2),
        ("f_place", "dnip", 1),
        ("f_killed", 3, 1),
        ("f_dates", (dt.date(2024, 6, 2), dt.date(2024, 6, 3)), 2),
        ("f_conf", 0.8, 0),
    ],
)
def test_each_filter_changes_table_and_counts(filled: Store, widget: str, value: Any, expected: int) -> None:
    at = start()
    element: Any = at.get_by_key(widget)
    element.set_value(value).run()
    assert not at.exception
    assert metric(at, "Incidents") == expected
    assert table_len(at) == expected


def test_exports_follow_the_filters(filled: Store, downloads: dict[str, Callable[[], Any]]) -> None:
    at = start()
    assert ".csv" not in downloads, "no export files while their tab is closed"
    at.session_state["tab"] = "Export"
    at.multiselect(key="f_types").set_value(["strike"]).run()
    collection = json.loads(downloads[".geojson"]())
    assert {f["properties"]["type"] for f in collection["features"]} == {"strike"}
    assert len(collection["features"]) == 2
    rows = list(csv.DictReader(io.StringIO(downloads[".csv"]().decode("utf-8-sig"))))
    assert sorted(r["location"] for r in rows) == ["Dnipro", "Kyiv"]
    assert downloads[".gpkg"]()[:15] == b"SQLite format 3"


def test_review_corrects_and_deletes(filled: Store) -> None:
    at = start()
    at.session_state["selected"] = "d1-0:t:kyiv"
    at.run()
    assert at.get_by_key("review") is not None
    at.number_input[[n.label for n in at.number_input].index("Killed (empty: not reported)")].set_value(9)
    next(b for b in at.button if b.label == "Save correction").click().run()
    assert not at.exception
    fixed = {i.incident_id: i for i in filled.incidents()}["d1-0"]
    assert fixed.casualties.killed == 9
    assert "d1-0" in filled.reviewed_ids()
    at.session_state["selected"] = "d2-0:t:dnipro"
    at.run()
    at.button(key="delete_incident").click().run()
    assert "d2-0" in {i.incident_id for i in filled.incidents()}, "it asks first"
    at.button(key="delete_incident_cancel").click().run()
    at.button(key="delete_incident").click().run()
    at.button(key="delete_incident_yes").click().run()
    assert "d2-0" not in {i.incident_id for i in filled.incidents()}
    assert metric(at, "Incidents") == 3


def test_review_moves_an_incident_to_a_gazetteer_candidate(filled: Store) -> None:
    at = start()
    at.session_state["selected"] = "d2-0:t:dnipro"
    at.run()
    at.get_by_key("place_q:d2-0:t:dnipro").set_value("Kharkiv").run()  # type: ignore[union-attr]
    picker: Any = at.get_by_key("place_pick:d2-0:t:dnipro")
    assert len(picker.options) > 1, "the gazetteer offers candidates for the name"
    picker.set_value(1).run()
    next(b for b in at.button if b.label == "Save correction").click().run()
    assert not at.exception
    moved = {i.incident_id: i for i in filled.incidents()}["d2-0"]
    assert moved.places[0].place.name.startswith("Kharkiv")
    assert moved.places[0].place.id != DNIPRO.id and "d2-0" in filled.reviewed_ids()


def test_delete_document(filled: Store) -> None:
    at = start()
    at.session_state["tab"] = "Documents"
    at.run()
    at.selectbox(key="doc_pick").set_value("d2").run()
    at.button(key="doc_delete").click().run()
    assert len(filled.documents()) == 2, "it asks first"
    assert any("Delete Two." in w.value for w in at.warning)
    at.button(key="doc_delete_yes").click().run()
    assert [d.document.id for d in filled.documents()] == ["d1"]
    assert metric(at, "Incidents") == 2


def test_documents_show_titles_and_their_text_escaped_with_the_evidence_marked(filled: Store) -> None:
    at = start()
    assert at.multiselect(key="f_docs").format_func("d2") == "Two."  # type: ignore[union-attr]
    at.session_state["tab"] = "Documents"
    at.session_state["selected"] = "d2-1:t:negev"
    at.run()
    assert not at.exception
    # The documents, not the script that scrolls the table to the selected row.
    shown = [h.proto.body for h in at.get("html") if "document-text" in h.proto.body]
    assert len(shown) == 2, "the Review tab and the Documents tab"
    assert all("<div class=\"document-text\">Two.</div>" in body for body in shown)


def test_days_are_stepped_one_by_one_and_all_days_come_back(filled: Store) -> None:
    at = start()
    at.button(key="day_next").click().run()
    assert at.session_state["f_dates"] == (dt.date(2024, 6, 1), dt.date(2024, 6, 1))
    assert metric(at, "Incidents") == 2
    at.button(key="day_next").click().run()
    assert metric(at, "Incidents") == 1 and any("day 2 of 3" in m.value for m in at.markdown)
    at.button(key="day_prev").click().run()
    assert metric(at, "Incidents") == 2
    at.button(key="day_all").click().run()
    assert metric(at, "Incidents") == 4


def test_selection_follows_the_filters(filled: Store) -> None:
    at = start()
    at.session_state["selected"] = "d2-0:t:dnipro"
    at.run()
    assert any("at **Dnipro**" in m.value for m in at.markdown)
    at.multiselect(key="f_types").set_value(["strike"]).run()
    assert any("at **Dnipro**" in m.value for m in at.markdown), "still shown: still selected"
    at.multiselect(key="f_types").set_value(["alert"]).run()
    assert not any("at **Dnipro**" in m.value for m in at.markdown)
    assert any("Click a marker or a table row" in c.value for c in at.caption)


def test_review_splits_a_report_from_its_event_and_merges_events(home: Path) -> None:
    store = Store(home / STORE_FILE)
    for n in range(2):  # two outlets on the same Kyiv strike
        store.add_document(Document(f"e{n}", f"Outlet {n}.", "en", dt.date(2024, 6, 1)),
                           [incident(f"e{n}", 0, IncidentType.STRIKE, KYIV, 2 + n, 1)])
    at = start()
    assert metric(at, "Events") == 1 and metric(at, "Killed") == 3
    at.session_state["selected"] = "e1-0:t:kyiv"
    at.run()
    at.button(key="event_split").click().run()
    assert not at.exception
    ids = store.event_ids()
    assert ids["e0-0"] != ids["e1-0"] and metric(at, "Events") == 2
    at.session_state["selected"] = "e1-0:t:kyiv"
    at.run()
    at.text_input(key="event_merge_id").input(ids["e0-0"]).run()
    at.button(key="event_merge").click().run()
    assert not at.exception
    assert len(set(store.event_ids().values())) == 1 and metric(at, "Events") == 1
