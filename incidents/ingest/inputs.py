"""Turn files, standard input and JSON Lines into documents, naming every bad input precisely.

Reading never stops at a bad input: ``read_documents`` yields an ``InputError`` in place of the
document it could not read, so a caller reports it and goes on with the rest.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import re
import stat
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import BinaryIO

from incidents.errors import InputError
from incidents.records import Document

MAX_DOCUMENT_BYTES = 20_000_000
"""Larger documents are refused: news text is kilobytes, and the extractor holds a document in memory."""

LEGACY_ENCODINGS = ("cp1252", "latin_1", "iso8859_15", "cp1251", "koi8_r", "koi8_u", "iso8859_5",
                    "mac_cyrillic", "cp866")
"""The encodings a text that is not UTF-8 may be in: the Western and Cyrillic ones of the languages we
read. Detection among all encodings mistakes short French text for Central European (cp1250)."""

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


@dataclass(frozen=True, slots=True)
class DecodedText:
    """A file's text and the encoding it was read in (``utf-8``, ``utf-16`` or a detected one)."""

    text: str
    encoding: str


def _too_large(size: int, *, name: str) -> InputError:
    return InputError(f"{name}: too large ({size:,} bytes; the limit is {MAX_DOCUMENT_BYTES:,})")


def read_text_bytes(data: bytes, *, name: str, detect: bool = False) -> DecodedText:
    """Decode bytes as UTF-8 (a BOM is honoured) or UTF-16 with its BOM, refusing binary input.

    With ``detect``, text that is not UTF-8 is decoded in the encoding charset-normalizer finds
    (Latin-1, Windows-1252, ...), and the result says which; without it, such text is refused.
    """
    if len(data) > MAX_DOCUMENT_BYTES:
        raise _too_large(len(data), name=name)
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return DecodedText(clean_text(data.decode("utf-16")), "utf-16")
        except UnicodeDecodeError as err:
            msg = f"{name}: not valid UTF-16 at byte {err.start}"
            raise InputError(msg) from err
    nul = data.find(b"\0")
    if nul >= 0:
        msg = f"{name}: binary data, not text (NUL byte at offset {nul})"
        raise InputError(msg)
    encoding = "utf-8"
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        found = _detect_encoding(data) if detect else None
        if found is None:
            msg = f"{name}: not UTF-8 text (undecodable byte 0x{data[err.start]:02x} at offset {err.start})"
            raise InputError(msg) from err
        text, encoding = found
    head = text[:8192]
    controls = sum(1 for ch in head if ord(ch) < 32 and ch not in "\n\r\t\f")
    if head and controls / len(head) > 0.05:
        msg = f"{name}: binary data, not text ({controls} control characters in the first {len(head)})"
        raise InputError(msg)
    return DecodedText(text, encoding)


def _detect_encoding(data: bytes) -> tuple[str, str] | None:
    """Return (text, encoding) as charset-normalizer reads bytes that are not UTF-8, or None."""
    import charset_normalizer  # imported here: only text that is not UTF-8 needs it

    best = charset_normalizer.from_bytes(data, cp_isolation=list(LEGACY_ENCODINGS)).best()
    if best is None or best.encoding in ("utf_8", "utf_16", "utf_32", "ascii"):
        return None
    return str(best), best.encoding.replace("_", "-")


def decode_text(data: bytes, *, name: str) -> str:
    """Decode bytes as UTF-8 (a BOM is honoured), refusing binary and undecodable input."""
    return read_text_bytes(data, name=name).text


_UNSAFE_CHARS = re.compile("[\ud800-\udfff\x00]")


def clean_text(text: str) -> str:
    """Replace lone surrogates and NUL characters with U+FFFD: one character each, so offsets hold.

    JSON escapes (``"\\ud800"``, ``"\\u0000"``) let them into a string; no UTF-8 output, SQLite text
    or GeoPackage field can hold them whole.
    """
    return _UNSAFE_CHARS.sub("\ufffd", text)


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


_TITLE = re.compile(r"<title[^>]*>(.*?)</title\s*>", re.IGNORECASE | re.DOTALL)


