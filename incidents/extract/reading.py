"""What assembly keeps while it walks a document: the incidents told so far and the places seen."""

from __future__ import annotations

import bisect
import heapq
from collections.abc import Iterator, Sequence

from gazetteer.records import MentionKind, Toponym
from incidents.extract.casualties import CasualtyReading
from incidents.extract.classify import SentenceClass
from incidents.extract.containment import unique_places
from incidents.extract.draft import DocumentInfo, Draft
from incidents.extract.focus import PlaceBook, Seen
from incidents.extract.lexicon import Lexicon, category, union
from incidents.extract.text import dateline_end
from incidents.extract.when import resolve_date
from incidents.records import IncidentType, Sentence

FOLLOWUP_SENTENCES = 3
"""How many sentences after an incident may still add counts to it."""
RECENT_DRAFTS = 50
"""How many of the latest incidents a placeless count is matched against (keeps time linear)."""
SAME_PLACE_DRAFTS = 50
"""How many of the latest incidents at a sentence's places it is matched against (keeps time linear:
a long text that tells thousands of incidents at one town would otherwise compare each with all)."""


def _nameless_spans(text: str, lexicon: Lexicon) -> list[tuple[int, int]]:
    """Return the spans of nameless place phrases ("die Hauptstadt", "the region") in ``text``.

    A gazetteer name inside one ("Hauptstadt" is also some territory's alternate name) is the phrase,
    not that place.
    """
    spans = sorted(m.span() for name in ("capital_anaphora", "region_anaphora", "anaphora")
                   for m in category(lexicon.places, name).finditer(text))
    disjoint: list[tuple[int, int]] = []
    for start, end in spans:  # merge overlaps so the spans stay sorted by start and by end
        if disjoint and start < disjoint[-1][1]:
            disjoint[-1] = (disjoint[-1][0], max(end, disjoint[-1][1]))
        else:
            disjoint.append((start, end))
    return disjoint


def reported(text: str, lexicon: Lexicon) -> bool:
    """Tell whether a sentence reports what someone said ("according to", "said")."""
    return union(lexicon, "places", ("source", "speech")).search(text) is not None


def alternative_toll(text: str, lexicon: Lexicon) -> bool:
    """Tell whether a sentence gives someone's toll ("the separatists speak of a toll of 21")."""
    return reported(text, lexicon) and category(lexicon.casualties, "toll").search(text) is not None


