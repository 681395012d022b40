"""The loaded index on a tiny hand-made gazetteer: lookup, get, scan offsets, case endings."""

# ruff: noqa: RUF001  (Cyrillic and apostrophe variants are the point here)

from __future__ import annotations

import gc
import random
from pathlib import Path

import pytest

from gazetteer.errors import GazetteerFormatError, IndexMissingError
from gazetteer.index import Gazetteer, _Spans, load
from gazetteer.indexer.builder import write_index
from gazetteer.records import Entry, MentionKind, Place, Precision


def _place(key: str, name: str, cc: str, population: int, feature: str = "PPL") -> Place:
    return Place(f"test:{key}", name, 50.0, 30.0, cc, None, feature, population, Precision.LOCALITY)


ENTRIES = (
    Entry(_place("kyiv", "Kyiv", "UA", 2_900_000, "PPLC"), (("Київ", "uk"), ("Kiew", "de"), ("Kyiv", "en"))),
    Entry(_place("kharkiv", "Kharkiv", "UA", 1_400_000), (("Харків", "uk"), ("Charkiv", "nl"))),
    Entry(_place("york", "York", "GB", 150_000), (("York", None),)),
    Entry(_place("new-york", "New York City", "US", 8_000_000), (("New York", None),)),
    Entry(_place("beersheba", "Beersheba", "IL", 200_000), (("Be'er Sheva", None),)),
    Entry(_place("ua", "Ukraine", "UA", 40_000_000, "PCLI"), (("Oekraïne", "nl"),)),
    Entry(
        _place("ua", "Ukraine", "UA", 40_000_000, "PCLI"), (("Ukrainian", "en"),), kind=MentionKind.DEMONYM
    ),
)


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> Gazetteer:
    folder = tmp_path_factory.mktemp("tiny")
    write_index(folder, ENTRIES)
    return load(folder)


def test_lookup_finds_every_spelling(tiny: Gazetteer) -> None:
    for name in ("Kyiv", "Київ", "KIEW", "kyiv"):
        assert [p.id for p in tiny.lookup(name)] == ["test:kyiv"]
    assert tiny.lookup("Atlantis") == []


def test_get_by_id(tiny: Gazetteer) -> None:
    found = tiny.get("test:kharkiv")
    assert found is not None and found.name == "Kharkiv"
    assert tiny.get("test:nowhere") is None


def test_scan_gives_offsets_and_longest_first(tiny: Gazetteer) -> None:
    text = "From New York to Be’er-Sheva, then Charkiv."
    found = tiny.scan(text)
    spans = [(text[m.start : m.end], m.places[0].id) for m in found]
    assert spans[0] == ("New York", "test:new-york")
    assert ("York", "test:york") in spans
    assert found[0].start < found[1].start and found[0].end >= found[1].end
    assert ("Be’er-Sheva", "test:beersheba") in spans
    assert ("Charkiv", "test:kharkiv") in spans


def test_scan_respects_word_boundaries(tiny: Gazetteer) -> None:
    assert tiny.scan("Yorkshire and Kyivan") == []


def test_scan_undoes_ukrainian_case_endings(tiny: Gazetteer) -> None:
    text = "Вибухи у Києві та Харкові."
    found = {m.text: m for m in tiny.scan(text)}
    assert found["Києві"].places[0].id == "test:kyiv"
    assert found["Харкові"].inflected
    assert found["Харкові"].places[0].id == "test:kharkiv"


def test_demonyms_are_marked(tiny: Gazetteer) -> None:
    (match,) = tiny.scan("Ukrainian forces")
    assert match.kinds == (MentionKind.DEMONYM,)
    (match,) = tiny.scan("in Oekraïne")
    assert match.kinds == (MentionKind.PLACE,)


def test_missing_index_says_how_to_build(tmp_path: Path) -> None:
    with pytest.raises(IndexMissingError, match="python -m gazetteer build"):
        load(tmp_path)