def html_title(page: str) -> str | None:
    """Return the text of an HTML page's ``<title>``, or None when it has none."""
    import html

    found = _TITLE.search(page[:200_000])
    title = " ".join(html.unescape(re.sub(r"<[^>]*>", "", found.group(1))).split()) if found else ""
    return title or None


def with_title(title: str | None, body: str) -> str:
    """Return the body with the title as its first line, unless the body already starts with it."""
    if not title or not body.strip() or body.lstrip().startswith(title):
        return body
    return f"{title}\n\n{body}"


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
    return document_from_text(read_text_bytes(data, name=name).text, data[:512], name=name, doc_id=doc_id,
                              lang=lang, published=published, source=source)


def document_from_text(
    text: str,
    head: bytes,
    *,
    name: str,
    doc_id: str | None = None,
    lang: str | None = None,
    published: dt.date | None = None,
    source: str | None = None,
) -> Document:
    """Make one document of a file's decoded text (HTML when the name or the first bytes say so)."""
    if looks_like_html(name, head):
        text = with_title(html_title(text), html_to_text(text))  # the title names the document
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
    return document_from_record(obj, name=name, lang=lang, published=published)


def document_from_record(
    obj: dict[str, object], *, name: str, lang: str | None = None, published: dt.date | None = None
) -> Document:
    """Make one document of a record (a JSON object, a table row): ``text``, optional ``id``, ``lang``,
    ``published`` (YYYY-MM-DD) and ``source``, all strings; ``name`` appears in errors."""
    text = obj.get("text")
    if text is None:
        msg = f"{name}: missing string field 'text'"
        raise InputError(msg)
    if not isinstance(text, str):
        msg = f"{name}: field 'text' must be a string, got {type(text).__name__}"
        raise InputError(msg)
    text = clean_text(text)
    if not text.strip():
        msg = f"{name}: empty text"
        raise InputError(msg)
    fields: dict[str, str | None] = {}
    for key in ("id", "lang", "published", "source"):
        value = obj.get(key)
        if value is not None and not isinstance(value, str):
            msg = f"{name}: field {key!r} must be a string, got {type(value).__name__}"
            raise InputError(msg)
        fields[key] = None if value is None else clean_text(value)
    day = parse_date(fields["published"], what=name) if fields["published"] else published
    doc_lang = fields["lang"] or lang
    return Document(
        id=fields["id"] or name,
        text=text,
        lang=None if doc_lang in (None, "", "auto") else doc_lang,
        published=day,
        source=fields["source"],
    )


MAX_LINE_BYTES = MAX_DOCUMENT_BYTES
"""A JSON Lines line longer than this is refused (read in bounded chunks, never held whole)."""
_SKIP_CHUNK = 1 << 20


def read_documents(
    inputs: Sequence[str],
    *,
    jsonl: bool = False,
    lang: str | None = None,
    published: dt.date | None = None,
) -> Iterator[Document | InputError]:
    """Yield a document, or the InputError that replaces it, for each input (``-`` = stdin).

    Limits come before reading: a file's size is checked with ``stat``, standard input is read no
    further than the limit, and JSON Lines are read line by line, each line at most ``MAX_LINE_BYTES``.
    """
    for path in inputs or ["-"]:
        name = "<stdin>" if path == "-" else path
        try:
            stream: BinaryIO = sys.stdin.buffer if path == "-" else open(path, "rb")  # noqa: SIM115
        except FileNotFoundError:
            yield InputError(f"{name}: no such file")
            continue
        except IsADirectoryError:
            yield InputError(f"{name}: is a directory, not a file")
            continue
        except OSError as err:
            yield InputError(f"{name}: cannot read ({err.strerror or err})")
            continue
        try:
            if jsonl:
                yield from read_jsonl(stream, name=name, lang=lang, published=published)
            else:
                label = "stdin" if path == "-" else Path(path).name
                yield _document_from_stream(stream, name=name, label=label, lang=lang, published=published)
        finally:
            if stream is not sys.stdin.buffer:
                stream.close()


