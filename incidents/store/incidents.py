"""The store's incidents: replace a document's incidents with a new extraction, read them back."""

from __future__ import annotations

from collections.abc import Iterable

from incidents.records import Incident
from incidents.store.documents import Documents
from incidents.store.grouping import events_of, group_document
from incidents.store.rows import INCIDENT_COLUMNS, check_owner, incident_from_row, insert_incidents


class Incidents(Documents):
    """Incidents, in document and extraction order."""

    def replace_incidents(self, doc_id: str, incidents: Iterable[Incident]) -> None:
        """Replace a stored document's incidents with a new extraction, re-applying its reviews.

        An incident that keeps its id keeps its event; new ones are grouped as on arrival.
        """
        found = list(incidents)
        check_owner(doc_id, found)
        with self._connect() as db:
            self._require_document(db, doc_id)
            previous = events_of(db, doc_id)
            db.execute("DELETE FROM incidents WHERE doc_id = ?", (doc_id,))
            insert_incidents(db, doc_id, found)
            group_document(db, doc_id, previous)
            self._bump(db)

    def incidents(self, *, doc_id: str | None = None) -> list[Incident]:
        """Return the stored incidents (of one document, or all) in document and extraction order."""
        query = f"SELECT {INCIDENT_COLUMNS} FROM incidents"
        args: tuple[str, ...] = ()
        if doc_id is not None:
            query += " WHERE doc_id = ?"
            args = (doc_id,)
        with self._connect() as db:
            rows = db.execute(query + " ORDER BY doc_id, seq", args).fetchall()
        seen: dict[object, object] = {}  # one record per place, shared by its incidents
        return [incident_from_row(row, seen=seen) for row in rows]
