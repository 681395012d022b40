"""The incidents package's errors: one root, subclasses mixed with builtins where natural."""

from __future__ import annotations


class IncidentsError(Exception):
    """Root of every error the incidents package raises on purpose."""


class InputError(IncidentsError, ValueError):
    """An input (file, line, URL, upload) cannot be turned into a document; the message names it."""
