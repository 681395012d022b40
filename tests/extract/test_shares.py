"""A place's own share of a sentence's total ("killed 35, including 12 in X")."""

# ruff: noqa: RUF001  (Ukrainian and Russian sentences are the point here)

from __future__ import annotations

import pytest

from incidents.extract.casualties import CasualtyReading
from incidents.extract.lexicon import load_lexicon
from incidents.extract.shares import own_share, share_before


@pytest.mark.parametrize(("lang", "text", "place", "share"), [
    ("en", "Strikes killed 30 people, including 11 in Sumy.", "Sumy", 11),
    ("en", "Strikes killed 30 people, among them eleven in Sumy.", "Sumy", 11),
    ("fr", "Les frappes ont tué 30 personnes, dont 11 à Soumy.", "Soumy", 11),
    ("nl", "De aanvallen kostten 30 mensen het leven, onder wie 11 in Soemy.", "Soemy", 11),
    ("uk", "Удари забрали життя 30 людей, зокрема 11 у Сумах.", "Сумах", 11),
    ("ru", "Удары унесли жизни 30 человек, в том числе 11 в Сумах.", "Сумах", 11),
    ("en", "Strikes killed 30 people in Sumy.", "Sumy", None),  # no subset word: the total is Sumy's
    ("en", "Including the strike in Sumy, 30 people died.", "Sumy", None),  # no count before the place
])
def test_a_subset_count_right_before_a_place_is_its_share(lang: str, text: str, place: str,
                                                          share: int | None) -> None:
    assert share_before(text, text.index(place), load_lexicon(lang)) == share


def test_the_share_counts_what_the_total_counts() -> None:
    assert own_share(CasualtyReading(killed=30), 11) == CasualtyReading(killed=11)
    assert own_share(CasualtyReading(injured=30), 11) == CasualtyReading(injured=11)
    assert own_share(CasualtyReading(killed=3, injured=30), 11) is None  # which kind is unclear
