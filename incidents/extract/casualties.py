"""Read killed and injured counts out of one sentence.

A count is a number next to a casualty word: before it ("vier mensen gewond", "16 people have been
killed", with person words, auxiliaries and "at least" in between) or right after it ("killing two
people", "загинуло троє"). Vague amounts ("tientallen", "dozens") give no number, a negation next to
the word ("geen gewonden", "no casualties", "Постраждалих немає") gives 0. Breakdowns ("dont sept
enfants"), partitives ("van de gewonden zijn er drie") and campaign totals ("since October") are
not counts of the incident. Words for the affected ("постраждалих") mean both killed and injured
when negated and the injured when counted. Where there are no articles, a grammatically singular cue
next to one person ("загинула жінка") counts 1.
"""

from __future__ import annotations

import itertools
from bisect import bisect_left, bisect_right
from dataclasses import dataclass

from incidents.extract.lexicon import Lexicon, Words, category
from incidents.extract.numbers import is_connector, parse_count, parse_number_words
from incidents.extract.text import Token, tokens_of
from incidents.extract.when import date_spans

MAX_PERSON_GAP = 7
"""How many tokens may stand between a number and its casualty word."""
MAX_FREE_WORDS = 2
"""Unknown words allowed between a number and a person word ("five suspected Islamic militants")."""
CAMPAIGN_WINDOW = 6
"""Tokens after a count searched for a campaign marker ("35,000 killed since October")."""
CAMPAIGN_LOOKBACK = 14
"""Tokens before a count searched for a campaign marker ("Since the start of the war, 35,000 ...")."""
ZERO_GAP = 3
"""Tokens that may stand between a casualty word and its negation."""
RECEIVE_GAP = 3
"""Tokens a singular verb of receiving may stand before its injury word ("получил осколочные ранения")."""
AFTER_GAP = 2
"""Fillers and dashes that may stand between a casualty word and the count after it ("Getötet wurden
zwei", "Загиблих — двоє")."""
_CLAUSE_ENDS = frozenset({";", ".", "!", "?"})
_DASHES = frozenset({"-", "\u2013", "\u2014", ":"})


@dataclass(frozen=True, slots=True)
class CasualtyReading:
    """What one sentence says about casualties.

    ``killed``/``injured`` are None when no number is given; the ``*_vague`` flags say the sentence
    names casualties without a number ("dozens"); ``unknown`` says it declares them unknown.
    A count in ``added`` is an addition ("ще три людини"): a later total replaces it.
    """

    killed: int | None = None
    injured: int | None = None
    killed_vague: bool = False
    injured_vague: bool = False
    unknown: bool = False
    added: frozenset[str] = frozenset()
    """The kinds ("killed", "injured") whose count only adds to an earlier toll ("three more died")."""

    @property
    def empty(self) -> bool:
        """Tell whether the sentence says nothing about casualties."""
        return (self.killed is None and self.injured is None and not self.killed_vague
                and not self.injured_vague and not self.unknown)


@dataclass(frozen=True, slots=True)
class _Cue:
    first: int  # token index of the cue's first token
    last: int  # token index of the cue's last token
    kind: str  # killed, injured, both, affected


