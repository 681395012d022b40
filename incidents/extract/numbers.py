"""Read counts written as digits or as number words.

Number words go through the registry library text2num (nl, en, de, fr); it has no Ukrainian, so
Ukrainian numerals come from the ``[numbers.words]`` table of ``uk.toml`` (cardinal and collective
forms in their common cases), added up in order ("двадцять три" = 23, "дві тисячі" = 2000).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from text_to_num import text2num

from incidents.extract.lexicon import Lexicon, fold_apostrophes

TEXT2NUM_LANGUAGES = frozenset({"nl", "en", "de", "fr"})
MAX_COUNT = 10_000_000
"""Larger values are not casualty counts (years, sums of money, phone numbers)."""

_DIGITS = re.compile(r"\d{1,3}(?:[,.\u00a0\u202f ]\d{3})+|\d+")
_CONNECTORS = frozenset({"et", "and", "und", "en", "\u0456", "\u0439", "\u0442\u0430"})  # i, j, ta


def parse_digits(token: str) -> int | None:
    """Return the integer a digit token stands for ("35,000", "35.000", "12"), or None."""
    if not _DIGITS.fullmatch(token) or (token.startswith("0") and len(token) > 1):
        return None  # "000" is a digit group cut off its number, "07" a date or a time
    value = int(re.sub(r"\D", "", token))
    return value if value <= MAX_COUNT else None


@lru_cache(maxsize=4096)
def _text2num(phrase: str, lang: str) -> int | None:
    try:
        value = text2num(phrase, lang)
    except ValueError:
        return None
    return int(value)


def _table_number(words: Sequence[str], table: dict[str, int]) -> int | None:
    total = 0
    current = 0
    for word in words:
        value = table.get(fold_apostrophes(word.lower()))
        if value is None:
            return None
        if value == 1000:
            total += max(current, 1) * 1000
            current = 0
        else:
            current += value
    return total + current


def parse_number_words(words: Sequence[str], lexicon: Lexicon) -> int | None:
    """Return the number a run of number words spells in the lexicon's language, or None."""
    if not words:
        return None
    if len(words) == 1 and words[0].lower() in lexicon.not_numbers:
        return None
    if lexicon.number_words:
        return _table_number(words, lexicon.number_words)
    if lexicon.lang not in TEXT2NUM_LANGUAGES:
        return None
    phrase = " ".join(word.lower() for word in words)
    if not any(ch.isalpha() for ch in phrase):
        return None
    return _text2num(phrase, lexicon.lang)


def parse_count(token: str, lexicon: Lexicon) -> int | None:
    """Return the count one token stands for (digits or a number word), or None."""
    digits = parse_digits(token)
    if digits is not None:
        return digits
    if not token[:1].isalpha():
        return None
    value = parse_number_words([token], lexicon)
    return value if value is None or value <= MAX_COUNT else None  # "billion": no casualty count


def is_connector(token: str) -> bool:
    """Tell whether a word may join two number words ("vingt et un", "twenty and one")."""
    return token.lower() in _CONNECTORS
