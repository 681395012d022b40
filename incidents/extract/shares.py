"""A place's own share of a sentence's total: "killed 35 people, including 12 in Khan Younis".

A subset word, a count and a locative right before a place give that place its own count; the
sentence's total is then no count of that place (it is the wider area's, or a campaign's).
"""

from __future__ import annotations

import dataclasses

from incidents.extract.casualties import CasualtyReading
from incidents.extract.lexicon import Lexicon, category
from incidents.extract.numbers import parse_count
from incidents.extract.text import tokens_of

PHRASE_WORDS = 3
"""Words a subset phrase ("among them", "в том числе") or a locative ("in", "на території") may take."""


def share_before(text: str, start: int, lexicon: Lexicon) -> int | None:
    """Return N when "<subset> N <locative>" stands right before ``start`` of sentence ``text``, else None.

    "including 12 in Khan Younis", "dont 12 à Khan Younès", "в том числе 12 в Хан-Юнисе".
    """
    before = [t for t in tokens_of(text) if t.end <= start]
    subset = category(lexicon.casualties, "subset")
    locative = category(lexicon.places, "locative")
    for length in range(1, PHRASE_WORDS + 1):
        at = len(before) - length - 1  # the count's token
        if at < 1 or not locative.fullmatch(text[before[at + 1].start:start].strip()):
            continue
        value = parse_count(before[at].text, lexicon)
        if value is None:
            continue
        for words in range(1, min(PHRASE_WORDS, at) + 1):
            if subset.fullmatch(text[before[at - words].start:before[at].start].strip(" ,")):
                return value
    return None


def own_share(reading: CasualtyReading, share: int) -> CasualtyReading | None:
    """Return the reading a place with its own share has: the share, of the one kind the total counts.

    None when the sentence counts both kinds or neither (the share's kind is unclear).
    """
    if (reading.killed is None) == (reading.injured is None):
        return None
    if reading.killed is not None:
        return dataclasses.replace(CasualtyReading(), killed=share)
    return dataclasses.replace(CasualtyReading(), injured=share)