class ReadingState:
    """The document, the incidents told so far (``drafts``), the current ones, and the places seen."""

    def __init__(self, text: str, sentences: Sequence[Sentence], toponyms: Sequence[Toponym],
                 lexicon: Lexicon, info: DocumentInfo, book: PlaceBook | None) -> None:
        self.lexicon = lexicon
        self.sentences = sentences
        self.book = book
        self._title_regions: list[Toponym] | None = None
        self.info = info
        skip = dateline_end(text)
        nameless = _nameless_spans(text, lexicon)  # disjoint, in order: a binary search finds one
        starts = [s for s, _ in nameless]

        def in_phrase(t: Toponym) -> bool:
            i = bisect.bisect_right(starts, t.start) - 1
            return i >= 0 and t.end <= nameless[i][1]

        self.toponyms = [t for t in toponyms if t.kind == MentionKind.PLACE and t.start >= skip
                         and not in_phrase(t)]
        self.demonyms = [t for t in toponyms if t.kind == MentionKind.DEMONYM]
        self.dateline = [t for t in toponyms if t.end <= skip]
        self.drafts: list[Draft] = []
        self.by_place: dict[str, list[int]] = {}  # place id -> indices of the drafts told there
        self.position: dict[int, int] = {}  # id(draft) -> its index in drafts
        self.alerts: list[Draft] = []
        self.current: list[Draft] = []
        self.seen: list[Seen] = []
        self.pending: tuple[int, Sentence, SentenceClass] | None = None  # the last place-only sentence
        self.named: list[Seen] = []  # every place named so far, scene or not (for "the regional capital")
        self.inferred: set[tuple[int, int]] = set()  # spans of places read from a nameless phrase

    def open(self, index: int, sentence: Sentence, cls: SentenceClass, scene: list[Toponym],
             reading: CasualtyReading, *, focused: bool = False) -> None:
        """Open (or join) the incidents a sentence with a trigger tells at its scene places."""
        raise NotImplementedError

    def title_regions(self) -> list[Toponym]:
        """Return the distinct regions the document names in an official's title."""
        raise NotImplementedError

    def toponyms_inside(self, sentence: Sentence) -> list[Toponym]:
        """Return the document's places inside a sentence, in order."""
        raise NotImplementedError

    def confirm(self, draft: Draft, places: list[Toponym]) -> None:
        """Add places to an incident; a name told later replaces a nameless phrase for the same place."""
        named = {t.place.id: t for t in places if (t.start, t.end) not in self.inferred}
        kept = [named.pop(t.place.id, t) if (t.start, t.end) in self.inferred else t for t in draft.places]
        draft.places = unique_places([*kept, *places])
        if not any((t.start, t.end) in self.inferred for t in draft.places):
            draft.anaphoric = False
        self.note(draft)

    def add_draft(self, draft: Draft) -> None:
        """Keep a new incident and index it by its places."""
        self.position[id(draft)] = len(self.drafts)
        self.drafts.append(draft)
        if draft.type == IncidentType.ALERT:
            self.alerts.append(draft)
        self.note(draft)

    def note(self, draft: Draft) -> None:
        """Index an incident under each of its places (places are only ever added to an incident)."""
        where = self.position[id(draft)]
        for place_id in draft.place_ids():
            told = self.by_place.setdefault(place_id, [])  # kept in order
            at = bisect.bisect_left(told, where)
            if at == len(told) or told[at] != where:
                told.insert(at, where)

    def told_at(self, places: list[Toponym]) -> Iterator[Draft]:
        """Yield the incidents that share a place with ``places``, the latest told first, at most
        ``SAME_PLACE_DRAFTS`` of them.

        Lazily: a caller looking for the latest one that fits reads no further than it.
        """
        lists = [self.by_place[i] for i in {t.place.id for t in places} if i in self.by_place]
        last, left = -1, SAME_PLACE_DRAFTS
        for i in heapq.merge(*(reversed(told) for told in lists), reverse=True):
            if i != last:
                last = i
                yield self.drafts[i]
                left -= 1
                if not left:
                    return

    def recent(self, index: int) -> list[Draft]:
        """Return the current incidents a sentence at ``index`` may still go on telling of."""
        return [d for d in self.current if index - d.latest() <= FOLLOWUP_SENTENCES]

    def count_target(self, index: int) -> Draft | None:
        """Return the one incident a placeless count at ``index`` goes to, or None.

        Counts go to strikes only: with one current strike, to it; with only alerts current (a siren
        told after the attack), to the last strike still within the follow-up window.
        """
        strikes = [d for d in self.current if d.type == IncidentType.STRIKE]
        if len(strikes) == 1:
            return strikes[0]
        if strikes or not self.current:
            return None
        earlier = [d for d in self.drafts[-RECENT_DRAFTS:] if d.type == IncidentType.STRIKE
                   and index - d.latest() <= FOLLOWUP_SENTENCES]
        return earlier[-1] if len(earlier) == 1 else None

    def other_day(self, index: int, draft: Draft) -> bool:
        """Tell whether sentence ``index`` dates itself to another day than ``draft``.

        "The day before, strikes on the port killed six" tells of another attack: its counts and
        places are not the current incident's.
        """
        date = resolve_date(self.sentences[index].text, self.lexicon, self.info.published)
        return date is not None and draft.date is not None and date != draft.date

    def derive(self, index: int, sentence: Sentence, model: Draft, kind: IncidentType,
               subtype: str | None, places: list[Toponym], reading: CasualtyReading, *,
               near: int = 0) -> None:
        """Open an incident whose type or places come from ``model`` (the incident just told)."""
        date = resolve_date(sentence.text, self.lexicon, self.info.published, near=near) or model.date
        draft = Draft(kind, subtype, places, [index], date, inherited=True)
        draft.add_counts(reading)
        self.add_draft(draft)
        self.current = [draft]
