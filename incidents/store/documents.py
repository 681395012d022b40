"""The store's documents: add one (once per text), read them back, delete one."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass

from incidents.errors import DocumentConflictError, UnknownRecordError
from incidents.records import Document, Incident
from incidents.store.grouping import group_document
from incidents.store.rows import check_owner, document_from_row, insert_incidents
from incidents.store.schema import Database, content_hash, now


@dataclass(frozen=True, slots=True)
class StoredDocument:
    """A document as kept in the store, with its hash, when it was added and how many incidents it has."""

    document: Document
    content_hash: str
    added_at: str
    incident_count: int



class Documents(Database):
    """Documents and what was added with them."""

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
        check_owner(doc.id, found)
        with self._connect() as db:
            if db.execute("SELECT 1 FROM documents WHERE content_hash = ?", (digest,)).fetchone():
                return False
            if db.execute("SELECT 1 FROM documents WHERE doc_id = ?", (doc.id,)).fetchone():
                msg = f"document id {doc.id!r} is already in the store with a different text"
                raise DocumentConflictError(msg)
            db.execute(
                "INSERT INTO documents VALUES (?, ?, ?, ?, ?, ?, ?)",
                (doc.id, digest, doc.text, doc.lang,
                 doc.published.isoformat() if doc.published else None, doc.source, now()),
            )
            insert_incidents(db, doc.id, found)
            group_document(db, doc.id)
            self._bump(db)
        return True

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

    def documents(self) -> list[StoredDocument]:
        """Return the stored documents, oldest first, with their incident counts."""
        with self._connect() as db:
            rows = db.execute(
                "SELECT d.doc_id, d.text, d.lang, d.published, d.source, d.content_hash, d.added_at,"
                " (SELECT COUNT(*) FROM incidents i WHERE i.doc_id = d.doc_id)"
                " FROM documents d ORDER BY d.added_at, d.doc_id"
            ).fetchall()
        return [StoredDocument(document_from_row(r[:5]), r[5], r[6], int(r[7])) for r in rows]

    def document(self, doc_id: str) -> Document:
        """Return one stored document; raise ``UnknownRecordError`` if it is not stored."""
        with self._connect() as db:
            row = db.execute("SELECT doc_id, text, lang, published, source FROM documents WHERE doc_id = ?",
                             (doc_id,)).fetchone()
        if row is None:
            msg = f"no document {doc_id!r} in the store"
            raise UnknownRecordError(msg)
        return document_from_row(row)
