"""The persistent local store: documents and their incidents in one SQLite file.

Each document is saved in its own transaction with its incidents, so a crash mid-import loses nothing
already saved. Adding the same text again adds nothing. Reviews (deletions and corrections of
incidents) are kept apart from what the extractor said, keyed by the stable ``incident_id``, and are
applied again whenever a document's incidents are replaced by a new extraction.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import sqlite3
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from gazetteer.records import Place, Precision
from incidents.errors import DocumentConflictError, StoreError, UnknownRecordError
from incidents.records import Casualties, Document, Incident, IncidentPlace, IncidentType

STORE_FILE = "store.sqlite3"
HOME_ENV = "INCIDENTS_HOME"
SCHEMA_VERSION = 1

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS documents (
    doc_id TEXT PRIMARY KEY,
    content_hash TEXT NOT NULL UNIQUE,
    text TEXT NOT NULL,
    lang TEXT,
    published TEXT,
    source TEXT,
    added_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS incidents (
    incident_id TEXT PRIMARY KEY,
    doc_id TEXT NOT NULL REFERENCES documents(doc_id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    type TEXT NOT NULL,
    subtype TEXT,
    places TEXT NOT NULL,
    killed INTEGER,
    injured INTEGER,
    date TEXT,
    lang TEXT NOT NULL,
    evidence TEXT NOT NULL,
    source TEXT,
    confidence REAL NOT NULL,
    evidence_start INTEGER NOT NULL,
    evidence_end INTEGER NOT NULL,
    reviewed INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS incidents_by_doc ON incidents(doc_id, seq);
CREATE TABLE IF NOT EXISTS reviews (
    incident_id TEXT PRIMARY KEY,
    doc_id TEXT NOT NULL REFERENCES documents(doc_id) ON DELETE CASCADE,
    action TEXT NOT NULL CHECK (action IN ('delete', 'correct')),
    changes TEXT NOT NULL,
    reviewed_at TEXT NOT NULL
);
"""


def default_path(environ: Mapping[str, str] | None = None) -> Path:
    """Return the store file: ``$INCIDENTS_HOME/store.sqlite3``, else in the user's data folder."""
    env = os.environ if environ is None else environ
    home = env.get(HOME_ENV)
    if home:
        return Path(home) / STORE_FILE
    from platformdirs import user_data_dir

    return Path(user_data_dir("incidents")) / STORE_FILE


def content_hash(text: str) -> str:
    """Return the SHA-256 of a document's text with surrounding and line-end whitespace ignored."""
    normal = "\n".join(line.rstrip() for line in text.strip().splitlines())
    return hashlib.sha256(normal.encode("utf-8")).hexdigest()


@dataclass(frozen=True, slots=True)
class StoredDocument:
    """A document as kept in the store, with its hash, when it was added and how many incidents it has."""

    document: Document
    content_hash: str
    added_at: str
    incident_count: int


def _place_to_json(where: IncidentPlace) -> dict[str, Any]:
    p = where.place
    return {
        "id": p.id, "name": p.name, "lat": p.lat, "lon": p.lon, "country_code": p.country_code,
        "admin1": p.admin1, "feature": p.feature, "population": p.population,
        "precision": str(p.precision), "radius_km": p.radius_km,
        "mention": where.mention, "start": where.start, "end": where.end,
    }


def _place_from_json(obj: Mapping[str, Any]) -> IncidentPlace:
    place = Place(
        id=obj["id"], name=obj["name"], lat=float(obj["lat"]), lon=float(obj["lon"]),
        country_code=obj["country_code"], admin1=obj["admin1"], feature=obj["feature"],
        population=int(obj["population"]), precision=Precision(obj["precision"]),
        radius_km=obj["radius_km"],
    )
    return IncidentPlace(place=place, mention=obj["mention"], start=int(obj["start"]), end=int(obj["end"]))


