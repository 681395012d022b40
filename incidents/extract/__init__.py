"""Text to incidents: the extraction pipeline and its lexicons (``lexicons/<lang>.toml``).

The steps, in the order a document meets them: ``text`` (sentences and tokens with offsets),
``language``, ``lexicon`` (the per-language word lists), then per sentence ``classify`` (triggers and
place roles), ``casualties`` with ``numbers``, ``when`` (dates); ``focus`` (nameless places and the
document's focus), ``containment`` (context places), ``draft`` and ``assemble`` with ``scene``,
``followup`` and ``alerts`` (incidents across sentences), ``finish`` with ``confidence`` (the frozen
records). ``pipeline`` runs them: ``extract()`` and ``extract_document()``.

Imports flow one way: this room uses the gazetteer and ``incidents.records``, never the store, the
app's ``explore`` room or the exports.
"""

from __future__ import annotations

from incidents.extract.pipeline import (
    choose_language,
    default_gazetteer,
    extract,
    extract_document,
    find_toponyms,
    warm_up,
)

__all__ = ["choose_language", "default_gazetteer", "extract", "extract_document", "find_toponyms", "warm_up"]
