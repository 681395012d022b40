"""The incidents package's errors: one root, subclasses mixed with builtins where natural."""

from __future__ import annotations


class IncidentsError(Exception):
    """Root of every error the incidents package raises on purpose."""


class InputError(IncidentsError, ValueError):
    """An input (file, line, URL, upload) cannot be turned into a document; the message names it."""


class MapAssetError(IncidentsError, LookupError):
    """The map needs a JavaScript or CSS file that has no local copy (it would come from a CDN)."""


class StoreError(IncidentsError):
    """The local store cannot be opened, read or written; the message names the file."""


class DocumentConflictError(StoreError, ValueError):
    """A different document with the same id is already in the store."""


class UnknownRecordError(StoreError, LookupError):
    """No document or incident with the given id is in the store."""


class CollectError(InputError):
    """A URL or feed cannot be fetched or read (offline, refused, not a feed); the message says which."""


class ExportError(IncidentsError):
    """An export file cannot be written; the message names the format and the reason."""


class EvaluationFormatError(IncidentsError, ValueError):
    """The gold file or the predicted Features are malformed; the message names the file, line or item."""