def _changes_of(incident: Incident) -> dict[str, Any]:
    """Return the fields a reviewer may correct, as JSON-ready values."""
    return {
        "type": str(incident.type),
        "subtype": incident.subtype,
        "killed": incident.casualties.killed,
        "injured": incident.casualties.injured,
        "date": incident.date.isoformat() if incident.date else None,
        "places": [_place_to_json(w) for w in incident.places],
    }


def _apply_changes(incident: Incident, changes: Mapping[str, Any]) -> Incident:
    return replace(
        incident,
        type=IncidentType(changes["type"]),
        subtype=changes["subtype"],
        casualties=Casualties(killed=changes["killed"], injured=changes["injured"]),
        date=dt.date.fromisoformat(changes["date"]) if changes["date"] else None,
        places=tuple(_place_from_json(p) for p in changes["places"]),
    )


def _incident_row(incident: Incident, seq: int, reviewed: bool) -> tuple[Any, ...]:
    return (
        incident.incident_id, incident.doc_id, seq, str(incident.type), incident.subtype,
        json.dumps([_place_to_json(w) for w in incident.places], ensure_ascii=False),
        incident.casualties.killed, incident.casualties.injured,
        incident.date.isoformat() if incident.date else None, incident.lang, incident.evidence,
        incident.source, float(incident.confidence), incident.evidence_span[0], incident.evidence_span[1],
        int(reviewed),
    )


_INCIDENT_COLUMNS = (
    "incident_id, doc_id, seq, type, subtype, places, killed, injured, date, lang, evidence, source, "
    "confidence, evidence_start, evidence_end, reviewed"
)
_INSERT_INCIDENT = f"INSERT INTO incidents ({_INCIDENT_COLUMNS}) VALUES ({', '.join('?' * 16)})"


def _incident_from_row(row: Sequence[Any]) -> Incident:
    return Incident(
        incident_id=row[0], doc_id=row[1], type=IncidentType(row[3]), subtype=row[4],
        places=tuple(_place_from_json(p) for p in json.loads(row[5])),
        casualties=Casualties(killed=row[6], injured=row[7]),
        date=dt.date.fromisoformat(row[8]) if row[8] else None,
        lang=row[9], evidence=row[10], source=row[11], confidence=float(row[12]),
        evidence_span=(int(row[13]), int(row[14])),
    )


def _document_from_row(row: Sequence[Any]) -> Document:
    return Document(
        id=row[0], text=row[1], lang=row[2],
        published=dt.date.fromisoformat(row[3]) if row[3] else None, source=row[4],
    )


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


