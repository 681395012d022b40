"""Reduce inflected Ukrainian and Russian numerals to their dictionary forms with pymorphy3.

The analysers (dictionaries from the ``pymorphy3-dicts-ru`` and ``pymorphy3-dicts-uk`` packages)
load on first use, so a process that never reads a Slavic number word never pays for them; results
are cached per word, and callers ask only about words next to a casualty cue, not every token.

Place names are not read here: on our own case forms pymorphy3 and the suffix rules of
``data/inflections.toml`` are about even (50 and 49 of 52), and on the Ukrainian dev passages the
forms only pymorphy3 reads ("в Ізраїлі") reach extraction rules that do not yet handle them.
"""



from __future__ import annotations

from functools import cache, lru_cache
from typing import Any

MORPHOLOGY_LANGUAGES = ("uk", "ru")


@cache
def _analyzer(lang: str) -> Any:
    import pymorphy3

    return pymorphy3.MorphAnalyzer(lang=lang)


@lru_cache(maxsize=8192)
def numeral_base(word: str, lang: str) -> str | None:
    """Return the nominative of a numeral in ``lang`` ("трёх" -> "три", "пятерых" -> "пятеро"), or None.

    None when no reading of the word is a numeral ("людей").
    """
    lower = word.lower().replace("\u2019", "'").replace("\u02bc", "'")
    for parse in _analyzer(lang).parse(lower):
        if "NUMR" in parse.tag:
            return str(parse.normal_form)
    return None
