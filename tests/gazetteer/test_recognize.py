# ruff: noqa: RUF001  (Cyrillic and apostrophe variants are the point here)

"""Recognition filters on a tiny gazetteer: common words, codes, case, people and organisations."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from gazetteer.index import Gazetteer, load
from gazetteer.indexer.builder import build_index, write_index
from gazetteer.recognize import _container, _Spans, select
from gazetteer.records import Entry, Place, Precision


def _entry(key: str, name: str, population: int, feature: str = "PPL") -> Entry:
    place = Place(f"test:{key}", name, 52.0, 5.0, "NL", None, feature, population, Precision.LOCALITY)
    return Entry(place, ((name, None),))


def _index(factory: pytest.TempPathFactory, entries: list[Entry]) -> Gazetteer:
    folder = factory.mktemp("recognize")
    write_index(folder, entries)
    return load(folder)


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> Gazetteer:
    return _index(
        tmp_path_factory,
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
            _entry("panik", "Panik", 1_500),
        ],
    )


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


def test_a_common_german_noun_after_a_preposition_is_no_small_town(tiny: Gazetteer) -> None:
    # German capitalises nouns: "in Panik" is a state of mind; Dutch "bij Best" stays the town.
    assert _kept(tiny, "Die Menschen gerieten in Panik.", "de") == []
    assert _kept(tiny, "Er was brand bij Best.", "nl") == ["Best"]


def test_people_and_organisations_are_not_places(tiny: Gazetteer) -> None:
    text = "Hamas-kopstuk Mohammed Deif leeft. Volgens de Jerusalem Post is Deif gewond."
    assert _kept(tiny, text, "nl") == []


def test_codes_short_names_and_lower_case_are_not_places(tiny: Gazetteer) -> None:
    assert _kept(tiny, "AB and ab and Ab; the ofakim road.", "en") == []


def test_plain_place_is_kept(tiny: Gazetteer) -> None:
    assert _kept(tiny, "Sirenes in Ofakim. Raketten op Jerusalem.", "nl") == ["Ofakim", "Jerusalem"]


@pytest.mark.parametrize(
    ("text", "lang", "kept"),
    [
        # A part-of-city word before a name says what the name is; in German it is capitalised too.
        ("Im Stadtteil Ofakim von Jerusalem.", "de", ["Ofakim", "Jerusalem"]),
        ("Das Viertel Ofakim wurde getroffen.", "de", ["Ofakim"]),
        ("In de wijk Ofakim van Jerusalem.", "nl", ["Ofakim", "Jerusalem"]),
        # Inside a longer capitalised name the same word is no such head.
        ("The Harbour District Nice Club met.", "en", []),
        ("Der Alte Bezirk Nice Verein tagte.", "de", []),
    ],
)
def test_a_part_of_city_word_before_a_name_does_not_glue_it(
    tiny: Gazetteer, text: str, lang: str, kept: list[str]
) -> None:
    assert _kept(tiny, text, lang) == kept


def test_a_place_word_inside_an_organisation_name_is_not_a_place(tmp_path: Path) -> None:
    write_index(tmp_path, [_entry("haram", "Haram", 9_000), _entry("maiduguri", "Maiduguri", 800_000)])
    gaz = load(tmp_path)
    text = "Boko Haram fighters raided a village near Maiduguri. The raid left Haram quiet."
    assert _kept(gaz, text, "en") == ["Maiduguri"]
    assert _kept(gaz, "The market in Haram reopened.", "en") == ["Haram"]


@pytest.fixture(scope="module")
def fragments(tmp_path_factory: pytest.TempPathFactory) -> Gazetteer:
    return _index(
        tmp_path_factory,
        [
            _entry("noord", "De Noord", 1_300),
            _entry("karam", "Karam", 4_000),
            _entry("suez", "Suez", 700_000),
            _entry("aden", "Aden", 1_000_000),
            _entry("doha", "Qatar", 2_700_000, "PCLI"),
            _entry("dnipro", "Dnipro", 960_000),
            _entry("lviv", "Львів", 720_000),
            _entry("jezreel", "Jizreel", 900),
            _entry("polder", "Polder", 3_000),
            _entry("kherson", "Kherson", 280_000),
        ],
    )


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Raketten vielen in de Noord-Oekraïense stad.", "nl"),
        ("Een drone trof het Polder-Ziekenhuis.", "nl"),
        ("Trümmer stürzten ins Jizreel-Tal.", "de"),
        ("Une frappe a touché Tell al-Karam mardi.", "fr"),
        ("Shells fell on Beit el-Karam overnight.", "en"),
        ("Des navires sont attaqués dans le golfe d'Aden et le canal de Suez.", "fr"),
        ("Shelling across the Dnipro river went on all night.", "en"),
        ("Crowds gathered at the Qatar roundabout.", "en"),
        ("Beschietingen aan de overkant van de rivier Dnipro.", "nl"),
        ("Вибух пролунав на вулиці Львів у центрі.", "uk"),
    ],
)
def test_fragments_and_landmark_names_are_not_places(fragments: Gazetteer, text: str, lang: str) -> None:
    assert _kept(fragments, text, lang) == []


@pytest.mark.parametrize(
    ("text", "lang", "kept"),
    [
        # A well-known name glued to a noun, two names joined, and a capitalised Gulf stay names.
        ("Der Kherson-Krieg und der Dnipro-Kherson-Korridor.", "de", ["Kherson", "Dnipro", "Kherson"]),
        ("Shelling hit Kherson and the Gulf of Aden.", "en", ["Kherson", "Aden"]),
        # English writes hyphenated proper names whole: the first part is not dropped there.
        ("A new school opened in Polder-Smith.", "en", ["Polder"]),
        ("Raketen auf Dnipro am Montag.", "de", ["Dnipro"]),
    ],
)
def test_names_beside_hyphens_and_landmark_words_that_stay(
    fragments: Gazetteer, text: str, lang: str, kept: list[str]
) -> None:
    assert _kept(fragments, text, lang) == kept


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Shelling hit Kher\u200bson overnight.", "en"),
        ("Beschietingen op Kher\u00adson.", "nl"),
        ("Angriffe auf \ufeffKherson\u200e am Morgen.", "de"),
        ("Frappes sur Kher\u200dson.", "fr"),
        ("Вибухи у Льв\u200cів.", "uk"),
    ],
)
def test_invisible_characters_inside_a_name_are_folded_away(
    fragments: Gazetteer, text: str, lang: str
) -> None:
    mentions = select(fragments.scan(text), text, lang=lang, gazetteer=fragments)
    assert len(mentions) == 1
    match = mentions[0].match
    # The offsets point into the original text, invisible characters included.
    assert text[match.start : match.end] == match.text
    assert match.text.replace("\u200b", "").replace("\u00ad", "").replace("\u200d", "").replace(
        "\u200c", ""
    ).strip("\ufeff\u200e") in {"Kherson", "Львів"}


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


@pytest.fixture(scope="module")
def districts(tmp_path_factory: pytest.TempPathFactory) -> Gazetteer:
    def district(key: str, *names: str) -> Entry:
        place = Place(f"test:{key}", names[0], 48.0, 35.0, "UA", None, "ADM2", 0, Precision.DISTRICT)
        return Entry(place, tuple((n, None) for n in names))

    return _index(
        tmp_path_factory,
        [
            district("bren", "Bren district", "Бренський район"),
            _entry("west", "Westmark Oblast", 2_000_000, "ADM1"),
            Entry(
                Place("test:westm", "Westmark", 48.0, 35.0, "UA", None, "ADM1", 2_000_000, Precision.REGION),
                (("Західної області", None),),
            ),
        ],
    )


def test_a_unit_named_with_its_type_word_may_follow_an_article(districts: Gazetteer) -> None:
    assert _kept(districts, "Shells fell on the Bren district overnight.", "en") == ["Bren district"]


def test_a_cyrillic_unit_with_its_type_word_is_not_glued_to_the_region_after_it(districts: Gazetteer) -> None:
    text = "Обстріляли Бренський район Західної області."
    assert _kept(districts, text, "uk") == ["Бренський район", "Західної області"]


def test_a_demonym_after_a_direction_is_a_regional_adjective() -> None:
    gaz = load(build_index(quiet=True))
    text = "Central American families and a Latin American envoy met South Sudanese officials."
    assert _kept(gaz, text, "en") == []
    assert _kept(gaz, "American and North Korean envoys met.", "en") == ["American", "North Korean"]


@pytest.fixture(scope="module")
def peoples(tmp_path_factory: pytest.TempPathFactory) -> Gazetteer:
    return _index(
        tmp_path_factory,
        [
            _entry("arab", "Arab", 8_000),
            _entry("berber", "Berber", 26_000),
            _entry("kurde", "Kurde", 3_000),
            _entry("tataren", "Tataren", 1_000),
            _entry("arabi", "Араби", 3_600),
            _entry("kazaki", "Казаки", 2_000),
        ],
    )


@pytest.mark.parametrize(
    ("text", "lang", "kept"),
    [
        # A people's name is the people, unless a preposition of place puts it on the map.
        ("Arab ministers met on Sunday; Berber villages stayed calm.", "en", []),
        ("Drones hit a depot in Berber overnight.", "en", ["Berber"]),
        ("Kurde et Arabe ont manifesté ensemble.", "fr", []),
        ("Die Tataren der Krim protestierten erneut.", "de", []),
        ("Tataren en Berbers vluchtten uit de stad.", "nl", []),
        ("Араби та курди вийшли на протест у неділю.", "uk", []),
        ("Казаки прошли парадом по площади.", "ru", []),
        ("Снаряд влучив у будинок в Араби вночі.", "uk", ["Араби"]),
    ],
)
def test_peoples_names_are_not_towns(peoples: Gazetteer, text: str, lang: str, kept: list[str]) -> None:
    assert _kept(peoples, text, lang) == kept


@pytest.fixture(scope="module")
def units(tmp_path_factory: pytest.TempPathFactory) -> Gazetteer:
    return _index(
        tmp_path_factory,
        [
            _entry("lindale", "Lindale", 1_500),
            _entry("lindale-county", "Lindale County", 9_000, "ADM2"),
            _entry("morva", "Morva Oblast", 900_000, "ADM1"),
        ],
    )


@pytest.mark.parametrize(
    ("text", "lang", "kept"),
    [
        # A unit named with its type word stays whole before one of its institutions; its bare name
        # (a village) is not read instead.
        ("The Lindale County Sheriff's Office said two houses burned.", "en", ["Lindale County"]),
        ("Lindale County Fire Rescue and Lindale County deputies responded.", "en",
         ["Lindale County", "Lindale County"]),
        ("The Morva Oblast Military Administration reported shelling.", "en", ["Morva Oblast"]),
    ],
)
def test_a_typed_unit_stays_whole_before_its_institution(
    units: Gazetteer, text: str, lang: str, kept: list[str]
) -> None:
    assert _kept(units, text, lang) == kept