def test_corrupt_index_is_a_format_error(tmp_path: Path) -> None:
    for name in ("places.pkl", "names.pkl"):
        (tmp_path / name).write_bytes(b"not a pickle")
    with pytest.raises(GazetteerFormatError):
        load(tmp_path)


def test_capital_of_gives_the_pplc_place(tiny: Gazetteer) -> None:
    capital = tiny.capital_of("ua")
    assert capital is not None and capital.id == "test:kyiv"
    assert tiny.capital_of("GB") is None


def test_scan_skips_names_inside_words_but_keeps_them_beside_signs(tiny: Gazetteer) -> None:
    assert [m.text for m in tiny.scan("NewYorkers and Kyivans")] == []
    assert [m.text for m in tiny.scan("(Kyiv), 'York'")] == ["Kyiv", "York"]


@pytest.fixture(scope="module")
def romanised(tmp_path_factory: pytest.TempPathFactory) -> Gazetteer:
    folder = tmp_path_factory.mktemp("romanised")
    write_index(
        folder,
        [
            Entry(_place("hudaydah", "Al Ḩudaydah", "YE", 730_000), (("Al Hudaydah", "en"),)),
            Entry(_place("tuz", "Ţūz Khūrmātū", "IQ", 120_000), ()),
            Entry(_place("hamlet", "Hadidah", "SY", 300), ()),
        ],
    )
    return load(folder)


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("Strikes on the port of Hodeidah.", "Hodeidah"),
        ("Luchtaanvallen op Hodeida.", "Hodeida"),
        ("Frappes sur al-Hodeïdah.", "al-Hodeïdah"),
        ("Kämpfe bei Tooz Khurmato.", "Tooz Khurmato"),
    ],
)
def test_scan_finds_other_romanisations_of_notable_places(romanised: Gazetteer, text: str, said: str) -> None:
    found = max((m for m in romanised.scan(text) if m.romanised), key=lambda m: m.end - m.start)
    assert found.text == text[found.start : found.end] == said


def test_romanised_matches_leave_exact_names_and_hamlets_alone(romanised: Gazetteer) -> None:
    # An exact name is no romanised match, and a hamlet is too small for the loose key.
    assert not [m for m in romanised.scan("Attacks on Al Hudaydah.") if m.romanised]
    assert not [m for m in romanised.scan("A shell hit Hadidah.") if m.romanised]
    # The vowel groups must agree: the key alone would join these.
    assert not [m for m in romanised.scan("Talks in Hoddi.") if m.romanised]


def test_populated_places_are_the_towns_of_at_least_a_population(tiny: Gazetteer) -> None:
    found = {p.name for p in tiny.populated_places(min_population=180_000)}
    assert found == {"Kyiv", "Kharkiv", "New York City", "Beersheba"}, "no country, nothing smaller"


def test_covered_positions_are_found_as_a_scan_of_every_span_would() -> None:
    # The inflected-word pass skips words inside a longer match; it asks a sorted structure, not
    # every span (which made a long Cyrillic text quadratic).
    rng = random.Random(11)
    for _ in range(500):
        spans = [(a, a + rng.randint(1, 12)) for a in (rng.randint(0, 60) for _ in range(rng.randint(0, 8)))]
        inside = _Spans(spans)
        assert [inside.covers(p) for p in range(80)] == [any(a <= p < b for a, b in spans) for p in range(80)]


def test_loading_leaves_the_collector_as_it_found_it(tmp_path: Path) -> None:
    # load() pauses the collector while it reads the index: it must switch it back on only if it was on.
    write_index(tmp_path, ENTRIES)
    for enabled in (True, False):
        (gc.enable if enabled else gc.disable)()
        try:
            gaz = load(tmp_path)
            assert gc.isenabled() is enabled
            assert gaz.lookup("Kharkiv")
        finally:
            gc.enable()