class _Marks:
    """Which tokens of a sentence belong to which lexicon category."""

    def __init__(self, tokens: tuple[Token, ...], text: str, lexicon: Lexicon) -> None:
        self.tokens = tokens
        self.lexicon = lexicon
        self.text = text
        self._starts = [t.start for t in tokens]
        self._ends = [t.end for t in tokens]
        self.sets: dict[str, frozenset[int]] = {}  # filled on first use: most sentences need few
        self._dates: frozenset[int] | None = None

    def _covered(self, words: Words) -> frozenset[int]:
        covered: set[int] = set()
        for match in words.finditer(self.text):
            covered.update(self.span_tokens(match.start(), match.end()))
        return frozenset(covered)

    def span_tokens(self, start: int, end: int) -> range:
        """Return the indices of the tokens inside the character span [start, end)."""
        first = bisect_right(self._ends, start)
        return range(first, max(first, bisect_left(self._starts, end)))

    def tokens_in(self, name: str) -> frozenset[int]:
        """Return the tokens in category ``name`` (found on first use: most sentences need few)."""
        found = self.sets.get(name)
        if found is None:
            found = self.sets[name] = self._covered(category(self.lexicon.casualties, name))
        return found

    def has(self, name: str, index: int) -> bool:
        """Tell whether token ``index`` is in category ``name``."""
        return index in self.tokens_in(name)

    @property
    def dates(self) -> frozenset[int]:
        """The tokens inside calendar dates: the day of a date is no count ("on March 2 injured 20")."""
        if self._dates is None:
            spans = date_spans(self.text, self.lexicon)
            self._dates = frozenset(i for start, end in spans for i in self.span_tokens(start, end))
        return self._dates

    def number_at(self, index: int) -> tuple[int, int, int] | None:
        """Return (value, first, last) of the number phrase containing token ``index``, or None."""
        if (not 0 <= index < len(self.tokens) or index in self.dates
                or parse_count(self.tokens[index].text, self.lexicon) is None):
            return None
        first = last = index
        while first - 2 >= 0 and is_connector(self.tokens[first - 1].text) and self._word(first - 2):
            first -= 2
        while first - 1 >= 0 and self._word(first - 1):
            first -= 1
        while last + 1 < len(self.tokens) and self._word(last + 1):
            last += 1
        after = last + 1
        if after < len(self.tokens) and self.tokens[after].text[:1].isalpha() and self.has("ages", after):
            return None  # an age ("une femme de 65 ans"), no count; "two 20-year-old men" is two
        if self.age_after_person(first):
            return None
        if first == last:
            value = parse_count(self.tokens[index].text, self.lexicon)
        else:
            words = [t.text for t in self.tokens[first : last + 1] if not is_connector(t.text)]
            value = parse_number_words(words, self.lexicon)
        return (value, first, last) if value is not None else None

    def age_after_person(self, index: int) -> bool:
        """Tell whether token ``index`` opens an age after one person ("een man van 60", "a woman aged
        45"): no count."""
        return index >= 2 and self.has("age_links", index - 1) and self.has("singular", index - 2)

    def _word(self, index: int) -> bool:
        text = self.tokens[index].text
        return text[:1].isalpha() and parse_count(text, self.lexicon) is not None


def _cues(marks: _Marks, lexicon: Lexicon) -> list[_Cue]:
    found: list[tuple[int, int, _Cue]] = []
    for kind in ("both", "affected", "killed", "injured"):  # "both" first: it wins a tie
        for match in category(lexicon.casualties, kind).finditer(marks.text):
            span = marks.span_tokens(match.start(), match.end())
            if len(span):
                found.append((span.start, -len(span), _Cue(span.start, span.stop - 1, kind)))
    # A separable verb ("kwamen elf mensen om"): the particle at the clause's end is the cue, so the
    # count between verb and particle stands right before it.
    for match in category(lexicon.casualties, "killed_split").finditer(marks.text):
        span = marks.span_tokens(match.start(), match.end())
        after = span.stop
        if len(span) and (after >= len(marks.tokens) or not marks.tokens[after].text[:1].isalnum()):
            found.append((span.stop - 1, -1, _Cue(span.stop - 1, span.stop - 1, "killed")))
    cues: list[_Cue] = []
    taken: set[int] = set()
    for _, _, cue in sorted(found, key=lambda item: (item[0], item[1])):
        if not taken.intersection(range(cue.first, cue.last + 1)):
            cues.append(cue)
            taken.update(range(cue.first, cue.last + 1))
    return cues


