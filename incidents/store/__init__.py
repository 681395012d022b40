"""The persistent local store: documents and their incidents in one SQLite file.

Each document is saved in its own transaction with its incidents, so a crash mid-import loses nothing
already saved. Adding the same text again adds nothing. Reviews (deletions and corrections of
incidents) are kept apart from what the extractor said, keyed by the stable ``incident_id``, and are
applied again whenever a document's incidents are replaced by a new extraction.

The room: ``schema`` (the file, its tables, one transaction per call), ``rows`` (records to rows and
back), ``documents``, ``incidents``, ``reviews`` and ``events`` (one concern each; ``grouping`` files each
document's incidents into events as it is saved); ``Store`` joins them.
"""

from __future__ import annotations

from incidents.store.documents import StoredDocument
from incidents.store.events import Events
from incidents.store.incidents import Incidents
from incidents.store.reviews import Reviews
from incidents.store.schema import HOME_ENV, SCHEMA_VERSION, STORE_FILE, content_hash, default_path

__all__ = [
    "HOME_ENV",
    "SCHEMA_VERSION",
    "STORE_FILE",
    "Store",
    "StoredDocument",
    "content_hash",
    "default_path",
]


class Store(Incidents, Reviews, Events):
    """Documents, incidents, reviews and events in a SQLite file; safe to open from several processes."""
