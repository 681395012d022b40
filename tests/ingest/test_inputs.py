"""Reading inputs: files, HTML, JSON Lines, and a precise error for every bad input."""

from __future__ import annotations

import datetime as dt
import json
import tracemalloc
from pathlib import Path

import pytest

from incidents.errors import InputError
from incidents.ingest import inputs
from incidents.ingest.inputs import (
    decode_text,
    document_from_bytes,
    document_from_json_line,
    html_to_text,
    read_documents,
    read_text_bytes,
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


def test_an_html_file_keeps_its_title_as_the_first_line() -> None:
    page = (b"<html><head><title>Strike on Odesa &amp; the port</title></head>"
            b"<body><p>Explosions were heard in Odesa.</p></body></html>")
    doc = document_from_bytes(page, name="page.html")
    assert doc.text.splitlines()[0] == "Strike on Odesa & the port"
    assert "Explosions were heard in Odesa." in doc.text


def test_a_title_already_at_the_start_is_not_repeated() -> None:
    assert inputs.with_title("Sirens in Lviv", "Sirens in Lviv\n\nThe alarm sounded.") == (
        "Sirens in Lviv\n\nThe alarm sounded.")
    assert inputs.with_title(None, "Body.") == "Body."
    assert inputs.with_title("Title", "  ") == "  "
    assert inputs.html_title("<p>no title</p>") is None


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


def _items(path: Path, *, jsonl: bool = True) -> list[Document | InputError]:
    return list(read_documents([str(path)], jsonl=jsonl))


def test_a_file_over_the_limit_is_refused_before_it_is_read(tmp_path: Path) -> None:
    huge = tmp_path / "huge.txt"
    with huge.open("wb") as handle:  # sparse: no disk and no memory used
        handle.truncate(inputs.MAX_DOCUMENT_BYTES + 1)
    tracemalloc.start()
    [item] = _items(huge, jsonl=False)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert isinstance(item, InputError) and "too large" in str(item)
    assert peak < 1_000_000


def test_a_jsonl_line_over_the_limit_is_skipped_in_bounded_chunks(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(inputs, "MAX_LINE_BYTES", 1000)
    monkeypatch.setattr(inputs, "_SKIP_CHUNK", 4096)
    path = tmp_path / "long.jsonl"
    good = json.dumps({"id": "ok", "text": "Sirens in Odesa."})
    path.write_text(good + "\n" + '{"text": "' + "x" * 3_000_000 + '"}\n' + good + "\n", encoding="utf-8")
    tracemalloc.start()
    items = _items(path)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert [str(i) if isinstance(i, InputError) else i.id for i in items] == [
        "ok", f"{path}:2: line too long (the limit is 1,000 bytes)", "ok"]
    assert peak < 1_000_000


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_jsonl_is_read(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "u16.jsonl"
    lines = [json.dumps({"id": "a", "text": "Вибухи в Одесі."}, ensure_ascii=False),
             json.dumps({"id": "b", "text": "Sirens in Lviv."})]
    path.write_bytes(("\n".join(lines) + "\n").encode(encoding))
    items = _items(path)
    assert [(d.id, d.text) for d in items if isinstance(d, Document)] == [
        ("a", "Вибухи в Одесі."), ("b", "Sirens in Lviv.")]


def test_a_latin1_jsonl_names_each_bad_line_and_is_not_called_empty(tmp_path: Path) -> None:
    path = tmp_path / "latin.jsonl"
    path.write_bytes('{"text": "Café in Rafah"}\n{"text": "Crêpe"}\n'.encode("latin-1"))
    messages = [str(i) for i in _items(path)]
    assert len(messages) == 2 and all("not UTF-8" in m for m in messages)


def test_a_text_of_the_wrong_type_is_not_called_missing() -> None:
    with pytest.raises(InputError, match="field 'text' must be a string, got int"):
        document_from_json_line('{"text": 123}', name="x:1")
    with pytest.raises(InputError, match="missing string field 'text'"):
        document_from_json_line('{"body": "x"}', name="x:1")


def test_lone_surrogates_and_nuls_become_replacement_characters_of_the_same_length() -> None:
    line = '{"id": "s\\ud800", "text": "A\\ud800B\\u0000C \\ud83d\\ude00", "source": "\\udfff"}'
    doc = document_from_json_line(line, name="x:1")
    assert doc.text == "A\ufffdB\ufffdC \U0001f600"
    assert (doc.id, doc.source) == ("s\ufffd", "\ufffd")
    json.dumps(doc.text, ensure_ascii=False).encode("utf-8")  # encodable: no lone surrogate left


def test_a_nul_byte_anywhere_is_binary_data() -> None:
    with pytest.raises(InputError, match="NUL byte at offset 20000"):
        decode_text(b"a" * 20000 + b"\0tail", name="x")


@pytest.mark.parametrize(("encoding", "text"), [
    ("latin-1", "Une frappe a touché la gare de Kharkiv, à l'aube; trois blessés ont été évacués."),
    ("cp1252", "Les secours ont évacué « trois blessés » — selon l'armée, d'après nos sources."),
])
def test_an_upload_not_in_utf8_is_decoded_and_says_how(encoding: str, text: str) -> None:
    from incidents.ingest import collect

    notes: list[str] = []
    [doc] = collect.upload_documents("article.txt", text.encode(encoding), notes=notes)
    assert isinstance(doc, Document) and doc.text == text
    [note] = notes
    assert note.startswith("article.txt: not UTF-8; read as ")
    assert read_text_bytes(text.encode(encoding), name="x", detect=True).encoding in note