class Store:
    """Documents and incidents in a SQLite file; safe to open from several processes at once."""

    def __init__(self, path: str | os.PathLike[str] | None = None) -> None:
        self.path = Path(path) if path is not None else default_path()
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self._connect() as db:
                for statement in _SCHEMA.split(";"):
                    db.execute(statement)
                db.execute("INSERT OR IGNORE INTO meta VALUES ('schema', ?)", (str(SCHEMA_VERSION),))
                db.execute("INSERT OR IGNORE INTO meta VALUES ('revision', '0')")
        except (OSError, sqlite3.Error) as err:
            msg = f"cannot open the store {str(self.path)!r}: {err}"
            raise StoreError(msg) from err

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        """Yield a connection inside one transaction: committed on success, rolled back on error."""
        try:
            db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        except sqlite3.Error as err:
            msg = f"cannot open the store {str(self.path)!r}: {err}"
            raise StoreError(msg) from err
        try:
            db.execute("PRAGMA foreign_keys = ON")
            db.execute("PRAGMA journal_mode = WAL")
            db.execute("BEGIN IMMEDIATE")
            try:
                yield db
            except BaseException:
                db.execute("ROLLBACK")
                raise
            db.execute("COMMIT")
        except sqlite3.Error as err:
            msg = f"store {str(self.path)!r}: {err}"
            raise StoreError(msg) from err
        finally:
            db.close()

    @staticmethod
    def _bump(db: sqlite3.Connection) -> None:
        db.execute("UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'revision'")

    def revision(self) -> int:
        """Return a number that changes whenever the store's content changes (for caches)."""
        with self._connect() as db:
            return int(db.execute("SELECT value FROM meta WHERE key = 'revision'").fetchone()[0])

    def has_text(self, text: str) -> bool:
        """Tell whether a document with this text is already stored."""
        with self._connect() as db:
            found = db.execute("SELECT 1 FROM documents WHERE content_hash = ?", (content_hash(text),))
            return found.fetchone() is not None

    def add_document(self, doc: Document, incidents: Iterable[Incident]) -> bool:
        """Save a document and its incidents; return False (and change nothing) if its text is stored.

        Raise ``DocumentConflictError`` when another text is stored under the same document id.
        """
        digest = content_hash(doc.text)
        found = list(incidents)
        _check_owner(doc.id, found)
        with self._connect() as db:
            if db.execute("SELECT 1 FROM documents WHERE content_hash = ?", (digest,)).fetchone():
                return False
            if db.execute("SELECT 1 FROM documents WHERE doc_id = ?", (doc.id,)).fetchone():
                msg = f"document id {doc.id!r} is already in the store with a different text"
                raise DocumentConflictError(msg)
            db.execute(
                "INSERT INTO documents VALUES (?, ?, ?, ?, ?, ?, ?)",
                (doc.id, digest, doc.text, doc.lang,
                 doc.published.isoformat() if doc.published else None, doc.source, _now()),
            )
            self._insert_incidents(db, doc.id, found)
            self._bump(db)
        return True

    def replace_incidents(self, doc_id: str, incidents: Iterable[Incident]) -> None:
        """Replace a stored document's incidents with a new extraction, re-applying its reviews."""
        found = list(incidents)
        _check_owner(doc_id, found)
        with self._connect() as db:
            self._require_document(db, doc_id)
            db.execute("DELETE FROM incidents WHERE doc_id = ?", (doc_id,))
            self._insert_incidents(db, doc_id, found)
            self._bump(db)

    def _insert_incidents(self, db: sqlite3.Connection, doc_id: str, incidents: list[Incident]) -> None:
        query = "SELECT incident_id, action, changes FROM reviews WHERE doc_id = ?"
        reviews = {row[0]: (row[1], json.loads(row[2])) for row in db.execute(query, (doc_id,))}
        rows = []
        for seq, incident in enumerate(incidents):
            action, changes = reviews.get(incident.incident_id, (None, None))
            if action == "delete":
                continue
            if action == "correct" and changes is not None:
                incident = _apply_changes(incident, changes)
            rows.append(_incident_row(incident, seq, reviewed=action is not None))
        ids = [row[0] for row in rows]
        clash = next((i for i in ids if ids.count(i) > 1), None) or next(
            (i for i in ids if db.execute("SELECT 1 FROM incidents WHERE incident_id = ?", (i,)).fetchone()),
            None)
        if clash is not None:
            msg = f"cannot save the incidents of {doc_id!r}: incident id {clash!r} is already stored"
            raise StoreError(msg)
        db.executemany(_INSERT_INCIDENT, rows)

    @staticmethod
    def _require_document(db: sqlite3.Connection, doc_id: str) -> None:
        if not db.execute("SELECT 1 FROM documents WHERE doc_id = ?", (doc_id,)).fetchone():
            msg = f"no document {doc_id!r} in the store"
            raise UnknownRecordError(msg)

    def delete_document(self, doc_id: str) -> bool:
        """Delete a document with its incidents and reviews; return False if it was not stored."""
        with self._connect() as db:
            gone = db.execute("DELETE FROM documents WHERE doc_id = ?", (doc_id,)).rowcount > 0
            if gone:
                self._bump(db)
            return gone

    def delete_incident(self, incident_id: str) -> None:
        """Delete a wrong incident, and remember the deletion so a re-extraction does not bring it back."""
        with self._connect() as db:
            doc_id = self._doc_of(db, incident_id)
            db.execute("DELETE FROM incidents WHERE incident_id = ?", (incident_id,))
            db.execute("INSERT OR REPLACE INTO reviews VALUES (?, ?, 'delete', '{}', ?)",
                       (incident_id, doc_id, _now()))
            self._bump(db)

    def correct_incident(self, corrected: Incident) -> Incident:
        """Save a reviewer's version of an incident (type, subtype, places, counts, date) and return it.

        The correction is marked reviewed and applied again after any re-extraction of its document.
        """
        with self._connect() as db:
            doc_id = self._doc_of(db, corrected.incident_id)
            row = db.execute(f"SELECT {_INCIDENT_COLUMNS} FROM incidents WHERE incident_id = ?",
                             (corrected.incident_id,)).fetchone()
            changes = _changes_of(corrected)
            stored = _apply_changes(_incident_from_row(row), changes)
            db.execute("INSERT OR REPLACE INTO reviews VALUES (?, ?, 'correct', ?, ?)",
                       (corrected.incident_id, doc_id, json.dumps(changes, ensure_ascii=False), _now()))
            db.execute("DELETE FROM incidents WHERE incident_id = ?", (corrected.incident_id,))
            db.execute(_INSERT_INCIDENT, _incident_row(stored, int(row[2]), reviewed=True))
            self._bump(db)
        return stored

    @staticmethod
    def _doc_of(db: sqlite3.Connection, incident_id: str) -> str:
        row = db.execute("SELECT doc_id FROM incidents WHERE incident_id = ?", (incident_id,)).fetchone()
        if row is None:
            msg = f"no incident {incident_id!r} in the store"
            raise UnknownRecordError(msg)
        return str(row[0])

    def incidents(self, *, doc_id: str | None = None) -> list[Incident]:
        """Return the stored incidents (of one document, or all) in document and extraction order."""
        query = f"SELECT {_INCIDENT_COLUMNS} FROM incidents"
        args: tuple[str, ...] = ()
        if doc_id is not None:
            query += " WHERE doc_id = ?"
            args = (doc_id,)
        with self._connect() as db:
            rows = db.execute(query + " ORDER BY doc_id, seq", args).fetchall()
        return [_incident_from_row(row) for row in rows]

    def reviewed_ids(self) -> frozenset[str]:
        """Return the ids of incidents a reviewer corrected or confirmed."""
        with self._connect() as db:
            return frozenset(r[0] for r in db.execute("SELECT incident_id FROM incidents WHERE reviewed = 1"))

    def documents(self) -> list[StoredDocument]:
        """Return the stored documents, oldest first, with their incident counts."""
        with self._connect() as db:
            rows = db.execute(
                "SELECT d.doc_id, d.text, d.lang, d.published, d.source, d.content_hash, d.added_at,"
                " (SELECT COUNT(*) FROM incidents i WHERE i.doc_id = d.doc_id)"
                " FROM documents d ORDER BY d.added_at, d.doc_id"
            ).fetchall()
        return [StoredDocument(_document_from_row(r[:5]), r[5], r[6], int(r[7])) for r in rows]

    def document(self, doc_id: str) -> Document:
        """Return one stored document; raise ``UnknownRecordError`` if it is not stored."""
        with self._connect() as db:
            row = db.execute("SELECT doc_id, text, lang, published, source FROM documents WHERE doc_id = ?",
                             (doc_id,)).fetchone()
        if row is None:
            msg = f"no document {doc_id!r} in the store"
            raise UnknownRecordError(msg)
        return _document_from_row(row)


def _check_owner(doc_id: str, incidents: Sequence[Incident]) -> None:
    for incident in incidents:
        if incident.doc_id != doc_id:
            msg = f"incident {incident.incident_id!r} belongs to {incident.doc_id!r}, not to {doc_id!r}"
            raise StoreError(msg)
