"""Read counts written as digits or as number words.

Number words go through registry libraries: text2num for nl, en, de, fr; number-parser for uk and
ru, after pymorphy3 has brought each numeral to its nominative ("двадцати трёх" -> "двадцать три",
"п'ятьох" -> "п'ять"). The few collective numerals number-parser lacks ("трое", "семеро") come from
the ``[numbers.words]`` table of the lexicon, looked up by that nominative ("троих" -> "трое").
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from text_to_num import text2num

from gazetteer.morphology import MORPHOLOGY_LANGUAGES, numeral_base
from incidents.extract.lexicon import Lexicon, fold_apostrophes

TEXT2NUM_LANGUAGES = frozenset({"nl", "en", "de", "fr"})
NUMBER_PARSER_LANGUAGES = frozenset(MORPHOLOGY_LANGUAGES)
MAX_COUNT = 10_000_000
"""Larger values are not casualty counts (years, sums of money, phone numbers)."""

_DIGITS = re.compile(r"\d{1,3}(?:[,.\u00a0\u202f ]\d{3})+|\d+")
# Conjunctions: Ukrainian i, j, ta and Russian i, written as escapes.
_CONNECTORS = frozenset({"et", "and", "und", "en", "\u0456", "\u0439", "\u0442\u0430", "\u0438"})


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


@lru_cache(maxsize=4096)
def _number_parser(phrase: str, lang: str) -> int | None:
    from number_parser import parse_number

    # number-parser writes the Ukrainian apostrophe as U+02BC ("пʼять").
    value = parse_number(phrase.replace("'", "\u02bc"), language=lang)
    return value if isinstance(value, int) else None


def _slavic_number(words: Sequence[str], lexicon: Lexicon) -> int | None:
    lowered = [fold_apostrophes(word.lower()) for word in words]
    bases = [numeral_base(word, lexicon.lang) or word for word in lowered]
    if len(bases) == 1 and bases[0] in lexicon.number_words:
        return lexicon.number_words[bases[0]]
    for phrase in dict.fromkeys((" ".join(lowered), " ".join(bases))):
        value = _number_parser(phrase, lexicon.lang)
        if value is not None:
            return value
    return None


def parse_number_words(words: Sequence[str], lexicon: Lexicon) -> int | None:
    """Return the count a run of number words spells in the lexicon's language, or None.

    Counts above ``MAX_COUNT`` are no casualty count ("nine hundred million"): None.
    """
    value = _number_words(words, lexicon)
    return value if value is None or value <= MAX_COUNT else None


def _number_words(words: Sequence[str], lexicon: Lexicon) -> int | None:
    if not words:
        return None
    if len(words) == 1 and words[0].lower() in lexicon.not_numbers:
        return None
    if len(words) == 1 and words[0].lower() in lexicon.number_words:
        return lexicon.number_words[words[0].lower()]  # the lexicon's own words ("quarantaine")
    if not all(any(ch.isalpha() for ch in word) for word in words):
        return None
    if lexicon.lang in NUMBER_PARSER_LANGUAGES:
        return _slavic_number(words, lexicon)
    if lexicon.lang not in TEXT2NUM_LANGUAGES:
        return None
    return _text2num(" ".join(word.lower() for word in words), lexicon.lang)


@lru_cache(maxsize=65_536)
def parse_count(token: str, lexicon: Lexicon) -> int | None:
    """Return the count one token stands for (digits or a number word), or None (cached: a text asks
    again and again of the same words)."""
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
