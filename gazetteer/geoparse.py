"""Find and resolve every place name of a text: scan, recognition filters, resolution."""

from __future__ import annotations

from gazetteer.index import Gazetteer
from gazetteer.recognize import select
from gazetteer.records import Toponym
from gazetteer.resolve import resolve


def geoparse(text: str, *, gazetteer: Gazetteer, lang: str | None = None) -> list[Toponym]:
    """Return the toponyms of a text, sorted by start.

    Demonyms ("Israëlische", "Russian") come back with ``kind=MentionKind.DEMONYM`` and their
    country as place: context for a reader, not a place where something happened.
    """
    mentions = select(gazetteer.scan(text), text, lang=lang, gazetteer=gazetteer)
    out = []
    for item in resolve(mentions, text, lang=lang, gazetteer=gazetteer):
        match = item.mention.match
        out.append(
            Toponym(
                match.start,
                match.end,
                match.text,
                item.candidates[0].place,
                item.kind,
                item.candidates,
                item.context,
            )
        )
    return sorted(out, key=lambda t: t.start)
