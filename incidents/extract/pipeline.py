"""The one funnel from text to incidents: language, sentences, places, then assembly."""

from __future__ import annotations

import datetime as dt
from functools import cache
from typing import Any

from gazetteer.records import Toponym
from incidents.extract.assemble import assemble
from incidents.extract.draft import DocumentInfo
from incidents.extract.focus import PlaceBook
from incidents.extract.language import detect_language, load_models
from incidents.extract.lexicon import LANGUAGES, load_lexicon
from incidents.extract.text import split_sentences
from incidents.records import Document, Incident


@cache
def default_gazetteer() -> Any:
    """Return the default gazetteer, loaded once per process."""
    import gazetteer

    return gazetteer.load()


def find_toponyms(text: str, *, gazetteer: Any, lang: str) -> list[Toponym]:
    """Return the places the gazetteer finds in ``text`` (the only call into gazetteer.geoparse)."""
    import gazetteer as gazetteer_package

    return list(gazetteer_package.geoparse(text, gazetteer=gazetteer, lang=lang))


def choose_language(text: str, lang: str | None) -> str:
    """Return ``lang`` when it is supported, else the language detected in ``text``."""
    code = (lang or "").strip().lower()
    return code if code in LANGUAGES else detect_language(text)


def extract(
    text: str,
    *,
    lang: str | None = None,
    published: dt.date | None = None,
    source: str | None = None,
    doc_id: str = "-",
    gazetteer: Any = None,
) -> list[Incident]:
    """Return the strikes and alerts ``text`` tells of, with places, counts and dates.

    ``lang`` None or "auto" means detect; ``published`` anchors relative dates ("yesterday");
    ``gazetteer`` None means the default one, loaded once.
    """
    if not text or not text.strip():
        return []
    language = choose_language(text, lang)
    lexicon = load_lexicon(language)
    gaz = gazetteer if gazetteer is not None else default_gazetteer()
    toponyms = find_toponyms(text, gazetteer=gaz, lang=language)
    sentences = split_sentences(text, abbreviations=lexicon.abbreviations, months=lexicon.month_names)
    info = DocumentInfo(doc_id=doc_id, lang=language, source=source, published=published)
    book = gaz if isinstance(gaz, PlaceBook) else None  # a stand-in may know no regions
    return assemble(text, sentences, toponyms, lexicon, info, book=book)


def extract_document(doc: Document, *, gazetteer: Any = None) -> list[Incident]:
    """Return the incidents of one document (its id, language, date and source carried along)."""
    return extract(doc.text, lang=doc.lang, published=doc.published, source=doc.source, doc_id=doc.id,
                   gazetteer=gazetteer)


_WARM_UP = {
    "en": "A drone struck the town of Avdiivka on Monday; two people were killed and three injured.",
    "nl": "Bij een raketaanval op Charkiv vielen maandag twee doden.",
    "de": "Bei einem Drohnenangriff auf Odessa wurden zwei Menschen getötet.",
    "fr": "Une frappe de missile a touché Kharkiv lundi, faisant deux morts.",
    "uk": "Унаслідок обстрілу Херсона загинули двоє людей, ще троє поранені.",
    "ru": "После обстрела Херсона погибли два человека.",
}
"""One sentence per language, our own words, that makes extraction load what it loads on first use."""


def warm_up(*, gazetteer: Any = None) -> None:
    """Load what extraction loads lazily (lexicons, the language model, morphology, region tables).

    Call it before forking workers, so they share these instead of each loading them again.
    """
    for lang, text in _WARM_UP.items():
        extract(text, lang=lang, gazetteer=gazetteer)
    extract(_WARM_UP["en"], gazetteer=gazetteer)  # with language detection
    load_models()