def _is_zero(marks: _Marks, cue: _Cue) -> bool:
    """Tell whether a negation stands next to the cue ("no casualties", "verletzt wurde niemand").

    Person words and auxiliaries may stand between; a conjunction may not ("killed and none injured").
    """
    before = cue.first - 1
    while (before >= 0 and cue.first - before <= ZERO_GAP and not is_connector(marks.tokens[before].text)
           and any(marks.has(name, before) for name in ("persons", "fillers", "claimed"))):
        if marks.has("claimed", before):
            return False  # "no civilians were hurt": a claim about one group, not a count of nobody
        before -= 1
    after = cue.last + 1
    while (after < len(marks.tokens) and after - cue.last <= ZERO_GAP and marks.has("fillers", after)
           and not is_connector(marks.tokens[after].text)):
        after += 1
    return (before >= 0 and marks.has("none", before)) or (
        after < len(marks.tokens) and marks.has("none", after)
    )


def _increment(marks: _Marks, first: int) -> bool:
    """Tell whether the count at ``first`` adds to an earlier toll ("ще три людини", "two more people",
    "zwei weitere"): the sentence's own total, or a later one told of the incident, replaces it."""
    number = marks.number_at(first)
    last = number[2] if number is not None else first
    before = first - 1 >= 0 and marks.has("increment", first - 1) and not marks.has("lower_bound", first - 1)
    return before or (last + 1 < len(marks.tokens) and marks.has("increment", last + 1))


def _zeros(marks: _Marks, cues: list[_Cue]) -> list[bool]:
    """Return per cue whether it is negated, directly or by a joined cue ("nobody was killed or
    injured", "Загиблих чи поранених немає": the negation covers both)."""
    zeros = [_is_zero(marks, cue) for cue in cues]
    joined = [_coordinated(marks, a, b) for a, b in itertools.pairwise(cues)]
    for _ in range(2):  # forwards, then backwards
        for i, link in enumerate(joined):
            if link and (zeros[i] or zeros[i + 1]):
                zeros[i] = zeros[i + 1] = True
    return zeros


def _coordinated(marks: _Marks, first: _Cue, second: _Cue) -> bool:
    """Tell whether only a coordinating word ("or", "ni", "и не") joins two cues."""
    between = range(first.last + 1, second.first)
    return 0 < len(between) <= 2 and all(marks.has("coordination", i) for i in between)


def _near_campaign(marks: _Marks, index: int) -> bool:
    """Tell whether a campaign marker ("since October") stands near token ``index``, in its clause."""
    low, high = max(0, index - CAMPAIGN_LOOKBACK), min(len(marks.tokens), index + CAMPAIGN_WINDOW + 1)
    for at in range(index - 1, low - 1, -1):
        if marks.tokens[at].text in _CLAUSE_ENDS:
            low = at + 1
            break
    for at in range(index + 1, high):
        if marks.tokens[at].text in _CLAUSE_ENDS:
            high = at
            break
    return any(low <= i < high for i in marks.tokens_in("campaign"))


def _is_breakdown(marks: _Marks, first: int) -> bool:
    index = first - 1
    while index >= 0 and marks.has("lower_bound", index):
        index -= 1
    return (index >= 0 and marks.has("subset", index)) or first > _partitive_opening(marks)


PARTITIVE_REACH = 3
"""Tokens after a sentence-opening partitive ("of the", "van de") within which its casualty word stands."""


def _partitive_opening(marks: _Marks) -> int:
    """Return the index of the casualty word of a sentence-opening partitive ("Of the wounded, ..."),
    or the number of tokens when the sentence opens otherwise."""
    tokens = marks.tokens_in("partitive")
    if 0 not in tokens:
        return len(marks.tokens)
    after = max(i for i in range(len(marks.tokens)) if all(j in tokens for j in range(i + 1)))
    for index in range(after + 1, min(len(marks.tokens), after + 1 + PARTITIVE_REACH)):
        if any(marks.has(name, index) for name in ("killed", "injured", "both", "affected")):
            return index
    return len(marks.tokens)


