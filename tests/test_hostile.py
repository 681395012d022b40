"""Hostile input, generated here at test time: every bad input is one error line, every good one is written.

The files cover what a careless user or an attacker hands the tool: empty, huge, NUL bytes, bad
UTF-8, UTF-16, lone surrogates, zero-width and bidirectional characters, deeply nested HTML, formula
cells, Markdown and HTML payloads in every field, extreme dates and numbers. A property test sends
any Unicode (surrogates included) through the JSON Lines path.
"""

from __future__ import annotations

import csv
import functools
import io
import json
from importlib.resources import files
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from incidents.cli import main
from incidents.errors import InputError
from incidents.export.geojson import to_features
from incidents.ingest.inputs import read_jsonl
from incidents.records import Document

SCHEMA = json.loads(files("incidents").joinpath("data/incidents.schema.json").read_text(encoding="utf-8"))
GOOD = {"id": "good", "lang": "en", "published": "2024-07-01", "source": "desk",
        "text": "A missile strike on Dnipro killed three people on Sunday, the governor said."}
PAYLOADS = ["![x](http://127.0.0.1:9/p.png)", "<img src=x onerror=alert(1)>", "=HYPERLINK(\"x\",\"y\")",
            "+1", "-1", "@SUM(A1)", "\u202eevil\u202c", "zero\u200bwidth\u2060", "**bold** `code`"]


def _hostile_lines() -> list[str]:
    lines = [json.dumps(GOOD)]
    for payload in PAYLOADS:  # a payload in every field, with news text around it
        lines.append(json.dumps({"id": payload, "source": payload, "lang": "en", "published": "2024-07-01",
                                 "text": f"{payload} Shelling in Kharkiv killed two people. {payload}"}))
    lines += [
        '{"id": "surrogate\\ud800", "text": "Sirens in Odesa.\\udfff", "source": "\\ud800"}',
        '{"id": "nul", "text": "Sirens\\u0000 in Odesa.", "lang": "en"}',
        json.dumps({"id": "past", "text": "Yesterday a drone struck Lviv.", "published": "0001-01-01"}),
        json.dumps({"id": "future", "text": "On 9999-12-31 a drone struck Lviv.", "published": "9999-12-31"}),
        json.dumps({"id": "big", "lang": "en", "text": "A missile strike on Kherson killed nine hundred "
                    "ninety nine billion people and injured 99999999999."}),
        json.dumps({"text": 123}), json.dumps({"text": ""}), json.dumps([1, 2]), "{broken", "null",
        json.dumps({"text": "x", "published": "2024-13-45"}), json.dumps({"text": "x", "lang": 7}),
    ]
    return lines


def _hostile_files(folder: Path) -> list[Path]:
    made = {
        "empty.txt": b"",
        "blank.txt": b"  \n\t\n",
        "nul.txt": b"Sirens in Odesa. " * 600 + b"\0 after eight kilobytes",
        "bad-utf8.txt": b"Sirens in Odesa \xff\xfe\xfa",
        "utf16.txt": "Sirens sounded in Odesa overnight.".encode("utf-16"),
        "binary.txt": bytes(range(256)) * 4,
        "deep.html": b"<html><body>" + b"<div>" * 5000 + b"Sirens sounded in Odesa." + b"</div>" * 5000
                     + b"</body></html>",
        "bidi.txt": "Sirens \u202ein Odesa\u202c \u200b\u200d\ufeff overnight.".encode(),
        "good.txt": GOOD["text"].encode(),
    }
    paths = []
    for name, data in made.items():
        path = folder / name
        path.write_bytes(data)
        paths.append(path)
    huge = folder / "huge.txt"
    with huge.open("wb") as handle:
        handle.truncate(25_000_000)  # sparse: over the limit, costs no disk
    paths.append(huge)
    return paths


def _error_lines(err: str) -> list[str]:
    lines = err.splitlines()
    assert all(line.startswith("incidents: ") and "Traceback" not in line for line in lines), err
    return lines


