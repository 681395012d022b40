"""Reading inputs: files, HTML, JSON Lines, and a precise error for every bad input."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from incidents.errors import InputError
from incidents.ingest.inputs import (
    decode_text,
    document_from_bytes,
    document_from_json_line,
    html_to_text,
    read_documents,
)
from incidents.records import Document


def test_plain_file_becomes_document_named_after_file(tmp_path: Path) -> None:
    path = tmp_path / "bericht.txt"
    path.write_text("Vannacht sloeg een raket in bij Lviv.", encoding="utf-8")
    [doc] = list(read_documents([str(path)], lang="nl", published=dt.date(2024, 3, 1)))
    assert isinstance(doc, Document)
    assert doc.id == "bericht.txt"
    assert doc.lang == "nl"
    assert doc.published == dt.date(2024, 3, 1)
    assert doc.text.startswith("Vannacht")


def test_utf8_bom_is_dropped() -> None:
    assert decode_text("\ufeffKyiv".encode(), name="x") == "Kyiv"


def test_utf16_with_bom_is_read() -> None:
    assert decode_text("Одеса".encode("utf-16"), name="x") == "Одеса"


@pytest.mark.parametrize(
    ("data", "needle"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary data"),
        (bytes(range(1, 32)) * 20, "binary data"),
        (b"caf\xe9 in Rafah", "not UTF-8"),
    ],
)
def test_bad_bytes_are_refused_with_the_input_named(data: bytes, needle: str) -> None:
    with pytest.raises(InputError, match=r"^upload\.bin: ") as info:
        decode_text(data, name="upload.bin")
    assert needle in str(info.value)
    assert "\n" not in str(info.value)


def test_empty_text_is_an_error() -> None:
    with pytest.raises(InputError, match="empty text"):
        document_from_bytes(b"  \n\t ", name="leeg.txt")


def test_huge_input_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("incidents.ingest.inputs.MAX_DOCUMENT_BYTES", 10)
    with pytest.raises(InputError, match="too large"):
        decode_text(b"x" * 11, name="big.txt")


def test_html_is_reduced_to_visible_text() -> None:
    html = (
        "<html><head><title>t</title><script>var x = 'Moscow';</script></head>"
        "<body><p>Sirens sounded in Haifa overnight.</p></body></html>"
    )
    text = html_to_text(html)
    assert "Sirens sounded in Haifa" in text
    assert "var x" not in text


def test_html_file_is_detected_by_content() -> None:
    doc = document_from_bytes(b"<!DOCTYPE html><p>Explosions were heard in Odesa.</p>", name="page")
    assert "Explosions were heard in Odesa." in doc.text
    assert "<p>" not in doc.text


def test_json_line_fields() -> None:
    line = json.dumps({"id": "a1", "text": "Luchtalarm in Kyiv.", "lang": "nl", "published": "2024-01-02",
                       "source": "example"})
    doc = document_from_json_line(line, name="in.jsonl:1")
    assert doc == Document(id="a1", text="Luchtalarm in Kyiv.", lang="nl",
                           published=dt.date(2024, 1, 2), source="example")


@pytest.mark.parametrize(
    ("line", "needle"),
    [
        ("{not json", "invalid JSON"),
        ("[1, 2]", "expected a JSON object"),
        ('{"id": "x"}', "missing string field 'text'"),
        ('{"id": "x", "text": "   "}', "empty text"),
        ('{"id": "x", "text": "t", "published": "13/05/2021"}', "invalid date"),
        ('{"id": 5, "text": "t"}', "field 'id' must be a string"),
    ],
)
def test_bad_json_lines_name_the_line(line: str, needle: str) -> None:
    with pytest.raises(InputError, match=r"^in\.jsonl:7: ") as info:
        document_from_json_line(line, name="in.jsonl:7")
    assert needle in str(info.value)


def test_jsonl_keeps_good_lines_around_a_bad_one(tmp_path: Path) -> None:
    path = tmp_path / "docs.jsonl"
    path.write_text(
        json.dumps({"id": "one", "text": "Sirens in Ashdod."}) + "\n"
        + "{broken\n\n"
        + json.dumps({"id": "three", "text": "Shelling hit Kherson."}) + "\n",
        encoding="utf-8",
    )
    items = list(read_documents([str(path)], jsonl=True))
    assert [type(i).__name__ for i in items] == ["Document", "InputError", "Document"]
    assert str(items[1]).startswith(f"{path}:2: invalid JSON")
    assert isinstance(items[2], Document) and items[2].id == "three"


def test_missing_and_directory_inputs_do_not_stop_the_others(tmp_path: Path) -> None:
    good = tmp_path / "good.txt"
    good.write_text("Drone strike on Sumy.", encoding="utf-8")
    items = list(read_documents([str(tmp_path / "nope.txt"), str(tmp_path), str(good)]))
    assert "no such file" in str(items[0])
    assert "is a directory" in str(items[1])
    assert isinstance(items[2], Document)