def _skip_subset_clause(marks: _Marks, comma: int) -> int:
    """Return the index before a ", dont trois enfants," clause ending at ``comma``, or ``comma``."""
    for opening in range(comma - 1, max(-1, comma - 8), -1):
        if marks.tokens[opening].text == ",":
            if marks.has("subset", opening + 1):
                return opening - 1
            return comma
    return comma


def _number_before(marks: _Marks, cue: _Cue, used: set[int]) -> tuple[int, int] | str | None:
    """Return (value, token index) of a count before the cue, "vague", or None."""
    index, steps, free, person_seen, age_seen = cue.first - 1, 0, 0, False, False
    while index >= 0 and steps <= MAX_PERSON_GAP:
        token = marks.tokens[index].text
        if token == ",":
            skipped = _skip_subset_clause(marks, index)
            if skipped == index:
                return None
            index = skipped
            continue
        number = marks.number_at(index)
        if number is not None and not marks.has("lower_bound", index):
            value, first, _ = number
            if first in used or _is_breakdown(marks, first):
                return None
            return value + _members_before(marks, first, used), first
        if marks.has("vague", index):
            return "vague"
        if _is_one(marks, index, used):
            return 1, index
        if marks.has("persons", index) or marks.has("singular", index):
            person_seen = True
        elif marks.has("fillers", index) or marks.has("lower_bound", index):
            pass
        elif marks.has("ages", index) or marks.has("ages", index + 1) or marks.age_after_person(index):
            age_seen = True  # "a 65-year-old woman", "une femme de 65 ans", "een man van 60": an age
        elif (person_seen or age_seen) and free < MAX_FREE_WORDS and token[:1].isalpha():
            free += 1
        else:
            return None
        index -= 1
        steps += 1
    return None


def _members_before(marks: _Marks, first: int, used: set[int]) -> int:
    """Return the count of the members listed before the group at ``first``.

    "two women and three children" adds 2; "der Familienvater, ein Jugendlicher und zwei Kinder" adds
    1 + 1. A member is "<number> <person word(s)>" joined by a conjunction (never a comma: "5 people,
    two women and three children" is a breakdown) or one person with an article ("the father"),
    joined by a conjunction or a comma. A subset ("including ...") or a lower bound never counts.
    """
    total, index = 0, first - 1
    if index >= 1 and marks.has("possessives", index):
        index -= 1  # "eine Frau und ihre drei Kinder"
    while index >= 1:
        link = marks.tokens[index].text
        if link != "," and not is_connector(link):
            break
        index -= 1
        persons = 0
        while index >= 0 and persons < 2 and _is_person(marks, index):
            index -= 1
            persons += 1
        if not persons or index < 0:
            break
        number = marks.number_at(index)
        if number is not None and link != ",":
            if number[1] in used or _is_breakdown(marks, number[1]):
                break
            total += number[0]
            index = number[1] - 1
        elif _article(marks, index) and marks.has("singular", index + 1):
            total += 1
            index -= 1
        else:
            break
    return total


def _is_person(marks: _Marks, index: int) -> bool:
    """Tell whether token ``index`` is a word for people or for one person."""
    return marks.has("persons", index) or marks.has("singular", index)


def _one_casualty_noun(marks: _Marks, cue: _Cue) -> int | None:
    """Return the index of the indefinite article of one casualty told as a noun ("faisant un mort",
    "es gab einen Toten", "een dode"), or None."""
    at = cue.first - 1
    if at >= 0 and marks.tokens[at].text.lower() in marks.lexicon.not_numbers and marks.has(
            "singular_nouns", cue.first):
        return at
    return None


def _article(marks: _Marks, index: int) -> bool:
    """Tell whether token ``index`` is an indefinite ("a", "ein") or definite ("the", "der") article, or a
    possessive in its place ("his wife", "her three children")."""
    return (marks.tokens[index].text.lower() in marks.lexicon.not_numbers or marks.has("definite", index)
            or marks.has("possessives", index))


