"""Scene places: the toponyms of a sentence are found by binary search, in document order."""

from __future__ import annotations

import datetime as dt
import time

from gazetteer.records import Place, Precision, Toponym
from incidents.extract.assemble import assemble
from incidents.extract.draft import DocumentInfo
from incidents.extract.lexicon import load_lexicon
from incidents.extract.scene import SceneReading
from incidents.records import Sentence

KYIV = Place("t:kyiv", "Kyiv", 50.45, 30.52, "UA", None, "PPLC", 2900000, Precision.LOCALITY)
INFO = DocumentInfo(doc_id="doc", lang="en", source="test", published=dt.date(2024, 3, 6))


def _state(toponyms: list[Toponym], sentences: list[Sentence]) -> SceneReading:
    return SceneReading("", sentences, toponyms, load_lexicon("en"), INFO, None)


def test_toponyms_inside_a_sentence_keep_document_order_and_need_the_whole_span() -> None:
    found = [Toponym(s, s + 4, "Kyiv", KYIV) for s in (30, 2, 12, 8)]
    state = _state(found, [])
    sentence = Sentence(0, 12, "x" * 12)
    assert [t.start for t in state.toponyms_inside(sentence)] == [2, 8]  # 12..16 ends past the sentence


def test_scene_places_take_time_linear_in_the_sentences() -> None:
    # Every sentence joins the same incident, so only finding each sentence's places can grow;
    # scanning all toponyms for every sentence took about 30 s here, the binary search about 3 s.
    sentence = "Shelling in Kyiv killed 3 people. "
    count = 20_000
    text = sentence * count
    lexicon = load_lexicon("en")
    sentences = [Sentence(i * len(sentence), i * len(sentence) + len(sentence) - 1, sentence[:-1])
                 for i in range(count)]
    found = [Toponym(i * len(sentence) + 12, i * len(sentence) + 16, "Kyiv", KYIV) for i in range(count)]
    started = time.perf_counter()
    (incident,) = assemble(text, sentences, found, lexicon, INFO)
    assert time.perf_counter() - started < 15
    assert incident.casualties.killed == 3
