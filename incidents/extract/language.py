"""Detect the language of a text among the supported ones (nl, en, de, fr, uk, ru).

py3langid restricted to the supported languages decides for ordinary text. Short texts, whose
character n-grams are dominated by place names, are decided by a vote of lexicon words (function
words, trigger and casualty words) when the vote is clear.

Cyrillic text is Ukrainian or Russian. Each word votes for the language that alone writes one of
its letters (і, ї, є, ґ against ы, э, ъ, ё) or that alone has it as a function word ("та", "що"
against "и", "что"); the majority decides, so a Russian quote inside a Ukrainian report does not
turn the report Russian. py3langid (on uk and ru only) breaks a tie.
"""

# ruff: noqa: RUF002  (Cyrillic letters are the point here)

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
CYRILLIC_LANGUAGES = ("uk", "ru")
_OWN_LETTERS = {"uk": frozenset("іїєґ"), "ru": frozenset("ыэъё")}


@cache
def _full_identifier() -> Any:
    """Return py3langid's identifier over all its languages: the one copy of its model (about 75 MB)."""
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


@cache
def _identifier(languages: tuple[str, ...] = LANGUAGES) -> Any:
    """Return an identifier restricted to ``languages``, sharing the full model's arrays."""
    from py3langid.langid import LanguageIdentifier

    full = _full_identifier()
    identifier = LanguageIdentifier(full.nb_ptc, full.nb_pc, full.nb_classes, full.tk_nextmove,
                                    full.tk_output, norm_probs=True, tk_row=full.tk_row)
    identifier.set_languages(list(languages))
    return identifier


def load_models() -> None:
    """Load py3langid's models now; otherwise the first long or tied text loads them (about 1 s)."""
    _identifier()
    _identifier(CYRILLIC_LANGUAGES)


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


@cache
def _own_function_words() -> dict[str, frozenset[str]]:
    """Return per Cyrillic language its function words the other language does not have."""
    words = {lang: load_lexicon(lang).stopwords for lang in CYRILLIC_LANGUAGES}
    shared = frozenset.intersection(*words.values())
    return {lang: words[lang] - shared for lang in CYRILLIC_LANGUAGES}


#: A lead of this many telling words settles the count (a long text need not be read to its end).
CLEAR_LEAD = 12


def cyrillic_votes(text: str) -> dict[str, int]:
    """Return per Cyrillic language how many words of ``text`` only it could have written.

    The count stops once one language leads by ``CLEAR_LEAD``.
    """
    own_words = _own_function_words()
    votes = dict.fromkeys(CYRILLIC_LANGUAGES, 0)
    for match in _WORD.finditer(text):
        word = match.group().lower()
        letters = set(word)
        for lang in CYRILLIC_LANGUAGES:
            if letters & _OWN_LETTERS[lang] or word in own_words[lang]:
                votes[lang] += 1
        if abs(votes["uk"] - votes["ru"]) >= CLEAR_LEAD:
            break
    return votes


def detect_cyrillic(text: str) -> str:
    """Return "uk" or "ru" for a Cyrillic text: the majority of telling words, else py3langid."""
    votes = cyrillic_votes(text)
    if votes["uk"] != votes["ru"]:
        return max(votes, key=lambda lang: votes[lang])
    return str(_identifier(CYRILLIC_LANGUAGES).classify(text)[0])


def detect_language(text: str) -> str:
    """Return the ISO 639-1 code of ``text``'s language, always one of ``LANGUAGES``."""
    cyrillic = len(_CYRILLIC.findall(text))
    latin = len(_LATIN.findall(text))
    if cyrillic > latin:
        return detect_cyrillic(text)
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