def _members_after(marks: _Marks, index: int, used: set[int]) -> tuple[int, int] | None:
    """Return (count, index) of a list of members right after a cue ("Поранено батька, підлітка та двох
    дітей": 4), or None when fewer than two members joined by a conjunction stand there.

    A member is "<number> <person word(s)>", or one person word with an optional article before it.
    """
    total, members, joined, at = 0, 0, False, index
    size, link, counted = len(marks.tokens), "", False
    while at < size:
        if _article(marks, at) and (ahead := marks.number_at(at + 1)) is not None and ahead[1] == at + 1:
            at += 1  # "her three children"
        number = marks.number_at(at)
        if number is not None and number[1] == at:
            if number[1] in used or _is_breakdown(marks, number[1]) or (link == "," and counted):
                # "killed 5 people, two women and three children": after a comma, a breakdown.
                return None
            after, persons = number[2] + 1, 0
            while after < size and persons < 2 and _is_person(marks, after):
                after += 1
                persons += 1
            if not persons:
                break
            total, at, counted = total + number[0], after, True
        else:
            person = at + 1 if _article(marks, at) else at
            if not (person < size and marks.has("singular", person)):
                break
            total, at = total + 1, person + 1
        members += 1
        if at < size and (marks.tokens[at].text == "," or is_connector(marks.tokens[at].text)):
            link = marks.tokens[at].text
            joined = joined or link != ","
            at += 1
            continue
        break
    return (total, index) if members >= 2 and joined else None


def _coordinated_singulars(marks: _Marks, cue: _Cue) -> tuple[int, int] | None:
    """Return (count, index) of single persons joined by "and" next to a cue ("a man and a woman").

    Each person is one singular word, with an article, an age or an adjective before it; at least
    two joined by conjunctions count. Used when no number stands next to the cue.
    """
    for step, begin in ((1, cue.last + 1), (-1, cue.first - 1)):
        index, found, joined, words = begin, 0, False, 0
        while 0 <= index < len(marks.tokens) and words < 12:
            token = marks.tokens[index].text
            if index != begin and _cue_at(marks, index):
                break  # "killed a man and injured his wife": the wife is the other cue's
            if marks.has("singular", index):
                found += 1
            elif is_connector(token) and token != ",":
                joined = True
            elif (token in ".;:!?," or marks.has("persons", index) or marks.number_at(index) is not None
                  or not token[:1].isalnum()):
                break
            index += step
            words += 1
        if found >= 2 and joined:
            return found, begin
    return None


CLAUSE_REACH = 14
"""Tokens before a verb-final cue searched for "<number> <persons>" in its clause."""


def _counted_group_before(marks: _Marks, cue: _Cue, used: set[int]) -> tuple[int, int] | None:
    """Return (count, index) of "<number> <persons>" earlier in the cue's clause, or None.

    Verb-final clauses put a whole phrase between them ("mindestens 13 Zivilisten durch einen
    Luftangriff auf ein Lager in Idlib getötet"): the counted group is the cue's subject when no
    comma or conjunction stands between and the nearest number before the cue is its count.
    """
    for index in range(cue.first - 1, max(-1, cue.first - 1 - CLAUSE_REACH), -1):
        token = marks.tokens[index].text
        if token in ",;:.!?" or is_connector(token):
            return None
        number = marks.number_at(index)
        if number is None:
            continue
        value, first, last = number
        after = last + 1
        counted = marks.has("persons", after) or marks.has("singular", after)
        if (after < cue.first and counted and first not in used and not _is_breakdown(marks, first)
                and not _near_campaign(marks, first)):
            return value + _members_before(marks, first, used), first
        return None
    return None


def _cue_at(marks: _Marks, index: int) -> bool:
    """Tell whether token ``index`` is (part of) a casualty word."""
    return index < len(marks.tokens) and any(marks.has(kind, index) for kind in ("killed", "injured", "both"))


