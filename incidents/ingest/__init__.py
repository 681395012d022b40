"""Documents in: files, standard input, JSON Lines (``inputs``) and what the app is handed (``collect``).

Every entry point reduces its input to ``Document`` records and names each bad input in a one-line
error; the good ones go on to ``incidents.extract``.
"""

from __future__ import annotations

from incidents.ingest.collect import IngestReport, ingest
from incidents.ingest.inputs import read_documents

__all__ = ["IngestReport", "ingest", "read_documents"]
