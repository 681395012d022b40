"""The command line: the contract's commands, output shapes, and one-line errors naming the input."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from incidents.cli import build_parser, corpus_paths, main
from incidents.errors import InputError

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
    assert csv_out.splitlines()[0].startswith("event_date,event_type,sub_event_type,country,admin1,location")
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
