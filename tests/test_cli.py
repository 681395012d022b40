"""The command line: the contract's commands, output shapes, and one-line errors naming the input."""

from __future__ import annotations

import json
import select
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from incidents.cli import build_parser, corpus_paths, main
from incidents.errors import InputError
from tests.paths import FIXTURES

STRIKE_NL = "Vannacht is bij een raketaanval op Odesa een persoon gedood, meldt de gouverneur.\n"


def run_cli(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "incidents", *args], input=stdin, capture_output=True, timeout=300, check=False
    )


def test_parser_knows_the_contract_flags() -> None:
    args = build_parser().parse_args(
        ["extract", "a.txt", "b.txt", "--jsonl", "--lang", "auto", "--published", "2021-05-20", "-o", "x"]
    )
    assert args.inputs == ["a.txt", "b.txt"]
    assert args.jsonl and args.lang is None and args.output == "x"
    assert str(args.published) == "2021-05-20"


def test_bad_published_date_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["extract", "--published", "20-05-2021", "x.txt"])
    assert info.value.code == 2
    assert "invalid date '20-05-2021'" in capsys.readouterr().err


def test_corpus_name_that_does_not_exist_names_the_path(tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INCIDENTS_BENCHMARKS", str(tmp_path))
    with pytest.raises(InputError, match=r"nocorpus\.docs\.jsonl: no such corpus file"):
        corpus_paths("nocorpus")


@pytest.mark.slow
def test_extract_file_gives_feature_collection(tmp_path: Path) -> None:
    path = tmp_path / "odesa.txt"
    path.write_text(STRIKE_NL, encoding="utf-8")
    out = tmp_path / "out.geojson"
    result = run_cli("extract", "--lang", "nl", "--published", "2024-02-03", str(path), "-o", str(out))
    assert result.returncode == 0, result.stderr.decode()
    collection: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    assert collection["type"] == "FeatureCollection"
    [feature] = collection["features"]
    assert feature["properties"]["doc_id"] == "odesa.txt"
    assert feature["properties"]["type"] == "strike"
    assert feature["properties"]["country_code"] == "UA"
    lon, lat = feature["geometry"]["coordinates"]
    assert 30 < lon < 31.5 and 46 < lat < 47


@pytest.mark.slow
def test_bad_inputs_give_one_line_each_and_good_ones_still_processed(tmp_path: Path) -> None:
    good = tmp_path / "good.txt"
    good.write_text(STRIKE_NL, encoding="utf-8")
    binary = tmp_path / "photo.jpg"
    binary.write_bytes(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01" + bytes(200))
    empty = tmp_path / "empty.txt"
    empty.write_text("\n  \n", encoding="utf-8")
    missing = tmp_path / "missing.txt"
    result = run_cli("extract", "--lang", "nl", str(missing), str(binary), str(empty), str(good))
    assert result.returncode == 1
    lines = result.stderr.decode().strip().splitlines()
    assert len(lines) == 3
    assert str(missing) in lines[0] and "no such file" in lines[0]
    assert str(binary) in lines[1] and "binary" in lines[1]
    assert str(empty) in lines[2] and "empty text" in lines[2]
    features = json.loads(result.stdout)["features"]
    assert {f["properties"]["doc_id"] for f in features} == {"good.txt"}


@pytest.mark.slow
def test_jsonl_bad_line_reported_with_number_others_processed() -> None:
    lines = [
        json.dumps({"id": "d1", "text": STRIKE_NL, "lang": "nl", "published": "2024-02-03"}),
        "{this is not json",
        json.dumps({"id": "d3", "text": "Sirens sounded in Haifa last night.", "lang": "en"}),
    ]
    result = run_cli("extract", "--jsonl", stdin=("\n".join(lines) + "\n").encode())
    assert result.returncode == 1
    err = result.stderr.decode().strip()
    assert err.count("\n") == 0 and "<stdin>:2" in err and "invalid JSON" in err
    ids = {f["properties"]["doc_id"] for f in json.loads(result.stdout)["features"]}
    assert ids == {"d1", "d3"}


@pytest.mark.slow
def test_geoparse_gives_one_json_line_per_document_with_offsets() -> None:
    text = "Explosions were reported in Kharkiv and near Tripoli, Lebanon."
    result = run_cli("geoparse", "--lang", "en", stdin=text.encode())
    assert result.returncode == 0, result.stderr.decode()
    [line] = result.stdout.decode().splitlines()
    record = json.loads(line)
    assert record["id"] == "stdin"
    by_text = {t["text"]: t for t in record["toponyms"]}
    for toponym in record["toponyms"]:
        assert text[toponym["start"]:toponym["end"]] == toponym["text"]
        assert set(toponym) == {"start", "end", "text", "name", "lat", "lon", "place_id", "country_code",
                                "feature_code", "kind"}
    assert by_text["Kharkiv"]["country_code"] == "UA"
    assert by_text["Tripoli"]["country_code"] == "LB"


def test_version_comes_from_package_metadata(capsys: pytest.CaptureFixture[str]) -> None:
    from importlib.metadata import version

    with pytest.raises(SystemExit):
        main(["--version"])
    assert capsys.readouterr().out.strip() == f"incidents {version('incidents')}"


@pytest.mark.slow
def test_store_add_list_export_delete(tmp_path: Path) -> None:
    db = str(tmp_path / "store.sqlite3")
    doc = tmp_path / "odesa.txt"
    doc.write_text(STRIKE_NL, encoding="utf-8")
    first = run_cli("store", "--store", db, "add", "--lang", "nl", "--published", "2024-02-03", str(doc))
    assert first.returncode == 0, first.stderr.decode()
    assert "added 1 document(s) with 1 incident(s)" in first.stderr.decode()
    again = run_cli("store", "--store", db, "add", "--lang", "nl", str(doc))
    assert "0 document(s)" in again.stderr.decode() and "1 already stored" in again.stderr.decode()
    [listed] = [json.loads(line) for line in run_cli("store", "--store", db, "list").stdout.splitlines()]
    assert listed["id"] == "odesa.txt" and listed["incidents"] == 1
    exported = json.loads(run_cli("store", "--store", db, "export").stdout)
    assert [f["properties"]["place_name"] for f in exported["features"]] == ["Odesa"]
    csv_out = run_cli("store", "--store", db, "export", "--format", "csv").stdout.decode("utf-8-sig")
    assert csv_out.splitlines()[0].startswith(
        "event_id_cnty,event_date,year,time_precision,event_type,sub_event_type,country,admin1,location")
    assert run_cli("store", "--store", db, "delete", "odesa.txt").returncode == 0
    assert json.loads(run_cli("store", "--store", db, "export").stdout)["features"] == []
    missing = run_cli("store", "--store", db, "delete", "odesa.txt")
    assert missing.returncode == 1 and "no such document" in missing.stderr.decode()


@pytest.mark.slow
def test_geoparse_online_asks_the_configured_server_for_unknown_names(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    asked: list[str] = []

    class Answer(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            asked.append(self.path)
            body = json.dumps([{"osm_type": "node", "osm_id": 7, "lat": "50.1", "lon": "30.2",
                                "name": "Zzyzxville", "display_name": "Zzyzxville, Ukraine",
                                "addresstype": "village",
                                "address": {"country_code": "ua"}}]).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            """Quiet."""

    server = ThreadingHTTPServer(("127.0.0.1", 0), Answer)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    from gazetteer.settings import default_index_dir

    home = tmp_path / "home"
    home.mkdir()
    (home / "gazetteer").symlink_to(default_index_dir().resolve(), target_is_directory=True)
    monkeypatch.setenv("INCIDENTS_HOME", str(home))
    monkeypatch.setenv("INCIDENTS_NOMINATIM_URL", f"http://127.0.0.1:{server.server_address[1]}")
    monkeypatch.setenv("INCIDENTS_ALLOW_PRIVATE_NETWORKS", "1")
    doc = tmp_path / "doc.txt"
    doc.write_text("Shelling was reported in Zzyzxville overnight.", encoding="utf-8")
    try:
        assert main(["geoparse", "--lang", "en", "--online", str(doc)]) == 0
    finally:
        server.shutdown()
        server.server_close()
    record = json.loads(capsys.readouterr().out)
    assert [(t["text"], t["place_id"], t["country_code"]) for t in record["toponyms"]] == [
        ("Zzyzxville", "osm:node/7", "UA")
    ]
    assert len(asked) == 1
    assert [p.name for p in home.iterdir() if p.suffix == ".sqlite"], "the answer is cached beside the index"


def _jsonl(path: Path, *records: dict[str, Any] | str) -> Path:
    path.write_text("".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in records),
                    encoding="utf-8")
    return path


STRIKE_EN = {"id": "good", "text": "A missile strike on Dnipro killed three people on Sunday.", "lang": "en",
             "published": "2024-07-01"}


def test_output_to_a_fifo_is_written_into_it_and_it_stays_a_fifo(tmp_path: Path) -> None:
    import os
    import stat
    import threading

    docs = _jsonl(tmp_path / "docs.jsonl", STRIKE_EN)
    fifo = tmp_path / "out.fifo"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()), daemon=True)
    reader.start()
    assert main(["extract", "--jsonl", str(docs), "-o", str(fifo)]) == 0
    reader.join(timeout=30)
    assert stat.S_ISFIFO(fifo.stat().st_mode)
    assert json.loads(received[0])["features"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["docs.jsonl", "out.fifo"]


def test_a_regular_output_file_is_replaced_whole(tmp_path: Path) -> None:
    docs = _jsonl(tmp_path / "docs.jsonl", STRIKE_EN)
    out = tmp_path / "out.geojson"
    out.write_text("old", encoding="utf-8")
    assert main(["extract", "--jsonl", str(docs), "-o", str(out)]) == 0
    assert json.loads(out.read_text(encoding="utf-8"))["features"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["docs.jsonl", "out.geojson"]


def test_a_runaway_document_is_one_error_line_and_the_batch_goes_on(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    import time

    from incidents.extract import pipeline

    real = pipeline.extract_document

    def slow_for_one(doc: Any, **kwargs: Any) -> Any:
        if doc.id == "slow":
            time.sleep(30)
        return real(doc, **kwargs)

    monkeypatch.setattr(pipeline, "extract_document", slow_for_one)
    docs = _jsonl(tmp_path / "docs.jsonl", {**STRIKE_EN, "id": "slow"}, STRIKE_EN)
    started = time.monotonic()
    assert main(["extract", "--jsonl", str(docs), "--time-limit", "0.5"]) == 1
    assert time.monotonic() - started < 20
    out, err = capsys.readouterr()
    assert err == "incidents: slow: gave up after 0.5 s (raise --time-limit to read documents this long)\n"
    assert {f["properties"]["doc_id"] for f in json.loads(out)["features"]} == {"good"}


def test_geojson_text_sequences(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    docs = _jsonl(tmp_path / "docs.jsonl", STRIKE_EN, {**STRIKE_EN, "id": "second"})
    assert main(["extract", "--jsonl", str(docs), "--format", "geojsonseq"]) == 0
    records = capsys.readouterr().out.split("\x1e")
    assert records[0] == "" and all(r.endswith("\n") for r in records[1:])
    assert [json.loads(r)["properties"]["doc_id"] for r in records[1:]] == ["good", "second"]


def test_a_document_from_a_pipe_is_written_before_the_next_one_comes() -> None:
    # A scheduled job pipes documents in as they are collected: with one job nothing is read ahead,
    # so each document's Features go out while the pipe stays open.
    command = [sys.executable, "-m", "incidents", "extract", "--jsonl", "-", "--format", "geojsonseq",
               "--jobs", "1"]
    with subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                          stderr=subprocess.DEVNULL) as process:
        assert process.stdin is not None and process.stdout is not None
        process.stdin.write((json.dumps(STRIKE_EN) + "\n").encode("utf-8"))
        process.stdin.flush()
        ready, _, _ = select.select([process.stdout], [], [], 120)
        first = process.stdout.readline() if ready else b""
        process.stdin.close()
        process.stdout.read()
    assert ready, "no Feature while the pipe is open"
    assert json.loads(first.decode("utf-8").lstrip("\x1e"))["type"] == "Feature"
    assert process.returncode == 0


def test_a_lone_surrogate_loses_no_document(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = '{"id": "bad\\ud800", "text": "Shelling in Kharkiv killed two people.\\udc00", "lang": "en", ' \
          '"source": "\\ud800"}'
    docs = _jsonl(tmp_path / "docs.jsonl", bad, STRIKE_EN)
    assert main(["extract", "--jsonl", str(docs)]) == 0
    features = json.loads(capsys.readouterr().out)["features"]
    assert {f["properties"]["doc_id"] for f in features} == {"bad\ufffd", "good"}


@pytest.mark.parametrize("published", ["0001-01-01", "9999-12-31"])
def test_the_ends_of_the_calendar_do_not_crash(tmp_path: Path, published: str,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    text = ("Yesterday a drone struck Odesa. On Sunday shelling hit Kherson. "
            "Tomorrow sirens will sound in Lviv.")
    docs = _jsonl(tmp_path / "docs.jsonl", {"id": "x", "lang": "en", "published": published, "text": text})
    assert main(["extract", "--jsonl", str(docs), "--published", published]) == 0
    for feature in json.loads(capsys.readouterr().out)["features"]:
        assert feature["properties"]["date"] is None or feature["properties"]["date"] <= published


FEED = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>
<item><title>Shelling in Kherson</title><link>https://news.example/1</link><guid>https://news.example/1</guid>
<description>Shelling in Kherson killed two people on Monday.</description></item></channel></rss>"""
PAGE = (b"<html><head><title>Strike</title></head><body><article><p>A missile struck Dnipro on Sunday and "
        b"killed three people, the regional governor said in a statement on Telegram.</p></article>"
        b"</body></html>")


@pytest.fixture
def news_server() -> Any:
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    class Serve(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = FEED if self.path == "/feed" else PAGE
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            """Quiet."""

    server = ThreadingHTTPServer(("127.0.0.1", 0), Serve)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_store_add_fetches_urls_and_feeds(tmp_path: Path, news_server: str, monkeypatch: pytest.MonkeyPatch,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("INCIDENTS_ALLOW_PRIVATE_NETWORKS", "1")
    db = str(tmp_path / "store.sqlite3")
    code = main(["store", "--store", db, "add", "--lang", "en", "--url", f"{news_server}/page",
                 "--feed", f"{news_server}/feed", "--url", "ftp://127.0.0.1/x"])
    err = capsys.readouterr().err.splitlines()
    assert code == 1
    assert err[0] == "incidents: 'ftp://127.0.0.1/x': not a web address (it must start with http:// or https://)"
    assert err[1].startswith("added 2 document(s)")
    assert main(["store", "--store", db, "list"]) == 0
    ids = {json.loads(line)["id"] for line in capsys.readouterr().out.splitlines()}
    assert ids == {f"{news_server}/page", "https://news.example/1"}


def test_store_add_refuses_private_addresses_by_default(tmp_path: Path, news_server: str,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    db = str(tmp_path / "store.sqlite3")
    code = main(["store", "--store", db, "add", "--url", f"{news_server}/page",
                 "--feed", f"{news_server}/feed"])
    err = capsys.readouterr().err.splitlines()
    assert code == 1
    assert err == [f"incidents: {news_server}/page: refused: private address",
                   f"incidents: {news_server}/feed: refused: private address",
                   "added 0 document(s) with 0 incident(s); 0 already stored; 2 failed"]


@pytest.mark.slow
def test_extract_jsonl_gives_reports_of_one_event_one_event_id(tmp_path: Path) -> None:
    # Our own reports (tests/fixtures/events.jsonl): a toll that grows, a live blog repeating it, one city
    # struck on two days, a district and its city, a drone and a missile on the same night.
    docs = FIXTURES / "events.jsonl"
    result = run_cli("extract", "--jsonl", str(docs))
    assert result.returncode == 0, result.stderr.decode()
    event: dict[str, str] = {}
    for feature in json.loads(result.stdout)["features"]:
        props = feature["properties"]
        event.setdefault(props["doc_id"] + ":" + props["place_name"], props["event_id"])
    assert event["toll-1:Kharkiv"] == event["toll-2:Kharkiv"] == event["blog:Kharkiv"]
    assert event["dnipro-mon:Dnipro"] != event["dnipro-thu:Dnipro"]
    # The district report is placed at the district (part of Kyiv): the same event as the city's.
    assert {v for k, v in event.items() if k.startswith("district:")} == {event["city:Kyiv"]}
    assert event["night-drone:Odesa"] == event["night-both:Odesa"] != event["night-missile:Odesa"]
    db = str(tmp_path / "store.sqlite3")
    assert run_cli("store", "--store", db, "add", "--jsonl", str(docs)).returncode == 0
    exported = json.loads(run_cli("store", "--store", db, "export", "--events").stdout)
    [kharkiv] = [f["properties"] for f in exported["features"] if f["properties"]["place_name"] == "Kharkiv"]
    assert kharkiv["report_count"] == 3
    assert kharkiv["sources"] == ["Outlet One", "Outlet Two", "Live Blog"]
    assert (kharkiv["killed_low"], kharkiv["killed_best"], kharkiv["killed_high"]) == (4, 11, 11)
    assert (kharkiv["first_reported"], kharkiv["last_reported"]) == ("2024-05-10", "2024-05-11")


def _own_corpus(path: Path, count: int) -> Path:
    """Write ``count`` documents of our own sentences, in five languages, with one bad line among them."""
    sentences = [
        ("en", "A drone strike on Kharkiv killed {n} people on Monday, the governor said."),
        ("nl", "Bij een raketaanval op Odesa zijn {n} mensen gedood."),
        ("de", "Bei einem Angriff auf Saporischschja wurden {n} Menschen verletzt."),
        ("fr", "Une frappe de drone sur Soumy a fait {n} morts dimanche."),
        ("uk", "Унаслідок удару по Дніпру загинули {n} людей."),
    ]
    records: list[dict[str, Any] | str] = []
    for i in range(count):
        lang, sentence = sentences[i % len(sentences)]
        records.append({"id": f"own-{i}", "lang": lang, "published": "2024-03-04",
                        "text": sentence.format(n=i % 9 + 2) + " Air raid sirens sounded for hours."})
    records.insert(count // 2, "{not json")
    return _jsonl(path, *records)


@pytest.mark.parametrize("command", [["extract"], ["extract", "--format", "geojsonseq"], ["geoparse"]])
def test_jobs_give_the_same_bytes_as_one_process(tmp_path: Path, command: list[str]) -> None:
    docs = _own_corpus(tmp_path / "docs.jsonl", 40)
    outputs = []
    for jobs in ("1", "2"):
        out = tmp_path / f"out-{jobs}"
        result = run_cli(*command, "--jsonl", str(docs), "--jobs", jobs, "-o", str(out))
        assert result.returncode == 1, result.stderr.decode()
        assert result.stderr.decode().count("invalid JSON") == 1
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1]
    assert outputs[0].count(b"own-39") >= 1


def test_store_add_with_jobs_stores_what_one_process_does(tmp_path: Path) -> None:
    docs = _own_corpus(tmp_path / "docs.jsonl", 30)
    exports = []
    for jobs in ("1", "2"):
        db = str(tmp_path / f"store-{jobs}.sqlite3")
        result = run_cli("store", "--store", db, "add", "--jsonl", str(docs), "--jobs", jobs)
        assert "added 30 document(s)" in result.stderr.decode() and "1 failed" in result.stderr.decode()
        exports.append(run_cli("store", "--store", db, "export", "--format", "csv").stdout)
    assert exports[0] == exports[1]


def test_jobs_must_be_a_positive_number(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        build_parser().parse_args(["extract", "--jobs", "0"])
    assert "at least 1" in capsys.readouterr().err