def test_a_hostile_jsonl_batch_keeps_every_good_record(tmp_path: Path,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    docs = tmp_path / "hostile.jsonl"
    docs.write_text("\n".join(_hostile_lines()) + "\n", encoding="utf-8")
    assert main(["extract", "--jsonl", str(docs)]) == 1
    out, err = capsys.readouterr()
    collection = json.loads(out)
    jsonschema.validate(collection, SCHEMA)
    ids = {f["properties"]["doc_id"] for f in collection["features"]}
    assert {"good", "big", *PAYLOADS} <= ids
    assert len(_error_lines(err)) == 7  # the seven bad records, one line each
    for feature in collection["features"]:
        props = feature["properties"]
        assert props["killed"] is None or props["killed"] <= 10_000_000
        assert props["injured"] is None or props["injured"] <= 10_000_000
        if props["doc_id"] in ("past", "future") and props["date"] is not None:
            assert props["date"] <= {"past": "0001-01-01", "future": "9999-12-31"}[props["doc_id"]]


def test_hostile_files_are_one_line_each_and_the_good_file_is_read(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    paths = _hostile_files(tmp_path)
    assert main(["extract", "--lang", "en", *map(str, paths)]) == 1
    out, err = capsys.readouterr()
    collection = json.loads(out)
    jsonschema.validate(collection, SCHEMA)
    assert "good.txt" in {f["properties"]["doc_id"] for f in collection["features"]}
    failed = {line.split(":", 2)[1].strip().rsplit("/", 1)[-1] for line in _error_lines(err)}
    assert failed == {"empty.txt", "blank.txt", "nul.txt", "bad-utf8.txt", "binary.txt", "huge.txt"}


def test_the_store_and_its_csv_survive_the_hostile_batch(tmp_path: Path,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    docs = tmp_path / "hostile.jsonl"
    docs.write_text("\n".join(_hostile_lines()) + "\n", encoding="utf-8")
    db = str(tmp_path / "store.sqlite3")
    assert main(["store", "--store", db, "add", "--jsonl", str(docs)]) == 1
    assert main(["store", "--store", db, "export", "--format", "csv"]) == 0
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out.lstrip("\ufeff"), newline="")))
    assert len(rows) > len(PAYLOADS)
    for row in rows[1:]:
        for cell in row:
            assert _number(cell) or not cell.startswith(("=", "+", "-", "@", "\t", "\r"))


def _number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


@functools.cache
def _gazetteer() -> Any:
    import gazetteer

    return gazetteer.load()


def _extract_line(line: str) -> str:
    """Read one JSONL line through the real reader, extract it, and return the output as JSON text."""
    from incidents.extract.pipeline import extract_document

    out = []
    for item in read_jsonl(io.BufferedReader(io.BytesIO(line.encode("utf-8"))), name="p.jsonl"):
        if isinstance(item, InputError):
            assert "\n" not in str(item)
            out.append({"error": str(item)})
        else:
            assert isinstance(item, Document)
            incidents = extract_document(item, gazetteer=_gazetteer())
            for incident in incidents:
                start, end = incident.evidence_span
                assert incident.evidence == item.text[start:end]
            features = to_features(incidents)
            jsonschema.validate({"type": "FeatureCollection", "features": features}, SCHEMA)
            out.append({"features": features})
    text = json.dumps(out, ensure_ascii=False)
    text.encode("utf-8")  # strict: no lone surrogate reaches the output
    return text


ANY_CHAR = st.characters(codec=None, exclude_categories=())  # every code point, surrogates included
NEWS = st.sampled_from(["Kyiv", "Odesa", "killed", "injured", "3", "two", "drone", "strike", "sirens",
                        "yesterday", "on Sunday", ".", "\n", "\u200b", "\u202e", "billion", "2024-05-01"])
TEXT = st.lists(st.one_of(NEWS, st.text(ANY_CHAR, max_size=6)), max_size=12).map(" ".join)
RECORD = st.fixed_dictionaries({
    "id": st.one_of(st.none(), TEXT),
    "text": st.one_of(TEXT, st.integers(), st.none()),
    "lang": st.one_of(st.none(), st.sampled_from(["en", "nl", "de", "fr", "uk", "auto", "xx"]), TEXT),
    "published": st.one_of(st.none(), st.sampled_from(["2024-05-20", "0001-01-01", "9999-12-31", "bad"])),
    "source": st.one_of(st.none(), TEXT),
})


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(RECORD)
def test_any_unicode_through_jsonl_gives_the_same_valid_output_twice(record: dict[str, Any]) -> None:
    line = json.dumps(record)  # ASCII escapes carry lone surrogates into the line
    assert _extract_line(line) == _extract_line(line)


@pytest.mark.slow
@settings(max_examples=10_000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(RECORD)
def test_any_unicode_through_jsonl_ten_thousand_examples(record: dict[str, Any]) -> None:
    # Once per example (about a minute in all); the test above checks that a second run agrees.
    _extract_line(json.dumps(record))
