"""Tests of the messages that report an import."""

from __future__ import annotations

from incidents.explore.notices import Level, Notice, ingest_notices
from incidents.ingest.collect import IngestReport


def test_each_outcome_has_its_message() -> None:
    report = IngestReport(added=("a", "b"), duplicates=("c",), failed=("x: bad",), incidents=5)
    notices = ingest_notices(report, "the files")
    assert [n.level for n in notices] == [Level.SUCCESS, Level.INFO, Level.ERROR]
    assert "2 document(s) with 5 incident(s)" in notices[0].text
    assert notices[1].text.endswith(": c") and notices[2] == Notice(Level.ERROR, "x: bad")


def test_nothing_found_is_a_warning_naming_the_input() -> None:
    (notice,) = ingest_notices(IngestReport(), "the feed")
    assert notice.level == Level.WARNING and "the feed" in notice.text


def test_levels_are_streamlit_element_names() -> None:
    assert {str(level) for level in Level} == {"success", "info", "warning", "error"}
