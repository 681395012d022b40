"""Tests of number reading: digits, text2num words, Ukrainian and Russian words through pymorphy3 and
number-parser (tests/cases/numbers_slavic.jsonl: cardinals and collectives in several cases)."""

# ruff: noqa: RUF001  (Cyrillic is the point here)

from __future__ import annotations

import json
from typing import Any

import pytest

from incidents.extract.lexicon import load_lexicon
from incidents.extract.numbers import parse_count, parse_digits, parse_number_words
from tests.paths import CASES

SLAVIC = [json.loads(line) for line in
          (CASES / "numbers_slavic.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.mark.parametrize(("token", "value"), [("12", 12), ("35,000", 35000), ("35.000", 35000),
                                              ("1\u00a0200", 1200), ("30 000", 30000), ("x1", None),
                                              ("99999999999", None), ("000", None), ("07", None), ("0", 0)])
def test_digits(token: str, value: int | None) -> None:
    assert parse_digits(token) == value


@pytest.mark.parametrize(
    ("lang", "word", "value"),
    [("nl", "vier", 4), ("nl", "drieëntwintig", 23), ("nl", "één", 1), ("nl", "een", None),
     ("en", "forty-three", 43), ("en", "a", None), ("de", "Zwölf", 12), ("de", "ein", None),
     ("fr", "onze", 11), ("fr", "une", None), ("uk", "троє", 3),
     ("uk", "\u043f\u2019\u044f\u0442\u0435\u0440\u043e", 5),
     ("uk", "дев'ятнадцять", 19), ("en", "dozens", None), ("nl", "Kyiv", None)],
)
def test_number_words(lang: str, word: str, value: int | None) -> None:
    assert parse_count(word, load_lexicon(lang)) == value


def test_ukrainian_phrases_add_up() -> None:
    uk = load_lexicon("uk")
    assert parse_number_words(["двадцять", "три"], uk) == 23
    assert parse_number_words(["дві", "тисячі"], uk) == 2000
    assert parse_number_words(["двадцять", "Київ"], uk) is None


def test_multi_word_phrases_through_text2num() -> None:
    assert parse_number_words(["two", "hundred"], load_lexicon("en")) == 200
    assert parse_number_words([], load_lexicon("en")) is None


@pytest.mark.parametrize("case", SLAVIC, ids=lambda c: f"{c['lang']}:{' '.join(c['words'])}")
def test_slavic_number_words(case: dict[str, Any]) -> None:
    assert parse_number_words(case["words"], load_lexicon(case["lang"])) == case["value"]


def test_both_apostrophes_read_alike() -> None:
    uk = load_lexicon("uk")
    assert parse_count("п'ятеро", uk) == parse_count("п\u2019ятеро", uk) == 5
    assert parse_count("п\u02bcятеро", uk) == 5


@pytest.mark.parametrize(("lang", "word"), [("en", "billion"), ("en", "trillion"), ("de", "Milliarde"),
                                            ("fr", "milliard"), ("nl", "miljard")])
def test_number_words_over_the_count_limit_are_no_counts(lang: str, word: str) -> None:
    assert parse_count(word, load_lexicon(lang)) is None


def test_digits_and_words_share_one_upper_bound() -> None:
    lexicon = load_lexicon("en")
    assert parse_count("million", lexicon) == 1_000_000
    assert parse_count("99999999999", lexicon) is None


def test_number_phrases_over_the_count_limit_are_no_counts() -> None:
    assert parse_number_words(["nine", "hundred", "million"], load_lexicon("en")) is None
    assert parse_number_words(["nine", "hundred"], load_lexicon("en")) == 900
