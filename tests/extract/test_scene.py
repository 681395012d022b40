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


def _assemble_seconds(count: int) -> float:
    """CPU seconds to assemble ``count`` copies of one sentence that all join one incident."""
    sentence = "Shelling in Kyiv killed 3 people. "
    text = sentence * count
    sentences = [Sentence(i * len(sentence), i * len(sentence) + len(sentence) - 1, sentence[:-1])
                 for i in range(count)]
    found = [Toponym(i * len(sentence) + 12, i * len(sentence) + 16, "Kyiv", KYIV) for i in range(count)]
    started = time.process_time()
    (incident,) = assemble(text, sentences, found, load_lexicon("en"), INFO)
    assert incident.casualties.killed == 3
    return time.process_time() - started


def test_scene_places_take_time_linear_in_the_sentences() -> None:
    # Every sentence joins the same incident, so only finding each sentence's places can grow;
    # scanning all toponyms for every sentence was quadratic. Twice the sentences must take about
    # twice the CPU time (quadratic would be four times), whatever else loads the machine.
    _assemble_seconds(500)  # lexicons and caches loaded
    small, large = _assemble_seconds(5_000), _assemble_seconds(10_000)
    assert large < 3 * small
