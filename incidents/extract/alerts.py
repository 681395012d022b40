"""Alerts told with no place: placed at the document's focus (an official's region or the dateline town)."""

from __future__ import annotations

from dataclasses import replace

from incidents.extract.casualties import CasualtyReading
from incidents.extract.classify import SentenceClass
from incidents.extract.focus import focus_place
from incidents.extract.reading import ReadingState
from incidents.records import IncidentType, Sentence


class AlertReading(ReadingState):
    """Place an alert that names no place where the document is about."""

    def focus(self, index: int, sentence: Sentence, cls: SentenceClass, reading: CasualtyReading) -> bool:
        """Open an alert told with no place at the document's focus place (title region or dateline)."""
        alerts = tuple(t for t in cls.triggers if t.type == IncidentType.ALERT)
        place = focus_place(self.title_regions(), self.dateline) if alerts else None
        if place is None:
            return False
        told = self.current  # counts that follow still belong to the attack, not to the alert
        self.open(index, sentence, replace(cls, triggers=alerts), [place], reading, focused=True)
        self.current = told
        return True