def _document_from_stream(stream: BinaryIO, *, name: str, label: str, lang: str | None,
                          published: dt.date | None) -> Document | InputError:
    try:
        info = os.fstat(stream.fileno())
        if stat.S_ISREG(info.st_mode) and info.st_size > MAX_DOCUMENT_BYTES:
            return _too_large(info.st_size, name=name)
    except (OSError, ValueError):
        pass  # not a file descriptor (a test's stream): the bounded read below still holds
    try:
        data = stream.read(MAX_DOCUMENT_BYTES + 1)
    except OSError as err:
        return InputError(f"{name}: cannot read ({err.strerror or err})")
    if len(data) > MAX_DOCUMENT_BYTES:
        return InputError(f"{name}: too large (more than {MAX_DOCUMENT_BYTES:,} bytes)")
    try:
        return document_from_bytes(data, name=name, doc_id=label, lang=lang, published=published)
    except InputError as err:
        return err


def _jsonl_encoding(stream: BinaryIO) -> str | None:
    """Return the encoding of a JSON Lines stream from its first bytes: UTF-8, or UTF-16 by BOM or NULs."""
    peek = getattr(stream, "peek", None)
    head = peek(4)[:4] if peek is not None else b""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    if len(head) >= 2 and head[0] != 0 and head[1] == 0:
        return "utf-16-le"
    if len(head) >= 2 and head[0] == 0 and head[1] != 0:
        return "utf-16-be"
    return None


def _lines(stream: BinaryIO, *, limit: int) -> Iterator[bytes | None]:
    """Yield each line (None for one longer than ``limit``, skipped in bounded chunks)."""
    while raw := stream.readline(limit + 1):
        if len(raw) > limit and not raw.endswith(b"\n"):
            while (rest := stream.readline(_SKIP_CHUNK)) and not rest.endswith(b"\n"):
                pass
            yield None
        else:
            yield raw


def _utf16_lines(stream: BinaryIO, encoding: str, *, limit: int) -> Iterator[bytes | None]:
    """Yield the lines of a UTF-16 stream re-encoded as UTF-8 (None for one longer than ``limit``)."""
    text = io.TextIOWrapper(stream, encoding=encoding, newline="\n")
    try:
        while line := text.readline(limit + 1):
            if len(line) > limit and not line.endswith("\n"):
                while (rest := text.readline(_SKIP_CHUNK)) and not rest.endswith("\n"):
                    pass
                yield None
            else:
                yield line.encode("utf-8", "surrogatepass")
    finally:
        text.detach()


def read_jsonl(
    stream: BinaryIO,
    *,
    name: str,
    lang: str | None = None,
    published: dt.date | None = None,
    first_line: int = 1,
) -> Iterator[Document | InputError]:
    """Yield a document or an InputError for each non-blank line of a JSON Lines stream (UTF-8 or UTF-16).

    ``first_line`` is the number of the stream's first line in its file, when the stream is a part of
    it (a partition of a batch): documents without an id, and errors, are named by their file's lines.
    """
    encoding = _jsonl_encoding(stream)
    if encoding is None:
        peek = getattr(stream, "peek", None)
        if peek is not None and b"\x00" in peek(8192)[:8192]:
            yield InputError(f"{name}: binary data, not JSON Lines")
            return
        lines = _lines(stream, limit=MAX_LINE_BYTES)
    else:
        lines = _utf16_lines(stream, encoding, limit=MAX_LINE_BYTES)
    seen_any = False
    number = first_line - 1
    try:
        for number, raw in enumerate(lines, start=first_line):
            where = f"{name}:{number}"
            if raw is None:
                seen_any = True
                yield InputError(f"{where}: line too long (the limit is {MAX_LINE_BYTES:,} bytes)")
                continue
            if not raw.strip():
                continue
            seen_any = True
            try:
                line = raw.decode("utf-8-sig" if number == 1 else "utf-8", "surrogatepass")
            except UnicodeDecodeError as err:
                yield InputError(f"{where}: not UTF-8 (undecodable byte at column {err.start + 1})")
                continue
            try:
                yield document_from_json_line(line, name=where, lang=lang, published=published)
            except InputError as err:
                yield err
    except UnicodeDecodeError:
        where = f"{name}:{number + 1}"
        yield InputError(f"{where}: not valid {encoding or 'UTF-8'}; the rest of the file is skipped")
        return
    except OSError as err:
        yield InputError(f"{name}: cannot read ({err.strerror or err})")
        return
    if not seen_any:
        yield InputError(f"{name}: empty input (no JSON lines)")
