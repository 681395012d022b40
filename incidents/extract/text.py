"""Split text into sentences and word tokens, keeping character offsets into the document.

Sentence splitting knows abbreviations (passed in from the lexicon), initials, decimal numbers,
closing quotes and brackets after a full stop, and treats a blank line or a line break before a
short heading as a boundary.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise

from incidents.records import Sentence

_TOKEN = re.compile(
    r"\d{1,3}(?:[,.\u00a0\u202f ]\d{3})+(?!\d)"  # 35,000 / 35.000 / 35 000 (space: French)
    r"|\d+(?:-[^\W\d_]\w*)+"  # 4-jarige, 13-year-old: an age, not a count
    r"|\d+(?:[.,]\d+)?"
    r"|\b(?:[a-zA-Z]|qu|jusqu|lorsqu|puisqu)['\u2019](?=\w)"  # French elision: l', d', qu'
    r"|\w+(?:[-'\u2019\u02bc]\w+)*"
    r"|[^\w\s]",
)
_CLOSERS = "\"'\u201d\u2019\u00bb)]\u203a"
_OPENERS = "\"'\u201c\u2018\u201e\u00ab(\u2039[\u2014\u2013-"
_BOUNDARY = re.compile(r"[.!?\u2026]+")
_SENTENCE_HEAD = re.compile(rf"\s*[{re.escape(_OPENERS)}]*\s*")
_PARAGRAPH = re.compile(r"\n\s*\n")
_DATELINE = re.compile(
    r"\A\s*[A-ZÀ-ÖØ-ÞА-ЯІЇЄҐ][A-ZÀ-ÖØ-ÞА-ЯІЇЄҐ .'\-/]{1,40}"  # KYIV / GAZA-STAD / КИЇВ
    r"(?:,\s*[^\n()\-\u2013\u2014,]{1,30}){0,2}"  # , Ukraine / , March 3
    r"(?:\s*\([^()\n]{1,40}\))?\s*[-\u2013\u2014:]\s"
)


@dataclass(frozen=True, slots=True)
class Token:
    """A word, number or punctuation mark with its character span."""

    start: int
    end: int
    text: str


def tokenize(text: str, *, offset: int = 0) -> tuple[Token, ...]:
    """Return the tokens of ``text``; spans are shifted by ``offset``."""
    return tuple(Token(m.start() + offset, m.end() + offset, m.group()) for m in _TOKEN.finditer(text))


@lru_cache(maxsize=1024)
def tokens_of(text: str) -> tuple[Token, ...]:
    """Return the tokens of ``text``, cached: several steps read the same sentence."""
    return tokenize(text)


def dateline_end(text: str) -> int:
    """Return where a leading dateline ("KYIV (ANP) - ") ends, or 0 when there is none."""
    match = _DATELINE.match(text)
    return match.end() if match else 0


def _word_before(text: str, pos: int) -> str:
    start = pos
    while start > 0 and (text[start - 1].isalnum() or text[start - 1] == "."):
        start -= 1
    return text[start:pos]


def _is_abbreviation(text: str, dot: int, abbreviations: frozenset[str]) -> bool:
    word = _word_before(text, dot).lower()
    if not word:
        return False
    if len(word) == 1 and word.isalpha():  # an initial: "J. Smith"
        return True
    return word.rstrip(".") in abbreviations


_NEXT_WORD = re.compile(r"\s*(\w+)")


def _ordinal_date(text: str, dot: int, months: frozenset[str]) -> bool:
    """Tell whether the dot at ``dot`` follows a day's number and a month name follows it."""
    day = _word_before(text, dot)
    after = _NEXT_WORD.match(text, dot + 1)
    return day.isdigit() and len(day) <= 2 and after is not None and after.group(1).lower() in months


def _starts_sentence(text: str, pos: int) -> bool:
    """Tell whether the text after a candidate boundary looks like a sentence start.

    Spaces, then opening quotes or brackets, then spaces are skipped without copying the rest of the
    text (a copy per boundary made long documents quadratic).
    """
    head = _SENTENCE_HEAD.match(text, pos)
    first = head.end() if head else pos
    return first == len(text) or text[first].isupper() or text[first].isdigit()


def _boundaries(text: str, abbreviations: frozenset[str], months: frozenset[str]) -> Iterable[int]:
    for match in _BOUNDARY.finditer(text):
        end = match.end()
        while end < len(text) and text[end] in _CLOSERS:
            end += 1
        if end < len(text) and not text[end].isspace():
            continue  # 3.5, e.g.text, www.site
        if match.group() == "." and (_is_abbreviation(text, match.start(), abbreviations)
                                     or _ordinal_date(text, match.start(), months)):
            continue
        if _starts_sentence(text, end):
            yield end
    for match in _PARAGRAPH.finditer(text):
        yield match.start()
    if _hard_wrapped(text):
        return  # lines broken inside sentences: a line end is a space, not a heading's end
    for match in re.finditer(r"\n", text):
        line_start = text.rfind("\n", 0, match.start()) + 1
        line = text[line_start : match.start()].strip()
        if line and not line.endswith((",", ";")) and len(line) < 120 and line[-1] not in ".!?":
            yield match.start()  # a heading or a list item on its own line


SOFT_WRAPS = 2
"""Line ends inside a sentence (the next line going on in lower case) that mark a hard-wrapped text."""


def _hard_wrapped(text: str) -> bool:
    """Tell whether the text's lines are broken inside sentences (pasted from a narrow column)."""
    wraps = 0
    for match in re.finditer(r"[ \t]*\n[ \t]*", text):
        before = text[match.start() - 1] if match.start() else ""
        after = text[match.end()] if match.end() < len(text) else ""
        if (before.isalpha() or before == ",") and after.islower():
            wraps += 1
    return wraps >= SOFT_WRAPS


def _trimmed(text: str, start: int, end: int) -> Sentence | None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return Sentence(start, end, text[start:end]) if start < end else None


def split_sentences(text: str, *, abbreviations: frozenset[str] = frozenset(),
                    months: frozenset[str] = frozenset()) -> tuple[Sentence, ...]:
    """Split ``text`` into sentences whose spans index into ``text``.

    A day's ordinal dot before a month name ("am 12. März") ends no sentence; ``months`` are the
    language's month names in lower case.
    """
    cuts = sorted({0, len(text), *_boundaries(text, abbreviations, months)})
    sentences = []
    for start, end in pairwise(cuts):
        sentence = _trimmed(text, start, end)
        if sentence is not None:
            sentences.append(sentence)
    return tuple(sentences)


def paragraph_starts(text: str) -> tuple[int, ...]:
    """Return the offsets where paragraphs (blocks separated by blank lines) start."""
    return (0, *(m.end() for m in _PARAGRAPH.finditer(text)))