def _is_one(marks: _Marks, index: int, used: set[int]) -> bool:
    """Tell whether token ``index`` is an article before one person ("a man", "ein Kind", "der Fahrer").

    An adjective may stand between ("an elderly man"); a conjunction before the article makes it one
    of several ("a man and a woman"), so no count.
    """
    if index in used or not _article(marks, index):
        return False
    joined = index > 1 and is_connector(marks.tokens[index - 1].text)
    if joined and (marks.has("singular", index - 2) or marks.has("persons", index - 2)):
        return False  # "a woman and a man": one of several ("..., and a man was killed" is one)
    ahead = range(index + 1, min(index + 3, len(marks.tokens)))
    indefinite = marks.tokens[index].text.lower() in marks.lexicon.not_numbers
    for at in ahead:
        # "einen Menschen", "einen Zivilisten": a noun whose plural form is also its singular after an
        # indefinite article is one person there.
        if marks.has("singular", at) or (indefinite and marks.has("indefinite_singular", at)):
            after = at + 1
            # "a man and a woman" are several; "killed a man and injured his wife" joins two clauses.
            return not (after < len(marks.tokens) and is_connector(marks.tokens[after].text)
                        and not _cue_at(marks, after + 1))
        if not marks.tokens[at].text[:1].isalpha() and not marks.has("ages", at):  # "a 65-year-old man"
            return False
    return False


def _skip_after(marks: _Marks, cue: _Cue) -> int:
    """Return the index of the first token after the cue past up to ``AFTER_GAP`` fillers or dashes."""
    index = cue.last + 1
    while (index < len(marks.tokens) and index - cue.last <= AFTER_GAP
           and not is_connector(marks.tokens[index].text)
           and (marks.tokens[index].text in _DASHES or marks.has("fillers", index))
           and _past_attribution(marks, index) == index):
        index += 1
    index = _past_attribution(marks, index)
    while index < len(marks.tokens) and marks.has("lower_bound", index):
        index += 1
    return index


ATTRIBUTION_SPAN = 6
"""Words an attribution between a verb and its count may take ("starben laut Bürgermeister X zwei")."""


def _past_attribution(marks: _Marks, index: int) -> int:
    """Return the index past an attribution opening at ``index`` ("nach Angaben von X", "laut X") when a
    number follows it within ``ATTRIBUTION_SPAN`` words, else ``index``."""
    source = category(marks.lexicon.places, "source")
    if index >= len(marks.tokens) or not any(
            source.fullmatch(marks.text[marks.tokens[index].start:marks.tokens[end].end])
            for end in range(index, min(index + 2, len(marks.tokens)))):
        return index
    for at in range(index + 1, min(index + 1 + ATTRIBUTION_SPAN, len(marks.tokens))):
        if marks.tokens[at].text in _CLAUSE_ENDS:
            return index
        if marks.number_at(at) is not None and at not in marks.dates:
            return at
    return index


def _one_person(marks: _Marks, cue: _Cue) -> int | None:
    """Return the index of the one person a singular cue tells of ("загинула жінка"), or None.

    The person word stands right before the cue or within ``AFTER_GAP`` words after it (an age or a
    dash may come between); a conjunction after it makes it one of several.
    """
    first = cue.first
    if not marks.has("one_cues", first):
        # "водитель получил осколочные ранения": a singular verb of receiving a few words before.
        verb = next((i for i in range(first - 1, max(-1, first - 1 - RECEIVE_GAP), -1)
                     if marks.has("one_cues", i)), None)
        if verb is None or any(not marks.tokens[i].text[:1].isalpha() for i in range(verb + 1, first)):
            return None
        first = verb
    ahead = range(cue.last + 1, min(cue.last + 2 + AFTER_GAP, len(marks.tokens)))
    for index in (first - 1, *ahead):
        if 0 <= index < len(marks.tokens) and marks.has("singular", index):
            after = index + 1
            several = after < len(marks.tokens) and is_connector(marks.tokens[after].text)
            return None if several else index
    return None


