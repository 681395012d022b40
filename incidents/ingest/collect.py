"""Turn what a user hands the app (pasted text, uploads, a URL, a feed) into ``Document`` records.

Every entry point ends in documents for the one ``extract()`` funnel. Fetching goes through the one
fetch policy (``gazetteer.fetch``: public http(s) addresses only unless private networks are allowed,
a total deadline, a size cap) and never raises a raw network error: an unreachable, refused or
oversized URL or feed becomes a ``CollectError`` that says what to do.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from importlib import resources
from typing import Any

from gazetteer.fetch import FetchError, FetchPolicy, fetch
from incidents.errors import CollectError, IncidentsError, InputError
from incidents.ingest.inputs import (
    decode_text,
    document_from_json_line,
    document_from_text,
    html_to_text,
    parse_date,
    read_jsonl,
    read_text_bytes,
    with_title,
)
from incidents.records import Document, Incident
from incidents.store import Store

FETCH_TIMEOUT_S = 15.0
MAX_FETCH_BYTES = 10_000_000
MAX_UPLOAD_BYTES = 200_000_000
"""A JSON Lines upload holds many documents: each line has the document limit, the file this one."""
USER_AGENT = "incidents-map/0.1 (+local news reader)"
TEXT_COLUMNS = ("text", "body", "content", "article")
"""CSV columns read as the document text, first found wins (case-insensitive)."""


@dataclass(frozen=True, slots=True)
class Defaults:
    """What the user set in the app for documents that do not say it themselves."""

    lang: str | None = None
    published: dt.date | None = None
    source: str | None = None


def short_hash(text: str) -> str:
    """Return 10 hex digits identifying a text (for ids of pasted documents)."""
    return hashlib.sha256(text.strip().encode("utf-8")).hexdigest()[:10]


def pasted_document(text: str, *, defaults: Defaults = Defaults()) -> Document:
    """Make a document of pasted text; its id is derived from the text, so a re-paste is the same."""
    if not text.strip():
        msg = "pasted text: empty text"
        raise InputError(msg)
    return Document(id=f"paste-{short_hash(text)}", text=text, lang=defaults.lang,
                    published=defaults.published, source=defaults.source)


def _csv_documents(text: str, *, name: str, defaults: Defaults) -> Iterator[Document | InputError]:
    reader = csv.DictReader(io.StringIO(text))
    columns = {c.strip().lower(): c for c in reader.fieldnames or []}
    text_column = next((columns[c] for c in TEXT_COLUMNS if c in columns), None)
    if text_column is None:
        yield InputError(f"{name}: no text column (expected one of {', '.join(TEXT_COLUMNS)})")
        return
    for number, row in enumerate(reader, start=2):
        where = f"{name}:{number}"
        body = (row.get(text_column) or "").strip()
        if not body:
            yield InputError(f"{where}: empty text")
            continue
        try:
            day = row.get(columns.get("published", ""), "") or row.get(columns.get("date", ""), "")
            published = parse_date(day, what=where) if day else defaults.published
        except InputError as err:
            yield err
            continue
        title = (row.get(columns.get("title", ""), "") or "").strip()
        yield Document(
            id=(row.get(columns.get("id", ""), "") or "").strip() or where,
            text=f"{title}\n\n{body}" if title else body,
            lang=(row.get(columns.get("lang", ""), "") or "").strip() or defaults.lang,
            published=published,
            source=(row.get(columns.get("source", ""), "") or row.get(columns.get("url", ""), "")
                    or "").strip() or defaults.source or name,
        )


def upload_documents(
    name: str, data: bytes, *, defaults: Defaults = Defaults(), notes: list[str] | None = None
) -> list[Document | InputError]:
    """Read one uploaded file (.txt, .html, .jsonl or .csv) into documents, or errors naming the input.

    Text that is not UTF-8 is decoded in the encoding charset-normalizer detects; ``notes`` (when
    given) receives one line saying which encoding was used.
    """
    lower = name.lower()
    if lower.endswith((".jsonl", ".ndjson")):
        return list(_jsonl_documents(data, name=name, defaults=defaults))
    try:
        decoded = read_text_bytes(data, name=name, detect=True)
    except InputError as err:
        return [err]
    if decoded.encoding not in ("utf-8", "utf-16") and notes is not None:
        notes.append(f"{name}: not UTF-8; read as {decoded.encoding}")
    if lower.endswith(".csv"):
        return list(_csv_documents(decoded.text, name=name, defaults=defaults))
    try:
        return [document_from_text(decoded.text, data[:512], name=name, lang=defaults.lang,
                                   published=defaults.published, source=defaults.source or name)]
    except InputError as err:
        return [err]


def _jsonl_documents(data: bytes, *, name: str, defaults: Defaults) -> Iterator[Document | InputError]:
    if len(data) > MAX_UPLOAD_BYTES:
        yield InputError(f"{name}: too large ({len(data):,} bytes; the limit is {MAX_UPLOAD_BYTES:,})")
        return
    for item in read_jsonl(io.BufferedReader(io.BytesIO(data)), name=name, lang=defaults.lang,
                           published=defaults.published):
        if isinstance(item, InputError) or item.source:
            yield item
        else:
            yield Document(item.id, item.text, item.lang, item.published, defaults.source)


def _check_url(url: str) -> str:
    url = url.strip()
    if not url.lower().startswith(("http://", "https://")):
        msg = f"{url!r}: not a web address (it must start with http:// or https://)"
        raise CollectError(msg)
    return url


def fetch_bytes(url: str, *, timeout: float = FETCH_TIMEOUT_S, policy: FetchPolicy | None = None) -> bytes:
    """Download a web page or feed under the fetch policy; raise ``CollectError`` with a plain reason.

    ``timeout`` is the total deadline of the request (redirects included); ``policy`` None means the
    default: public addresses only, at most ``MAX_FETCH_BYTES``.
    """
    url = _check_url(url)
    chosen = policy or FetchPolicy(max_bytes=MAX_FETCH_BYTES, user_agent=USER_AGENT)
    try:
        return fetch(url, policy=replace(chosen, deadline_s=timeout)).body
    except FetchError as err:
        raise CollectError(str(err)) from err


def _metadata_date(value: Any) -> dt.date | None:
    if not isinstance(value, str):
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None


def article_document(url: str, html: bytes, *, defaults: Defaults = Defaults()) -> Document:
    """Make a document of a fetched web page: its main text (trafilatura), title and date if found."""
    import trafilatura

    text = decode_text(html, name=url)
    meta: Any = trafilatura.bare_extraction(text, url=url, with_metadata=True, favor_recall=True)
    found: dict[str, Any] = meta.as_dict() if hasattr(meta, "as_dict") else dict(meta or {})
    body = (found.get("text") or "").strip() or html_to_text(text)
    if not body.strip():
        msg = f"{url}: no article text found on the page"
        raise CollectError(msg)
    title = (found.get("title") or "").strip()
    return Document(
        id=url,
        text=with_title(title, body),
        lang=defaults.lang,
        published=defaults.published or _metadata_date(found.get("date")),
        source=url,
    )


def fetch_article(url: str, *, defaults: Defaults = Defaults(), timeout: float = FETCH_TIMEOUT_S,
                  policy: FetchPolicy | None = None) -> Document:
    """Fetch a web page and make a document of its main text."""
    return article_document(_check_url(url), fetch_bytes(url, timeout=timeout, policy=policy),
                            defaults=defaults)


def _entry_date(entry: Any) -> dt.date | None:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        stamp = entry.get(key)
        if isinstance(stamp, time.struct_time):
            return dt.date(stamp.tm_year, stamp.tm_mon, stamp.tm_mday)
    return None


def _entry_text(entry: Any) -> str:
    parts = [part.get("value", "") for part in entry.get("content", []) if isinstance(part, dict)]
    html = max(parts, key=len, default="") or entry.get("summary", "") or entry.get("description", "")
    return html_to_text(html) if "<" in html else str(html).strip()


def feed_documents(data: bytes, *, name: str, defaults: Defaults = Defaults()) -> list[Document]:
    """Make one document per entry of an RSS or Atom feed (title and summary or content)."""
    import feedparser

    parsed = feedparser.parse(data)
    if not parsed.entries:
        reason = f" ({parsed.bozo_exception})" if parsed.get("bozo") else ""
        msg = f"{name}: not an RSS or Atom feed, or a feed without entries{reason}"
        raise CollectError(msg)
    docs = []
    for number, entry in enumerate(parsed.entries, start=1):
        title = str(entry.get("title", "")).strip()
        body = _entry_text(entry)
        text = f"{title}\n\n{body}" if body and body != title else title
        if not text.strip():
            continue
        link = str(entry.get("link", "")).strip()
        link = link if link.lower().startswith(("http://", "https://")) else ""
        docs.append(Document(
            id=str(entry.get("id", "")).strip() or link or f"{name}#{number}",
            text=text,
            lang=defaults.lang or (str(parsed.feed.get("language", ""))[:2].lower() or None),
            published=_entry_date(entry) or defaults.published,
            source=link or defaults.source or name,
        ))
    return docs


def fetch_feed(
    url: str, *, defaults: Defaults = Defaults(), timeout: float = FETCH_TIMEOUT_S,
    policy: FetchPolicy | None = None,
) -> list[Document]:
    """Fetch an RSS or Atom feed and make one document per entry."""
    return feed_documents(fetch_bytes(url, timeout=timeout, policy=policy), name=_check_url(url),
                          defaults=defaults)


EXAMPLES_FILE = "examples.jsonl"


def example_documents() -> list[Document]:
    """Return the bundled example articles (written for this project, labelled as examples)."""
    data = resources.files("incidents").joinpath("examples", EXAMPLES_FILE).read_text(encoding="utf-8")
    docs = []
    for number, line in enumerate(data.splitlines(), start=1):
        if line.strip():
            docs.append(document_from_json_line(line, name=f"{EXAMPLES_FILE}:{number}"))
    return docs


@dataclass(frozen=True, slots=True)
class IngestReport:
    """What an import did: documents added, already stored, and failures with their messages."""

    added: tuple[str, ...] = ()
    duplicates: tuple[str, ...] = ()
    failed: tuple[str, ...] = ()
    incidents: int = 0


_Extracted = tuple[Document | InputError, list[Incident] | IncidentsError | None]
"""An item, and what extraction made of it (None: its text is already stored)."""


def ingest(
    store: Store,
    items: Iterable[Document | InputError],
    extract: Callable[[Document], list[Incident]],
    *,
    on_progress: Callable[[int, str], None] | None = None,
    jobs: int = 1,
    before_fork: Callable[[], object] | None = None,
) -> IngestReport:
    """Extract and save each document in turn (each in its own transaction); report, never stop early.

    Documents whose text is already stored are not extracted again. ``on_progress(done, label)`` is
    called after each item, for a progress bar. With ``jobs`` above 1 the extraction runs on forked
    workers (``incidents.workers``, which calls ``before_fork`` first); saving stays here, in input
    order, on one open connection.
    """
    from incidents.workers import map_ordered

    def checked() -> Iterator[tuple[Document | InputError, bool]]:
        for item in items:
            yield item, not isinstance(item, InputError) and store.has_text(item.text)

    def work(pair: tuple[Document | InputError, bool]) -> _Extracted:
        item, stored = pair
        if isinstance(item, InputError) or stored:
            return item, None
        try:
            return item, extract(item)
        except IncidentsError as err:
            return item, err

    added: list[str] = []
    duplicates: list[str] = []
    failed: list[str] = []
    found = 0
    results = map_ordered(work, checked(), jobs=jobs, before_fork=before_fork)
    with store.kept_open():
        for done, (item, result) in enumerate(results, start=1):
            label = str(item) if isinstance(item, InputError) else item.id
            if isinstance(item, InputError):
                failed.append(str(item))
            elif result is None:
                duplicates.append(item.id)
            elif isinstance(result, IncidentsError):
                failed.append(f"{item.id}: {result}")
            else:
                try:
                    if store.add_document(item, result):
                        added.append(item.id)
                        found += len(result)
                    else:
                        duplicates.append(item.id)
                except IncidentsError as err:
                    failed.append(f"{item.id}: {err}")
            if on_progress is not None:
                on_progress(done, label)
    return IngestReport(tuple(added), tuple(duplicates), tuple(failed), found)
