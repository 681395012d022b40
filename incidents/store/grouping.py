"""Events in the store: each document's incidents join events as the document is saved.

Every incident row has an ``event_id``. The ``event_keys`` table files each incident under the keys of
``incidents.events.index_keys`` (type, place cell / division / country, day), so a new document looks up
only the events near it in place and time: an indexed query, never a scan of the store. A reviewer's
splits and merges are kept in ``event_links`` (incident ids, so they survive re-extraction): ``apart``
keeps two incidents out of one event, ``together`` puts a newly extracted incident back in its partner's
event. An incident that keeps its id through a re-extraction or a correction keeps its event.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from incidents.events import Report, assign_document, index_keys, new_event_id, probe_keys, report_of
from incidents.store.rows import INCIDENT_COLUMNS, incident_from_row

_REPORT_QUERY = (
    f"SELECT {', '.join('i.' + c.strip() for c in INCIDENT_COLUMNS.split(','))}, d.published, d.rowid,"
    " i.event_id FROM incidents i JOIN documents d ON d.doc_id = i.doc_id"
)


def _report(row: Sequence[Any]) -> tuple[Report, str | None]:
    published = dt.date.fromisoformat(row[16]) if row[16] else None
    return report_of(incident_from_row(row[:16]), published=published, seq=int(row[17])), row[18]


def reports_where(db: sqlite3.Connection, where: str,
                  args: Sequence[Any] = ()) -> list[tuple[Report, str | None]]:
    """Return the stored incidents matching a WHERE clause as reports, each with its event id."""
    return [_report(row) for row in db.execute(f"{_REPORT_QUERY} WHERE {where}", tuple(args))]


def links_of(db: sqlite3.Connection, incident_ids: Iterable[str], kind: str) -> dict[str, set[str]]:
    """Return, for each incident id, the incident ids a reviewer linked it to (``apart`` or ``together``)."""
    ids = sorted(set(incident_ids))
    found: dict[str, set[str]] = {}
    if not ids:
        return found
    marks = ", ".join("?" * len(ids))
    query = f"SELECT a, b FROM event_links WHERE kind = ? AND (a IN ({marks}) OR b IN ({marks}))"
    for a, b in db.execute(query, (kind, *ids, *ids)):
        if a in ids:
            found.setdefault(a, set()).add(b)
        if b in ids:
            found.setdefault(b, set()).add(a)
    return found


def _candidate_events(db: sqlite3.Connection, reports: Sequence[Report],
                      doc_id: str) -> dict[str, list[Report]]:
    exact: set[str] = set()
    prefixes: set[str] = set()
    for report in reports:
        more, starts = probe_keys(report)
        exact |= more
        prefixes |= starts
    events: set[str] = set()
    query = ("SELECT DISTINCT i.event_id FROM event_keys k JOIN incidents i ON i.incident_id = k.incident_id"
             " WHERE i.doc_id != ? AND i.event_id IS NOT NULL AND ")
    keys = sorted(exact)
    for start in range(0, len(keys), 500):
        chunk = keys[start:start + 500]
        rows = db.execute(query + f"k.key IN ({', '.join('?' * len(chunk))})", (doc_id, *chunk))
        events.update(row[0] for row in rows)
    for prefix in sorted(prefixes):
        rows = db.execute(query + "k.key >= ? AND k.key < ?", (doc_id, prefix, prefix[:-1] + "}"))
        events.update(row[0] for row in rows)
    found: dict[str, list[Report]] = {}
    ids = sorted(events)
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        for report, event_id in reports_where(db, f"i.event_id IN ({', '.join('?' * len(chunk))})", chunk):
            found.setdefault(str(event_id), []).append(report)
    return found


def file_keys(db: sqlite3.Connection, reports: Iterable[Report]) -> None:
    """File incidents under their index keys (a saved incident row is new: its old keys went with it)."""
    db.executemany("INSERT OR IGNORE INTO event_keys (key, incident_id) VALUES (?, ?)",
                   [(key, report.incident_id) for report in reports for key in sorted(index_keys(report))])


def group_document(db: sqlite3.Connection, doc_id: str, previous: Mapping[str, str] | None = None) -> None:
    """Put a saved document's incidents into events: kept, linked by a reviewer, or the best fit."""
    previous = previous or {}
    mine = [report for report, _ in reports_where(db, "i.doc_id = ? ORDER BY i.seq", (doc_id,))]
    chosen: dict[str, str] = {}
    together = links_of(db, [r.incident_id for r in mine], "together")
    for report in mine:
        if report.incident_id in previous:
            chosen[report.incident_id] = previous[report.incident_id]
            continue
        partners = sorted(together.get(report.incident_id, ()))
        if partners:
            marks = ", ".join("?" * len(partners))
            row = db.execute(f"SELECT event_id FROM incidents WHERE incident_id IN ({marks})"
                             " AND event_id IS NOT NULL LIMIT 1", partners).fetchone()
            if row is not None:
                chosen[report.incident_id] = str(row[0])
    open_reports = [r for r in mine if r.incident_id not in chosen]
    if open_reports:
        candidates = _candidate_events(db, open_reports, doc_id)
        taken = set(chosen.values())
        candidates = {e: members for e, members in candidates.items() if e not in taken}
        apart = links_of(db, [r.incident_id for r in open_reports], "apart")
        for incident_id, event_id in assign_document(open_reports, candidates, apart=apart).items():
            chosen[incident_id] = event_id or new_event_id(next(r for r in open_reports
                                                                 if r.incident_id == incident_id))
    db.executemany("UPDATE incidents SET event_id = ? WHERE incident_id = ?",
                   [(chosen[report.incident_id], report.incident_id) for report in mine])
    file_keys(db, mine)


def events_of(db: sqlite3.Connection, doc_id: str) -> dict[str, str]:
    """Return the event id of each of a document's stored incidents."""
    rows = db.execute("SELECT incident_id, event_id FROM incidents WHERE doc_id = ? AND event_id IS NOT NULL",
                      (doc_id,))
    return {str(a): str(b) for a, b in rows}


def link(db: sqlite3.Connection, a: str, b: str, kind: str) -> None:
    """Record a reviewer's link between two incidents (replacing any earlier link between them)."""
    first, second = sorted((a, b))
    db.execute("INSERT OR REPLACE INTO event_links (a, b, kind) VALUES (?, ?, ?)", (first, second, kind))


def group_everything(db: sqlite3.Connection) -> None:
    """Group every stored document in the order they were added (once, when an old store is upgraded)."""
    for (doc_id,) in db.execute("SELECT doc_id FROM documents ORDER BY rowid").fetchall():
        group_document(db, doc_id)
