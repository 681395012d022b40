"""Turn files, standard input and JSON Lines into documents, naming every bad input precisely.

Reading never stops at a bad input: ``read_documents`` yields an ``InputError`` in place of the
document it could not read, so a caller reports it and goes on with the rest.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import sys
from collections.abc import Iterator, Sequence
from html.parser import HTMLParser
from pathlib import Path
from typing import BinaryIO

from incidents.errors import InputError
from incidents.records import Document

MAX_DOCUMENT_BYTES = 20_000_000
"""Larger documents are refused: news text is kilobytes, and the extractor holds a document in memory."""

_HTML_START = re.compile(rb"^\s*(<!doctype html|<html|<head|<body|<article|<p[ >])", re.IGNORECASE)
_SKIP_TAGS = frozenset({"script", "style", "noscript", "template", "svg", "head"})
_BLOCK_TAGS = frozenset({"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "article",
                         "section", "blockquote", "header", "footer", "title"})


def parse_date(value: str, *, what: str) -> dt.date:
    """Parse ``YYYY-MM-DD``; the error names ``what`` carried the bad value."""
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError as err:
        msg = f"{what}: invalid date {value!r} (expected YYYY-MM-DD)"
        raise InputError(msg) from err


def decode_text(data: bytes, *, name: str) -> str:
    """Decode bytes as UTF-8 (a BOM is honoured), refusing binary and undecodable input."""
    if len(data) > MAX_DOCUMENT_BYTES:
        msg = f"{name}: too large ({len(data):,} bytes; the limit is {MAX_DOCUMENT_BYTES:,})"
        raise InputError(msg)
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as err:
            msg = f"{name}: not valid UTF-16 at byte {err.start}"
            raise InputError(msg) from err
    nul = data.find(b"\0", 0, 8192)
    if nul >= 0:
        msg = f"{name}: binary data, not text (NUL byte at offset {nul})"
        raise InputError(msg)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        msg = f"{name}: not UTF-8 text (undecodable byte 0x{data[err.start]:02x} at offset {err.start})"
        raise InputError(msg) from err
    head = text[:8192]
    controls = sum(1 for ch in head if ord(ch) < 32 and ch not in "\n\r\t\f")
    if head and controls / len(head) > 0.05:
        msg = f"{name}: binary data, not text ({controls} control characters in the first {len(head)})"
        raise InputError(msg)
    return text


class _TextCollector(HTMLParser):
    """Collect the visible text of an HTML page, with line breaks at block elements."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP_TAGS:
            self._skipping += 1
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP_TAGS and self._skipping:
            self._skipping -= 1
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._skipping:
            self.parts.append(data)


def html_to_text(html: str) -> str:
    """Return the main text of an HTML page: trafilatura's article text, else all visible text."""
    import trafilatura  # imported here: it is slow to import and only HTML needs it

    main = trafilatura.extract(html, include_comments=False, include_tables=False, favor_recall=True)
    if main and main.strip():
        return str(main)
    collector = _TextCollector()
    collector.feed(html)
    collector.close()
    text = "".join(collector.parts)
    return re.sub(r"\n\s*\n+", "\n\n", re.sub(r"[ \t\r\f\v]+", " ", text)).strip()


def looks_like_html(name: str, data: bytes) -> bool:
    """Tell HTML from plain text by the file name or the first bytes."""
    return name.lower().endswith((".html", ".htm", ".xhtml")) or bool(_HTML_START.match(data[:512]))


def document_from_bytes(
    data: bytes,
    *,
    name: str,
    doc_id: str | None = None,
    lang: str | None = None,
    published: dt.date | None = None,
    source: str | None = None,
) -> Document:
    """Make one document of a file's bytes (plain text or HTML); raise InputError naming ``name``."""
    text = decode_text(data, name=name)
    if looks_like_html(name, data):
        text = html_to_text(text)
    if not text.strip():
        msg = f"{name}: empty text"
        raise InputError(msg)
    return Document(id=doc_id or name, text=text, lang=lang, published=published, source=source or name)


def document_from_json_line(
    line: str, *, name: str, lang: str | None = None, published: dt.date | None = None
) -> Document:
    """Make one document of a JSONL line; ``name`` is e.g. ``docs.jsonl:12`` and appears in errors."""
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as err:
        msg = f"{name}: invalid JSON ({err.msg} at column {err.colno})"
        raise InputError(msg) from err
    if not isinstance(obj, dict):
        msg = f"{name}: expected a JSON object, got {type(obj).__name__}"
        raise InputError(msg)
    text = obj.get("text")
    if not isinstance(text, str):
        msg = f"{name}: missing string field 'text'"
        raise InputError(msg)
    if not text.strip():
        msg = f"{name}: empty text"
        raise InputError(msg)
    fields: dict[str, str | None] = {}
    for key in ("id", "lang", "published", "source"):
        value = obj.get(key)
        if value is not None and not isinstance(value, str):
            msg = f"{name}: field {key!r} must be a string, got {type(value).__name__}"
            raise InputError(msg)
        fields[key] = value
    day = parse_date(fields["published"], what=name) if fields["published"] else published
    doc_lang = fields["lang"] or lang
    return Document(
        id=fields["id"] or name,
        text=text,
        lang=None if doc_lang in (None, "", "auto") else doc_lang,
        published=day,
        source=fields["source"],
    )


def _open(path: str) -> tuple[str, BinaryIO | None]:
    if path == "-":
        return "<stdin>", sys.stdin.buffer
    return path, None


def read_documents(
    inputs: Sequence[str],
    *,
    jsonl: bool = False,
    lang: str | None = None,
    published: dt.date | None = None,
) -> Iterator[Document | InputError]:
    """Yield a document, or the InputError that replaces it, for each input (``-`` = stdin)."""
    for path in inputs or ["-"]:
        name, stream = _open(path)
        try:
            data = stream.read() if stream is not None else Path(path).read_bytes()
        except FileNotFoundError:
            yield InputError(f"{name}: no such file")
            continue
        except IsADirectoryError:
            yield InputError(f"{name}: is a directory, not a file")
            continue
        except OSError as err:
            yield InputError(f"{name}: cannot read ({err.strerror or err})")
            continue
        label = "stdin" if stream is not None else Path(path).name
        if not jsonl:
            try:
                yield document_from_bytes(data, name=name, doc_id=label, lang=lang, published=published)
            except InputError as err:
                yield err
            continue
        yield from _read_jsonl(data, name=name, lang=lang, published=published)


def _read_jsonl(
    data: bytes, *, name: str, lang: str | None, published: dt.date | None
) -> Iterator[Document | InputError]:
    if b"\x00" in data[:8192]:
        yield InputError(f"{name}: binary data, not JSON Lines")
        return
    seen_any = False
    for number, raw in enumerate(data.splitlines(), start=1):
        where = f"{name}:{number}"
        try:
            line = raw.decode("utf-8-sig" if number == 1 else "utf-8")
        except UnicodeDecodeError as err:
            yield InputError(f"{where}: not UTF-8 (undecodable byte at column {err.start + 1})")
            continue
        if not line.strip():
            continue
        seen_any = True
        try:
            yield document_from_json_line(line, name=where, lang=lang, published=published)
        except InputError as err:
            yield err
    if not seen_any:
        yield InputError(f"{name}: empty input (no JSON lines)")
