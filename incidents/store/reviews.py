"""Reviews: a reviewer's deletions and corrections, kept apart and applied again after re-extraction."""

from __future__ import annotations

import json
import sqlite3

from incidents.errors import UnknownRecordError
from incidents.records import Incident
from incidents.store.grouping import events_of, group_document
from incidents.store.rows import (
    INCIDENT_COLUMNS,
    INSERT_INCIDENT,
    apply_changes,
    changes_of,
    incident_from_row,
    incident_row,
)
from incidents.store.schema import Database, now


class Reviews(Database):
    """Deleting and correcting incidents by hand."""

    def delete_incident(self, incident_id: str) -> None:
        """Delete a wrong incident, and remember the deletion so a re-extraction does not bring it back."""
        with self._connect() as db:
            doc_id = self._doc_of(db, incident_id)
            db.execute("DELETE FROM incidents WHERE incident_id = ?", (incident_id,))
            db.execute("INSERT OR REPLACE INTO reviews VALUES (?, ?, 'delete', '{}', ?)",
                       (incident_id, doc_id, now()))
            self._bump(db)

    def correct_incident(self, corrected: Incident) -> Incident:
        """Save a reviewer's version of an incident (type, subtype, places, counts, date) and return it.

        The correction is marked reviewed and applied again after any re-extraction of its document.
        """
        with self._connect() as db:
            doc_id = self._doc_of(db, corrected.incident_id)
            row = db.execute(f"SELECT {INCIDENT_COLUMNS}, event_id FROM incidents WHERE incident_id = ?",
                             (corrected.incident_id,)).fetchone()
            changes = changes_of(corrected)
            stored = apply_changes(incident_from_row(row[:16]), changes)
            db.execute("INSERT OR REPLACE INTO reviews VALUES (?, ?, 'correct', ?, ?)",
                       (corrected.incident_id, doc_id, json.dumps(changes, ensure_ascii=False), now()))
            db.execute("DELETE FROM incidents WHERE incident_id = ?", (corrected.incident_id,))
            db.execute(INSERT_INCIDENT, incident_row(stored, int(row[2]), reviewed=True))
            previous = events_of(db, doc_id)
            if row[16] is not None:  # the corrected incident stays in its event
                previous[corrected.incident_id] = str(row[16])
            group_document(db, doc_id, previous)
            self._bump(db)
        return stored

    @staticmethod
    def _doc_of(db: sqlite3.Connection, incident_id: str) -> str:
        row = db.execute("SELECT doc_id FROM incidents WHERE incident_id = ?", (incident_id,)).fetchone()
        if row is None:
            msg = f"no incident {incident_id!r} in the store"
            raise UnknownRecordError(msg)
        return str(row[0])

    def reviewed_ids(self) -> frozenset[str]:
        """Return the ids of incidents a reviewer corrected or confirmed."""
        with self._connect() as db:
            return frozenset(r[0] for r in db.execute("SELECT incident_id FROM incidents WHERE reviewed = 1"))
