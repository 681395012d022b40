"""Detect the language of a text among the supported ones (nl, en, de, fr, uk).

py3langid restricted to the supported languages decides for ordinary text. Short texts, whose
character n-grams are dominated by place names, are decided by a vote of lexicon words (function
words, trigger and casualty words) when the vote is clear; Cyrillic text is Ukrainian.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import cache
from typing import Any

from incidents.extract.lexicon import LANGUAGES, Lexicon, load_lexicon

DEFAULT_LANGUAGE = "en"
SHORT_TEXT = 200
"""Below this many characters the lexicon vote goes first."""
MIN_CONFIDENCE = 0.9

_WORD = re.compile(r"[^\W\d_]+(?:['\u2019][^\W\d_]+)?")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_LATIN = re.compile(r"[A-Za-z\u00c0-\u024f]")


@cache
def _identifier() -> Any:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    identifier.set_languages(list(LANGUAGES))
    return identifier


def _lexicon_hits(words: list[str], lexicon: Lexicon) -> int:
    hits = sum(1 for w in words if w in lexicon.stopwords)
    joined = " ".join(words)
    for _, triggers in (*lexicon.strike, *lexicon.alert):
        hits += len(triggers.finditer(joined))
    return hits


def vote_language(text: str) -> tuple[str, int] | None:
    """Return the language whose lexicon words occur most in ``text`` and by how much it leads."""
    words = [w.lower() for w in _WORD.findall(text)]
    if not words:
        return None
    scores = Counter({lang: _lexicon_hits(words, load_lexicon(lang)) for lang in LANGUAGES})
    ranked = scores.most_common(2)
    (best, top), (_, second) = ranked[0], ranked[1]
    return (best, top - second) if top > 0 else None


def classify_language(text: str) -> tuple[str, float]:
    """Return py3langid's best supported language and its probability."""
    lang, probability = _identifier().classify(text)
    return str(lang), float(probability)


def detect_language(text: str) -> str:
    """Return the ISO 639-1 code of ``text``'s language, always one of ``LANGUAGES``."""
    cyrillic = len(_CYRILLIC.findall(text))
    latin = len(_LATIN.findall(text))
    if cyrillic > latin:
        return "uk"
    if latin == 0:
        return DEFAULT_LANGUAGE
    if len(text) < SHORT_TEXT:
        vote = vote_language(text)
        if vote is not None and vote[1] >= 1:
            return vote[0]
    lang, probability = classify_language(text)
    if probability < MIN_CONFIDENCE:
        vote = vote_language(text)
        if vote is not None and vote[1] >= 2:
            return vote[0]
    return lang if lang in LANGUAGES else DEFAULT_LANGUAGE
