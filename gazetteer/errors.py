"""The gazetteer package's errors: one root, subclasses mixed with builtins where natural."""

from __future__ import annotations


class GazetteerError(Exception):
    """Root of every error the gazetteer package raises on purpose."""


class IndexMissingError(GazetteerError, FileNotFoundError):
    """The local index has not been built (or was removed); the message says how to build it."""


class GazetteerFormatError(GazetteerError, ValueError):
    """A data file or a built index cannot be read: the message names the file and the problem."""


class BuildError(GazetteerError, RuntimeError):
    """The index cannot be built from its sources; the message names the source."""


class GazetteerServiceError(GazetteerError, ConnectionError):
    """An online geocoding service (the opt-in Nominatim fallback) failed; the message names it."""