def _one_object(marks: _Marks, cue: _Cue) -> int | None:
    """Return the index of one person named right after a cue in a language without articles
    ("поранили жінку", "убили мужчину"), or None; a conjunction after it makes it one of several."""
    if category(marks.lexicon.casualties, "definite").patterns:
        return None  # with articles the article marks one person ("injured a woman")
    at = cue.last + 1
    if at >= len(marks.tokens) or not marks.has("singular", at):
        return None
    after = at + 1
    return None if after < len(marks.tokens) and is_connector(marks.tokens[after].text) else at


ADVERBIAL_SPAN = 6
"""Tokens a time or place adverbial between a verb and its object may take ("töteten am Montag in
Charkiw zwei Menschen")."""


def _past_adverbials(marks: _Marks, index: int) -> int:
    """Return the index after the time and place adverbials starting at ``index`` (none: ``index``).

    A place adverbial is a locative preposition, an optional article and capitalised words ("in
    Charkiw", "à Kharkiv", "in der Stadt Sumy" is not: a lower-case noun ends it); a time adverbial is
    a date, a weekday or a one-word relative day ("am Montag", "donderdag", "gisteren").
    """
    locative = category(marks.lexicon.places, "locative")
    times = marks.lexicon.times.regex

    def is_time(at: int) -> bool:
        return at in marks.dates or times.fullmatch(marks.tokens[at].text) is not None

    at, size = index, len(marks.tokens)
    while at < size and at - index < ADVERBIAL_SPAN:
        if is_time(at):
            at += 1  # a date, a weekday, a relative day ("doodden donderdag zeker 27", "ont tué jeudi")
            continue
        if not locative.fullmatch(marks.tokens[at].text):
            break
        after = at + 1
        if after < size and marks.has("definite", after):
            after += 1
        if after < size and is_time(after):
            at = after + 1  # "в четвер", "le jeudi"
            continue
        names = after
        while names < size and marks.tokens[names].text[:1].isupper():
            names += 1
        if names == after:
            break
        at = names
    return at if at < size and at - index <= ADVERBIAL_SPAN else index


def _number_after(marks: _Marks, cue: _Cue, used: set[int]) -> tuple[int, int] | str | None:
    index = _skip_after(marks, cue)
    found = _count_at(marks, index, used)
    past = _past_adverbials(marks, index)
    if found is None and past != index:
        # "Raketen töteten in Charkiw zwei Menschen": the object after a place or a time, maybe with a
        # lower bound ("töteten am Donnerstag mindestens 27 Menschen")
        while past < len(marks.tokens) and marks.has("lower_bound", past):
            past += 1
        found = _count_at(marks, past, used)
    return found


def _count_at(marks: _Marks, index: int, used: set[int]) -> tuple[int, int] | str | None:
    """Return the count (or "vague") that opens at token ``index`` after a cue, or None."""
    if index < len(marks.tokens) and marks.has("vague", index):
        return "vague"
    listed = _members_after(marks, index, used)
    if listed is not None:
        return listed
    if index < len(marks.tokens) and _is_one(marks, index, used):
        return 1, index
    number = marks.number_at(index)
    if number is None:
        return None
    value, first, _ = number
    if first in used or _is_breakdown(marks, first):
        return None
    return value, first


def _toll(marks: _Marks, lexicon: Lexicon) -> int | None:
    """Return the number a death-toll phrase reaches ("het dodental is opgelopen tot negentig")."""
    match = category(lexicon.casualties, "toll").search(marks.text)
    if match is None:
        return None
    links = category(lexicon.casualties, "toll_links")
    for link in links.finditer(marks.text[match.end() :]):
        span = marks.span_tokens(match.end() + link.start(), match.end() + link.end())
        index = span.stop
        while index < len(marks.tokens) and marks.has("lower_bound", index):
            index += 1
        number = marks.number_at(index)
        if number is not None and not _near_campaign(marks, index):
            return number[0]
    return None


