"""Recognition filters on a tiny gazetteer: common words, codes, case, people and organisations."""

from __future__ import annotations

from pathlib import Path

import pytest

from gazetteer.index import Gazetteer, load
from gazetteer.indexer.builder import write_index
from gazetteer.recognize import organisation_pattern, select, sentence_initial
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
