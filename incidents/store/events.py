"""The store's events: read them with their reports, and let a reviewer split an event or merge two."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence

from incidents.errors import UnknownRecordError
from incidents.events import EventSummary, report_of, summarize_event
from incidents.events.reports import Report
from incidents.records import Incident
from incidents.store.grouping import link, reports_where
from incidents.store.schema import Database


class Events(Database):
    """Events across documents, grouped as documents arrive; a reviewer's splits and merges stick."""

    def events(self, *, incidents: Sequence[Incident] | None = None,
               shared_only: bool = False) -> list[EventSummary]:
        """Return every event with its reports (oldest first), counts across reports and places.

        ``incidents``: every stored incident, as ``incidents()`` just returned them; then only the
        event ids and the documents' dates and order are read (a large store is not decoded twice).
        ``shared_only``: only the events of several reports (the map draws each as one pin), a few
        of a large store's events, so the map need not wait for all of them.
        """
        if incidents is None:
            with self._connect() as db:
                found = reports_where(db, "i.event_id IS NOT NULL ORDER BY d.rowid, i.seq")
        else:
            found = self._reports_of(incidents, shared_only=shared_only)
        members: dict[str, list[Report]] = {}
        for report, event_id in found:
            members.setdefault(str(event_id), []).append(report)
        return [summarize_event(event_id, reports) for event_id, reports in members.items()
                if not shared_only or len(reports) > 1]

    def _reports_of(self, incidents: Sequence[Incident], *,
                    shared_only: bool = False) -> list[tuple[Report, str | None]]:
        with self._connect() as db:
            rows = db.execute("SELECT doc_id, published, rowid FROM documents").fetchall()
        docs = {str(d): (dt.date.fromisoformat(p) if p else None, int(n)) for d, p, n in rows}
        ids = self.event_ids()
        if shared_only:
            sizes = Counter(ids.values())
            ids = {incident: event for incident, event in ids.items() if sizes[event] > 1}
        # incidents() lists each document's incidents in extraction order: a stable sort keeps it.
        ordered = sorted((i for i in incidents if i.incident_id in ids and i.doc_id in docs),
                         key=lambda i: docs[i.doc_id][1])
        return [(report_of(i, published=docs[i.doc_id][0], seq=docs[i.doc_id][1]), ids[i.incident_id])
                for i in ordered]

    def event_ids(self) -> dict[str, str]:
        """Return the event id of every stored incident, by incident id."""
        with self._connect() as db:
            rows = db.execute("SELECT incident_id, event_id FROM incidents WHERE event_id IS NOT NULL")
            return {str(a): str(b) for a, b in rows}

    def split_incident(self, incident_id: str) -> str:
        """Take an incident out of its event into an event of its own; return the new event's id.

        The reviewer's split is kept: later grouping never puts it back with the reports it left.
        """
        with self._connect() as db:
            row = db.execute("SELECT event_id FROM incidents WHERE incident_id = ?",
                             (incident_id,)).fetchone()
            if row is None:
                msg = f"no incident {incident_id!r} in the store"
                raise UnknownRecordError(msg)
            others = [r[0] for r in db.execute(
                "SELECT incident_id FROM incidents WHERE event_id = ? AND incident_id != ?",
                (row[0], incident_id))]
            new_id = f"ev-{incident_id}"
            if new_id == row[0] and others:  # it founded the event: the others keep it under a new id
                db.execute("UPDATE incidents SET event_id = ? WHERE event_id = ? AND incident_id != ?",
                           (f"ev-{others[0]}", row[0], incident_id))
            db.execute("UPDATE incidents SET event_id = ? WHERE incident_id = ?", (new_id, incident_id))
            for other in others:
                link(db, incident_id, other, "apart")
            self._bump(db)
        return new_id

    def merge_events(self, keep: str, other: str) -> None:
        """Put every report of event ``other`` into event ``keep``; later grouping keeps them together."""
        with self._connect() as db:
            kept = [r[0] for r in db.execute("SELECT incident_id FROM incidents WHERE event_id = ?", (keep,))]
            query = "SELECT incident_id FROM incidents WHERE event_id = ?"
            moved = [r[0] for r in db.execute(query, (other,))]
            if not kept or not moved:
                msg = f"no event {(keep if not kept else other)!r} in the store"
                raise UnknownRecordError(msg)
            for incident_id in moved:
                for partner in kept:
                    link(db, incident_id, partner, "together")
            db.execute("UPDATE incidents SET event_id = ? WHERE event_id = ?", (keep, other))
            self._bump(db)
