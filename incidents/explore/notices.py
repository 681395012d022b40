"""Turn what an import did into messages for the user, each with its level."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from incidents.ingest.collect import IngestReport


class Level(StrEnum):
    """How a message is shown (the names of Streamlit's message elements)."""

    SUCCESS = "success"
    INFO = "info"
    WARNING = "warning"
    ERROR = "error"


@dataclass(frozen=True, slots=True)
class Notice:
    """One message for the user."""

    level: Level
    text: str


def ingest_notices(report: IngestReport, what: str) -> list[Notice]:
    """Return the messages that report an import of ``what`` ("the pasted text", "the feed")."""
    notices = []
    if report.added:
        notices.append(Notice(Level.SUCCESS, f"Added {len(report.added)} document(s) with "
                                             f"{report.incidents} incident(s)."))
    if report.duplicates:
        stored = ", ".join(report.duplicates)
        notices.append(Notice(Level.INFO, f"Already in the store (nothing added): {stored}"))
    notices.extend(Notice(Level.ERROR, message) for message in report.failed)
    if not (report.added or report.duplicates or report.failed):
        notices.append(Notice(Level.WARNING, f"No documents found in {what}."))
    return notices
