"""Reduce inflected Ukrainian and Russian words to their dictionary forms with pymorphy3.

The analysers (OpenCorpora and VESUM dictionaries, from the ``pymorphy3-dicts-ru`` and
``pymorphy3-dicts-uk`` packages) load on first use, so a gazetteer that never meets Cyrillic text
never pays for them; results are cached per word, and callers ask only about candidate words
(capitalised words no name covers), never about every token.
"""



from __future__ import annotations

from functools import cache, lru_cache
from typing import Any

MORPHOLOGY_LANGUAGES = ("uk", "ru")
#: Letters only one of the two languages writes: they pick the analyser.
_ONLY = {"uk": frozenset("іїєґ"), "ru": frozenset("ыэъё")}
#: Parts of speech whose dictionary form can be (part of) a place name.
_NOUN, _ADJECTIVE = "NOUN", "ADJF"
#: Readings as a person's name ("Джун" as a genitive of the Russian first name "Джуна") are no places.
_PERSON = frozenset({"Name", "Surn", "Patr"})


@cache
def _analyzer(lang: str) -> Any:
    import pymorphy3

    return pymorphy3.MorphAnalyzer(lang=lang)


def languages_of(word: str) -> tuple[str, ...]:
    """Return the languages whose analyser should read ``word`` (both when its letters allow both).

    Not the text's language: a Russian text writes Ukrainian places whose Russian forms the
    dictionaries lack ("в Хорлах" comes back to the Ukrainian "Хорли"), and the other way round.
    """
    letters = set(word.lower())
    own = tuple(lang for lang in MORPHOLOGY_LANGUAGES if letters & _ONLY[lang])
    return own if len(own) == 1 else MORPHOLOGY_LANGUAGES


def _forms(parse: Any) -> list[str]:
    tag = parse.tag
    if tag.grammemes & _PERSON:
        return []
    if _NOUN in tag:
        return [str(parse.normal_form)]
    if _ADJECTIVE in tag:
        # Region names are feminine ("Харківська область", "Белгородская область"), districts masculine.
        feminine = parse.inflect({"femn", "nomn"})
        return [str(parse.normal_form), *([str(feminine.word)] if feminine is not None else [])]
    return []


@lru_cache(maxsize=65_536)
def base_forms(word: str) -> tuple[str, ...]:
    """Return the nominative forms a Cyrillic word may be a case form of, most likely first, lower-cased.

    ``Харкові`` -> ``харків``; ``Белгородской`` -> ``белгородский``, ``белгородская``. Words the
    dictionaries lack are guessed from their endings by the analyser. Readings as a person's name are
    left out. Nothing for other scripts.
    """
    lower = word.lower().replace("\u2019", "'").replace("\u02bc", "'")
    if not any("\u0400" <= ch <= "\u04ff" for ch in lower):
        return ()
    out: dict[str, None] = {}
    for lang in languages_of(lower):
        for parse in _analyzer(lang).parse(lower):
            out.update(dict.fromkeys(_forms(parse)))
    return tuple(out)


@lru_cache(maxsize=8192)
def numeral_base(word: str, lang: str) -> str | None:
    """Return the nominative of a numeral in ``lang`` ("трёх" -> "три", "п'ятьох" -> "п'ятеро"), or None.

    None when no reading of the word is a numeral ("людей").
    """
    lower = word.lower().replace("\u2019", "'").replace("\u02bc", "'")
    for parse in _analyzer(lang).parse(lower):
        if "NUMR" in parse.tag:
            return str(parse.normal_form)
    return None
