"""Score how sure an assembled incident is, from its evidence and its signs of doubt."""

from __future__ import annotations

from gazetteer.records import Precision
from incidents.extract.containment import PRECISION_RANK
from incidents.extract.draft import Draft

PRECISION_DOUBT = {Precision.POINT: 0.0, Precision.LOCALITY: 0.0, Precision.DISTRICT: 0.03,
                   Precision.REGION: 0.1, Precision.COUNTRY: 0.2}
"""What a vague place costs an incident's confidence, by the precision of its finest place."""
DOUBTS = (("hedged", 0.15), ("reported", 0.05), ("anaphoric", 0.2), ("focused", 0.3), ("inherited", 0.1))
"""What each sign of doubt costs: a hedge, reported speech, a place read from a nameless phrase or
from the document's focus, a type or place taken from the incident before."""


def confidence(draft: Draft) -> float:
    """Rank an incident: a named weapon, counts and a date raise it; doubts and vague places lower it."""
    score = 0.6
    score += 0.15 if draft.subtype is not None else 0.0
    score += 0.1 if draft.killed is not None or draft.injured is not None else 0.0
    score += 0.05 if draft.date is not None else 0.0
    score -= sum(cost for name, cost in DOUBTS if getattr(draft, name))
    finest = min((t.place.precision for t in draft.places), key=PRECISION_RANK.__getitem__)
    score -= PRECISION_DOUBT[finest]
    return round(min(0.99, max(0.05, score)), 3)
