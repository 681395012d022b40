"""Collecting documents: paste, uploads, URL and feed (served locally), examples, and the import loop."""

from __future__ import annotations

import datetime as dt
import http.server
import json
import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from gazetteer.fetch import FetchPolicy
from incidents.errors import CollectError, IncidentsError, InputError
from incidents.ingest import collect
from incidents.records import Document, Incident
from incidents.store import Store

DEFAULTS = collect.Defaults(lang="en", published=dt.date(2024, 2, 2), source="desk")

ARTICLE = b"""<!doctype html><html><head><title>Port hit</title>
<meta property="article:published_time" content="2024-02-03T08:00:00Z"></head>
<body><nav>Home | World</nav><article><h1>Port hit</h1>
<p>A missile struck the port of Mykolaiv early on Saturday, the regional governor said in a statement.</p>
<p>Two dock workers were injured and taken to hospital, where doctors described their condition as stable.</p>
<p>Air-raid sirens had sounded across the region for about forty minutes before the impact was heard.</p>
</article><footer>Contact us</footer></body></html>"""

RSS = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>Desk</title><language>en-gb</language>
<item><title>Sirens in Kherson</title><link>https://news.example/1</link>
<description>&lt;p&gt;Air-raid sirens sounded in Kherson on Monday.&lt;/p&gt;</description>
<pubDate>Mon, 05 Feb 2024 10:00:00 GMT</pubDate></item>
<item><title>Drone downed</title><link>https://news.example/2</link>
<description>Plain text body.</description></item>
</channel></rss>"""

ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Atom desk</title>
<entry><title>Shelling</title><id>urn:x:1</id><updated>2024-03-09T12:00:00Z</updated>
<content type="html">&lt;p&gt;Shelling hit a market.&lt;/p&gt;</content></entry></feed>"""

LOCAL = FetchPolicy(allow_private=True)
"""The stand-in listens on 127.0.0.1: only the allow-private setting reaches it."""


PAGES = {"/article": (200, "text/html", ARTICLE), "/feed": (200, "application/rss+xml", RSS)}


class _Handler(http.server.BaseHTTPRequestHandler):

    def do_GET(self) -> None:
        status, kind, body = PAGES.get(self.path, (404, "text/plain", b"not here"))
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        """Keep the test output quiet."""


@pytest.fixture
def server() -> Iterator[str]:
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_pasted_document_id_follows_the_text() -> None:
    one = collect.pasted_document("Sirens in Lviv.", defaults=DEFAULTS)
    assert one.id == collect.pasted_document("  Sirens in Lviv.\n").id
    assert one.id != collect.pasted_document("Sirens in Lutsk.").id
    assert (one.lang, one.published, one.source) == ("en", dt.date(2024, 2, 2), "desk")
    with pytest.raises(InputError, match="empty"):
        collect.pasted_document("  \n")


def test_upload_text_and_html() -> None:
    [txt] = collect.upload_documents("a.txt", b"Beschietingen in Cherson.", defaults=DEFAULTS)
    assert isinstance(txt, Document) and txt.id == "a.txt" and txt.text == "Beschietingen in Cherson."
    [page] = collect.upload_documents("b.html", ARTICLE)
    assert isinstance(page, Document)
    assert "Mykolaiv" in page.text and "<p>" not in page.text and page.source == "b.html"


def test_upload_jsonl_keeps_good_lines_and_names_bad_ones() -> None:
    data = "\n".join([
        json.dumps({"id": "x1", "text": "Alarm in Dnipro.", "lang": "nl"}),
        "{not json",
        "",
        json.dumps({"id": "x2", "text": "Strike in Sumy.", "published": "2024-01-09", "source": "wire"}),
    ]).encode()
    items = collect.upload_documents("batch.jsonl", data, defaults=DEFAULTS)
    good = [i for i in items if isinstance(i, Document)]
    bad = [i for i in items if isinstance(i, InputError)]
    assert [d.id for d in good] == ["x1", "x2"]
    assert (good[0].lang, good[0].source, good[1].published, good[1].source) == (
        "nl", "desk", dt.date(2024, 1, 9), "wire")
    assert len(bad) == 1 and "batch.jsonl:2" in str(bad[0])


def test_upload_csv_with_a_text_column() -> None:
    data = (b"id,Title,Text,published,url\n"
            b"r1,Night attack,Drones hit Odesa.,2024-04-01,https://x.example/r1\n"
            b"r2,,,2024-04-02,\n"
            b",No id,Sirens in Izmail.,bad-date,\n"
            b",No id,Sirens in Reni.,,\n")
    items = collect.upload_documents("feed.csv", data, defaults=DEFAULTS)
    assert isinstance(items[0], Document)
    assert (items[0].id, items[0].text, items[0].published, items[0].source) == (
        "r1", "Night attack\n\nDrones hit Odesa.", dt.date(2024, 4, 1), "https://x.example/r1")
    assert isinstance(items[1], InputError) and "feed.csv:3: empty text" in str(items[1])
    assert isinstance(items[2], InputError) and "bad-date" in str(items[2])
    assert isinstance(items[3], Document)
    assert (items[3].id, items[3].published, items[3].source) == ("feed.csv:5", DEFAULTS.published, "desk")


