"""Cut a sentence that tells of several places into one clause per place, for their own counts.

"Three died in X, while two were wounded in Y" gives X and Y their own counts: the cut is the last
clause break (comma, semicolon, colon, dash) between the two places, or else the last conjunction
("killed two in X and wounded five in Y"). Places only listed one after the
other ("X, Y and Z") share their clause, and a count in a shared clause is nobody's own.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from itertools import pairwise

from incidents.extract.lexicon import Words

_BREAK = re.compile(r"[;:\u2014\u2013]\s|,\s")
_LIST_GAP = re.compile(r"^[\s,;]*(?:\w{1,4}[\s,]*)?$")
"""What stands between two listed places: commas and at most one short word ("and", "en", "та")."""


def clause_spans(anchors: Sequence[tuple[int, int]], text: str, links: Words) -> list[tuple[int, int] | None]:
    """Return, for each anchor (the character span of one place group, in text order), its own clause.

    ``links`` are the language's conjunctions (lexicon ``places.clause_links``), cut at when no
    punctuation stands between two places. The clause runs from the break after the previous anchor
    to the break before the next one; an anchor that shares its clause with a neighbour gets None.
    """
    cuts: list[int | None] = []
    for (_, left_end), (right_start, _) in pairwise(anchors):
        gap = text[left_end:right_start]
        breaks = list(_BREAK.finditer(gap)) or links.finditer(gap)
        if not breaks or _LIST_GAP.match(gap):
            cuts.append(None)
        else:
            cuts.append(left_end + breaks[-1].start())
    spans: list[tuple[int, int] | None] = []
    for i in range(len(anchors)):
        before = 0 if i == 0 else cuts[i - 1]
        after = len(text) if i == len(anchors) - 1 else cuts[i]
        spans.append(None if before is None or after is None else (before, after))
    return spans
