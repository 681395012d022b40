"""Recognition filters on a tiny gazetteer: common words, codes, case, people and organisations."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from gazetteer.index import Gazetteer, load
from gazetteer.indexer.builder import write_index
from gazetteer.recognize import _container, _Spans, organisation_pattern, select, sentence_initial
from gazetteer.records import Entry, Place, Precision


def _entry(key: str, name: str, population: int, feature: str = "PPL") -> Entry:
    place = Place(f"test:{key}", name, 52.0, 5.0, "NL", None, feature, population, Precision.LOCALITY)
    return Entry(place, ((name, None),))


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> Gazetteer:
    folder = tmp_path_factory.mktemp("recognize")
    write_index(
        folder,
        [
            _entry("best", "Best", 29_000),
            _entry("door", "Door", 600),
            _entry("met", "Met", 2_000),
            _entry("will", "Will", 900),
            _entry("deif", "Deif", 700),
            _entry("jerusalem", "Jerusalem", 900_000),
            _entry("ofakim", "Ofakim", 34_000),
            _entry("ab", "Ab", 5_000),
            _entry("nice", "Nice", 340_000),
        ],
    )
    return load(folder)


def _kept(gaz: Gazetteer, text: str, lang: str) -> list[str]:
    return [m.match.text for m in select(gaz.scan(text), text, lang=lang, gazetteer=gaz)]


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Of daarbij slachtoffers vielen, is onduidelijk. Met het oog op morgen.", "nl"),
        ("Hij ging door de deur en bleef erbij. Best mogelijk.", "nl"),
        ("Will they come? We will see.", "en"),
    ],
)
def test_common_words_are_not_places(tiny: Gazetteer, text: str, lang: str) -> None:
    assert _kept(tiny, text, lang) == []


def test_common_word_after_a_preposition_of_place_is_a_place(tiny: Gazetteer) -> None:
    assert _kept(tiny, "Er was brand bij Best en in Door.", "nl") == ["Best", "Door"]


def test_people_and_organisations_are_not_places(tiny: Gazetteer) -> None:
    text = "Hamas-kopstuk Mohammed Deif leeft. Volgens de Jerusalem Post is Deif gewond."
    assert _kept(tiny, text, "nl") == []


def test_codes_short_names_and_lower_case_are_not_places(tiny: Gazetteer) -> None:
    assert _kept(tiny, "AB and ab and Ab; the ofakim road.", "en") == []


def test_plain_place_is_kept(tiny: Gazetteer) -> None:
    assert _kept(tiny, "Sirenes in Ofakim. Raketten op Jerusalem.", "nl") == ["Ofakim", "Jerusalem"]


def test_sentence_start() -> None:
    text = 'Er. "Best is" and, Best'
    assert sentence_initial(text, 0)
    assert sentence_initial(text, text.index("Best"))
    assert not sentence_initial(text, text.rindex("Best"))


def test_a_place_word_inside_an_organisation_name_is_not_a_place(tmp_path: Path) -> None:
    write_index(tmp_path, [_entry("haram", "Haram", 9_000), _entry("maiduguri", "Maiduguri", 800_000)])
    gaz = load(tmp_path)
    text = "Boko Haram fighters raided a village near Maiduguri. The raid left Haram quiet."
    assert _kept(gaz, text, "en") == ["Maiduguri"]
    assert _kept(gaz, "The market in Haram reopened.", "en") == ["Haram"]


def test_organisation_pattern_accepts_hyphens_for_spaces() -> None:
    pattern = organisation_pattern(["Boko Haram"])
    assert pattern is not None
    assert pattern.search("the Boko-Haram group") is not None
    assert pattern.search("Bokoharam") is None
    assert organisation_pattern([]) is None


def test_select_takes_time_linear_in_the_names(tiny: Gazetteer) -> None:
    # Testing each match against every name kept so far took seconds; sorted spans take well under 1 s.
    text = "Sirenes in Ofakim, " * 20_000
    matches = tiny.scan(text)
    started = time.perf_counter()
    kept = select(matches, text, lang="nl", gazetteer=tiny)
    assert time.perf_counter() - started < 5
    assert len(kept) == 20_000


def test_overlap_and_containment_agree_with_the_plain_tests() -> None:
    spans = _Spans()
    kept: list[tuple[int, int]] = []
    for start, end in [(10, 14), (3, 5), (20, 30), (14, 14), (5, 9), (16, 17)]:
        plain = any(s < end and start < e for s, e in kept)
        assert spans.overlaps(start, end) == plain
        if not plain:
            spans.add(start, end)
            kept.append((start, end))
    for start, end in [(0, 3), (4, 6), (9, 10), (13, 15), (17, 20), (25, 26), (30, 40), (14, 14)]:
        assert spans.overlaps(start, end) == any(s < end and start < e for s, e in kept)
    organisations = [(0, 10), (2, 4), (8, 30), (40, 41)]
    inside = _container(organisations)
    for start, end in [(1, 3), (5, 20), (9, 31), (40, 41), (35, 36), (0, 0), (41, 42)]:
        assert inside(start, end) == any(s <= start and end <= e for s, e in organisations)
