"""Tests of the pymorphy3 reading of Ukrainian and Russian numerals."""



from __future__ import annotations

import pytest

from gazetteer.morphology import numeral_base


@pytest.mark.parametrize(("word", "lang", "base"), [
    ("трёх", "ru", "три"), ("пятерых", "ru", "пятеро"), ("двадцати", "ru", "двадцать"),
    ("п'ятьох", "uk", "п'ять"), ("сімох", "uk", "сім"), ("людей", "uk", None),
])
def test_numerals_come_back_to_their_nominative(word: str, lang: str, base: str | None) -> None:
    assert numeral_base(word, lang) == base