def test_csv_without_text_column_is_named() -> None:
    [err] = collect.upload_documents("x.csv", b"id,title\n1,a\n")
    assert isinstance(err, InputError) and "x.csv: no text column" in str(err)


def test_binary_upload_is_an_error() -> None:
    [err] = collect.upload_documents("photo.txt", b"\x89PNG\r\n\x1a\n\x00\x00")
    assert isinstance(err, InputError) and "photo.txt" in str(err)


def test_fetch_article_from_a_local_server(server: str) -> None:
    doc = collect.fetch_article(f"{server}/article", defaults=collect.Defaults(lang="en"), policy=LOCAL)
    assert doc.id == doc.source == f"{server}/article"
    assert "Two dock workers were injured" in doc.text and "Contact us" not in doc.text
    assert doc.published == dt.date(2024, 2, 3)


def test_offline_url_gives_a_clear_message() -> None:
    with pytest.raises(CollectError, match="offline") as caught:
        collect.fetch_article(f"http://127.0.0.1:{closed_port()}/x", timeout=5, policy=LOCAL)
    assert "Traceback" not in str(caught.value)
    assert isinstance(caught.value, IncidentsError)


def test_http_error_is_named(server: str) -> None:
    with pytest.raises(CollectError, match="HTTP 404"):
        collect.fetch_article(f"{server}/missing", policy=LOCAL)


def test_a_local_server_is_refused_by_default_and_its_answer_untold(server: str) -> None:
    for url in (f"{server}/article", f"{server}/feed"):
        with pytest.raises(CollectError, match=r"refused: private address$"):
            collect.fetch_article(url)
        with pytest.raises(CollectError, match=r"refused: private address$"):
            collect.fetch_feed(url)


def test_not_a_web_address() -> None:
    with pytest.raises(CollectError, match="http://"):
        collect.fetch_feed("file:///etc/passwd")


def test_fetch_rss_feed(server: str) -> None:
    docs = collect.fetch_feed(f"{server}/feed", policy=LOCAL)
    assert [d.id for d in docs] == ["https://news.example/1", "https://news.example/2"]
    assert docs[0].text == "Sirens in Kherson\n\nAir-raid sirens sounded in Kherson on Monday."
    assert (docs[0].published, docs[0].lang, docs[0].source) == (dt.date(2024, 2, 5), "en", "https://news.example/1")
    assert docs[1].published is None


def test_atom_feed_and_defaults() -> None:
    [doc] = collect.feed_documents(ATOM, name="atom.xml", defaults=DEFAULTS)
    assert (doc.id, doc.published, doc.lang, doc.source) == ("urn:x:1", dt.date(2024, 3, 9), "en", "desk")
    assert doc.text == "Shelling\n\nShelling hit a market."


def test_not_a_feed() -> None:
    with pytest.raises(CollectError, match="not an RSS or Atom feed"):
        collect.feed_documents(b"<html><body>hello</body></html>", name="page")


def test_examples_are_labelled_and_bilingual() -> None:
    docs = collect.example_documents()
    assert {d.lang for d in docs} >= {"nl", "en"}
    assert len({d.id for d in docs}) == len(docs) >= 4
    for doc in docs:
        assert doc.source and "example" in doc.source.lower()
        assert doc.published is not None and doc.text.strip()


def fake_extract(doc: Document) -> list[Incident]:
    if "boom" in doc.text:
        raise IncidentsError(f"{doc.id}: cannot read")
    return []


def test_ingest_reports_added_duplicates_and_failures(tmp_path: Path) -> None:
    store = Store(tmp_path / "s.sqlite3")
    progress: list[int] = []
    items: list[Document | InputError] = [
        Document("a", "First."), Document("b", "First."), InputError("c.txt: empty text"),
        Document("d", "boom"), Document("e", "Second."),
    ]
    report = collect.ingest(store, items, fake_extract, on_progress=lambda done, _: progress.append(done))
    assert report.added == ("a", "e")
    assert report.duplicates == ("b",)
    assert report.failed == ("c.txt: empty text", "d: d: cannot read")
    assert progress == [1, 2, 3, 4, 5]
    assert [d.document.id for d in store.documents()] == ["a", "e"]


def test_crash_mid_import_keeps_what_was_saved(tmp_path: Path) -> None:
    store = Store(tmp_path / "s.sqlite3")

    def crash(doc: Document) -> list[Incident]:
        if doc.id == "c":
            raise RuntimeError("power cut")
        return []

    docs: list[Document | InputError] = [Document(i, f"Text {i}.") for i in ("a", "b", "c")]
    with pytest.raises(RuntimeError):
        collect.ingest(store, docs, crash)
    assert [d.document.id for d in Store(store.path).documents()] == ["a", "b"]