def read_casualties(text: str, lexicon: Lexicon) -> CasualtyReading:
    """Return the killed and injured counts one sentence gives."""
    tags = {tag for _, _, tag in lexicon.casualty_cues.finditer(text)}
    unknown = "unknown" in tags
    if not tags - {"unknown"}:
        return CasualtyReading(unknown=unknown)
    tokens = tokens_of(text)
    marks = _Marks(tokens, text, lexicon)
    counts: dict[str, int | None] = {"killed": None, "injured": None}
    added: dict[str, int | None] = {"killed": None, "injured": None}  # additions: used only alone
    vague = {"killed": False, "injured": False}
    used: set[int] = set()
    cues = _cues(marks, lexicon)
    for cue, zero in zip(cues, _zeros(marks, cues), strict=True):
        kinds = ("killed", "injured") if cue.kind in ("both", "affected") else (cue.kind,)
        if all(counts[k] is not None for k in kinds):
            continue
        if zero:
            for kind in kinds:
                counts[kind] = 0 if counts[kind] is None else counts[kind]
            continue
        if _near_campaign(marks, cue.first) or marks.has("partitive", cue.first - 1):
            continue
        found = _number_before(marks, cue, used) or _number_after(marks, cue, used)
        if found is None:
            found = _coordinated_singulars(marks, cue) or _counted_group_before(marks, cue, used)
        one = _one_person(marks, cue) if found is None else None
        if one is None and found is None:
            one = _one_casualty_noun(marks, cue)
        if one is None and found is None:
            one = _one_object(marks, cue)
        if one is not None and one not in used:
            found = (1, one)
        if found == "vague":
            for kind in ("injured",) if cue.kind == "affected" else kinds:
                vague[kind] = vague[kind] or counts[kind] is None
        elif isinstance(found, tuple) and cue.kind != "both" and not _near_campaign(marks, found[1]):
            kind = "injured" if cue.kind == "affected" else cue.kind
            if _increment(marks, found[1]):
                added[kind] = added[kind] if added[kind] is not None else found[0]
            else:
                counts[kind] = counts[kind] if counts[kind] is not None else found[0]
            used.add(found[1])
    toll = _toll(marks, lexicon)
    if toll is not None and (counts["killed"] is None or toll > counts["killed"]):
        # "pulled 5 bodies from the rubble, raising the toll to 12": the toll is the total.
        counts["killed"] = toll
    weak = frozenset(k for k, v in added.items() if v is not None and counts[k] is None)
    for kind in weak:
        counts[kind] = added[kind]
    return CasualtyReading(
        killed=counts["killed"],
        injured=counts["injured"],
        killed_vague=vague["killed"] and counts["killed"] is None,
        injured_vague=vague["injured"] and counts["injured"] is None,
        unknown=unknown,
        added=weak,
    )


def elided_count(clause: str, sentence: CasualtyReading, lexicon: Lexicon) -> CasualtyReading | None:
    """Return the count of a clause that leaves out the casualty word its sentence gave once ("killed
    12 people in Gaza City and six more in Khan Younis": six killed), or None.

    Only when the sentence counts one kind, and the clause has a number right before a person word.
    """
    kinds = [kind for kind in ("killed", "injured") if getattr(sentence, kind) is not None]
    if len(kinds) != 1:
        return None
    persons = category(lexicon.casualties, "persons")
    increment = category(lexicon.casualties, "increment")
    tokens = tokens_of(clause)
    for index, word in enumerate(tokens):
        value = parse_count(word.text, lexicon)
        if value is None:
            continue
        after = tokens[index + 1].text if index + 1 < len(tokens) else ""
        before = tokens[index - 1].text if index else ""
        # "six more in Khan Younis", "sechs weitere", "ще шістьох": a count of the same victims.
        if persons.fullmatch(after) or increment.fullmatch(after) or increment.fullmatch(before):
            return CasualtyReading(killed=value) if kinds[0] == "killed" else CasualtyReading(injured=value)
    return None
