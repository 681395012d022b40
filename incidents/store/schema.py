"""The store's file, its schema, and the one way to open it: a connection inside one transaction."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import sqlite3
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

from incidents.errors import StoreError

STORE_FILE = "store.sqlite3"
HOME_ENV = "INCIDENTS_HOME"
SCHEMA_VERSION = 2
"""1: documents, incidents, reviews. 2: events (``incidents.event_id``, ``event_keys``, ``event_links``)."""

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
    reviewed INTEGER NOT NULL DEFAULT 0,
    event_id TEXT
);
CREATE INDEX IF NOT EXISTS incidents_by_doc ON incidents(doc_id, seq);
CREATE TABLE IF NOT EXISTS reviews (
    incident_id TEXT PRIMARY KEY,
    doc_id TEXT NOT NULL REFERENCES documents(doc_id) ON DELETE CASCADE,
    action TEXT NOT NULL CHECK (action IN ('delete', 'correct')),
    changes TEXT NOT NULL,
    reviewed_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS event_keys (
    key TEXT NOT NULL,
    incident_id TEXT NOT NULL REFERENCES incidents(incident_id) ON DELETE CASCADE,
    PRIMARY KEY (key, incident_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS event_keys_by_incident ON event_keys(incident_id);
CREATE TABLE IF NOT EXISTS event_links (
    a TEXT NOT NULL,
    b TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('apart', 'together')),
    PRIMARY KEY (a, b)
);
CREATE INDEX IF NOT EXISTS event_links_by_b ON event_links(b);
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


def now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")



def _migrate(db: sqlite3.Connection) -> None:
    """Upgrade a store written by an older version: version 1 had no events, so group what it holds."""
    columns = {row[1] for row in db.execute("PRAGMA table_info(incidents)")}
    if "event_id" not in columns:
        db.execute("ALTER TABLE incidents ADD COLUMN event_id TEXT")
    db.execute("CREATE INDEX IF NOT EXISTS incidents_by_event ON incidents(event_id)")
    version = int(db.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()[0])
    if version < 2:
        from incidents.store.grouping import group_everything

        group_everything(db)
        db.execute("UPDATE meta SET value = ? WHERE key = 'schema'", (str(SCHEMA_VERSION),))
        db.execute("UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'revision'")


class Database:
    """A SQLite file with the store's schema; safe to open from several processes at once."""

    def __init__(self, path: str | os.PathLike[str] | None = None) -> None:
        self.path = Path(path) if path is not None else default_path()
        self._held: sqlite3.Connection | None = None
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self._connect() as db:
                for statement in _SCHEMA.split(";"):
                    db.execute(statement)
                db.execute("INSERT OR IGNORE INTO meta VALUES ('schema', ?)", (str(SCHEMA_VERSION),))
                db.execute("INSERT OR IGNORE INTO meta VALUES ('revision', '0')")
                _migrate(db)
        except (OSError, sqlite3.Error) as err:
            msg = f"cannot open the store {str(self.path)!r}: {err}"
            raise StoreError(msg) from err

    def _open(self) -> sqlite3.Connection:
        try:
            db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
            db.execute("PRAGMA foreign_keys = ON")
            db.execute("PRAGMA journal_mode = WAL")
        except sqlite3.Error as err:
            msg = f"cannot open the store {str(self.path)!r}: {err}"
            raise StoreError(msg) from err
        return db

    @contextmanager
    def kept_open(self) -> Iterator[None]:
        """Keep one connection open for the calls inside the block (each still its own transaction).

        An import of many documents then pays for opening the file, and for the checkpoint SQLite runs
        when the last connection closes, once instead of once a document.
        """
        if self._held is not None:
            yield
            return
        self._held = self._open()
        try:
            yield
        finally:
            held, self._held = self._held, None
            if held is not None:
                held.close()

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        """Yield a connection inside one transaction: committed on success, rolled back on error."""
        held = self._held
        db = held if held is not None else self._open()
        try:
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
            if db is not held:
                db.close()

    @staticmethod
    def _bump(db: sqlite3.Connection) -> None:
        db.execute("UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'revision'")

    def revision(self) -> int:
        """Return a number that changes whenever the store's content changes (for caches)."""
        with self._connect() as db:
            return int(db.execute("SELECT value FROM meta WHERE key = 'revision'").fetchone()[0])
