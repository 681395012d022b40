"""Resolve when an incident happened from the time words of its sentence and the publication date.

Relative words ("vannacht", "yesterday", "gestern", "hier", "вчора") are day offsets from the
publication date, weekdays are the latest such day on or before it, and explicit dates ("op 13 mei",
"on May 13", "13. Mai 2024") are read as written (the year defaults to the publication's). Without a
publication date only a date with a year can be resolved; nothing found gives None, never the
publication date itself. A date after the publication date resolves to None, and so does a relative
day before the first day the calendar has.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, replace
from functools import cache

from incidents.extract.lexicon import Lexicon, pattern_source

_ISO = re.compile(r"(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)")


@dataclass(frozen=True, slots=True)
class TimeMention:
    """A time expression found in text, with the date it stands for (None when unresolvable)."""

    start: int
    end: int
    text: str
    date: dt.date | None
    period: bool = False
    """The date starts a period ("since 7 October"), so it is no incident's date."""
    day_part: bool = False
    """A part of the publication day ("this morning", "ce matin"), which a weekday beside it may date."""


@cache
def _date_patterns(lexicon: Lexicon) -> tuple[re.Pattern[str], re.Pattern[str]]:
    months = "|".join(f"({pattern_source(p)})" for w in lexicon.months for p in w.patterns)
    day_first = re.compile(
        rf"(?<!\w)(\d{{1,2}})\.?\s+(?:{months})(?!\w)(?:\s+(\d{{4}}))?", re.IGNORECASE)
    month_first = re.compile(
        rf"(?<!\w)(?:{months})\s+(\d{{1,2}})(?:st|nd|rd|th)?(?!\w)(?:,?\s+(\d{{4}}))?", re.IGNORECASE)
    return day_first, month_first


def date_spans(text: str, lexicon: Lexicon) -> list[tuple[int, int]]:
    """Return the character spans of the calendar dates in a text ("on March 2", "am 2. März")."""
    if not any(c.isdigit() for c in text):
        return []
    return [m.span() for pattern in _date_patterns(lexicon) for m in pattern.finditer(text)
            if all(int(day) <= 31 for day in _DAY.findall(m.group()))]


_DAY = re.compile(r"(?<!\d)\d{1,2}(?!\d)")


def _month_of(match: re.Match[str], first_group: int) -> int:
    for number in range(12):
        if match.group(first_group + number):
            return number + 1
    return 0


def _make_date(year: int | None, month: int, day: int, published: dt.date | None) -> dt.date | None:
    if year is None:
        if published is None:
            return None
        year = published.year
        try:
            candidate = dt.date(year, month, day)
        except ValueError:
            return None
        return candidate if candidate <= published else _make_date(year - 1, month, day, None)
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _starts_period(text: str, start: int, lexicon: Lexicon) -> bool:
    """Tell whether a "since" word ends right before offset ``start`` ("depuis le 7 octobre")."""
    head = text[max(0, start - 24) : start]
    return any(not head[m.end() :].strip() for m in lexicon.since.finditer(head))


def _explicit(text: str, lexicon: Lexicon, published: dt.date | None) -> list[TimeMention]:
    return [replace(m, period=_starts_period(text, m.start, lexicon))
            for m in _explicit_dates(text, lexicon, published)]


def _explicit_dates(text: str, lexicon: Lexicon, published: dt.date | None) -> list[TimeMention]:
    day_first, month_first = _date_patterns(lexicon)
    found = []
    for m in day_first.finditer(text):
        year = m.group(14)
        found.append(TimeMention(m.start(), m.end(), m.group(), _make_date(
            int(year) if year else None, _month_of(m, 2), int(m.group(1)), published)))
    for m in month_first.finditer(text):
        year = m.group(14)
        found.append(TimeMention(m.start(), m.end(), m.group(), _make_date(
            int(year) if year else None, _month_of(m, 1), int(m.group(13)), published)))
    for m in _ISO.finditer(text):
        found.append(TimeMention(m.start(), m.end(), m.group(), _make_date(
            int(m.group(1)), int(m.group(2)), int(m.group(3)), None)))
    return found


def _day_of(tag: str, published: dt.date | None) -> dt.date | None:
    if published is None:
        return None
    kind, _, value = tag.partition(":")
    try:
        if kind == "day":
            return published + dt.timedelta(days=int(value))
        return published - dt.timedelta(days=(published.weekday() - int(value)) % 7)
    except OverflowError:  # "yesterday" in a text published on 0001-01-01: no such day
        return None


def _relative(text: str, lexicon: Lexicon, published: dt.date | None) -> list[TimeMention]:
    """Return relative days and weekdays: one pass of the lexicon's combined time expression."""
    return [TimeMention(start, end, text[start:end], _day_of(tag, published), day_part=tag == "day:0")
            for start, end, tag in lexicon.times.finditer(text)]


def _not_after(mention: TimeMention, published: dt.date | None) -> TimeMention:
    """Unresolve a date after the publication date: a report cannot tell of an incident still to come."""
    if published is not None and mention.date is not None and mention.date > published:
        return replace(mention, date=None)
    return mention


def find_times(text: str, lexicon: Lexicon, published: dt.date | None) -> tuple[TimeMention, ...]:
    """Return every time expression of ``text`` in order, resolved against ``published``."""
    found = [_not_after(m, published)
             for m in (*_explicit(text, lexicon, published), *_relative(text, lexicon, published))]
    kept: list[TimeMention] = []
    for mention in sorted(found, key=lambda t: (t.start, -(t.end - t.start))):
        if not any(mention.start < k.end and k.start < mention.end for k in kept):
            kept.append(mention)
    return tuple(_qualified(text, kept))


#: What may stand between a day and the part of it that qualifies it: a comma, one short word.
_QUALIFIER_GAP = re.compile(r"[\s,]*(?:\w{1,3}\s+)?")


def _qualified(text: str, mentions: list[TimeMention]) -> list[TimeMention]:
    """Date a part of the day right beside a weekday or a date by that day ("Sunday morning", "dimanche
    matin", "in the morning on Sunday"): the part of that day, not of the publication day. A night
    is left as it is: "the night to Wednesday" began on Tuesday."""
    out = list(mentions)
    for i in range(len(out) - 1):
        first, second = out[i], out[i + 1]
        if first.day_part == second.day_part or not _QUALIFIER_GAP.fullmatch(text[first.end : second.start]):
            continue
        day = second if first.day_part else first
        if day.date is not None and not day.period:
            index = i if first.day_part else i + 1
            out[index] = replace(out[index], date=day.date)
    return out


def resolve_date(
    text: str, lexicon: Lexicon, published: dt.date | None, *, near: int = 0
) -> dt.date | None:
    """Return the date of the resolvable time expression nearest to offset ``near``, or None.

    A date that starts a period ("since 7 October") is skipped: it dates a war, not an incident.
    """
    resolved = [t for t in find_times(text, lexicon, published) if t.date is not None and not t.period]
    if not resolved:
        return None
    best = min(resolved, key=lambda t: min(abs(t.start - near), abs(t.end - near)))
    return best.date
