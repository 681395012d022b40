"""geoparse() end to end on the real index, with our own sentences in nl, en, de, fr, uk and ru; case
forms of Ukrainian and Russian place names from tests/cases/places_cyrillic.jsonl."""

# ruff: noqa: RUF001  (Cyrillic and apostrophe variants are the point here)

from __future__ import annotations

import json
from typing import Any

import pytest

from gazetteer import Gazetteer, MentionKind, Place, build_index, geoparse, load
from gazetteer.geo import distance_km
from gazetteer.recognize import select
from tests.paths import CASES, SHARED

SEED = SHARED / "seed" / "000_680d72be5adecebd.txt"


@pytest.fixture(scope="session")
def gaz() -> Gazetteer:
    return load(build_index(quiet=True))


def _resolved(gaz: Gazetteer, text: str, lang: str) -> dict[str, Place]:
    return {t.text: t.place for t in geoparse(text, gazetteer=gaz, lang=lang)}


def _places(gaz: Gazetteer, text: str, lang: str | None) -> dict[str, tuple[str, str]]:
    return {
        t.text: (t.place.country_code, t.place.feature)
        for t in geoparse(text, gazetteer=gaz, lang=lang)
        if t.kind == MentionKind.PLACE
    }


@pytest.mark.parametrize(
    ("lang", "text", "expected"),
    [
        ("nl", "Raketten op Asjkelon; in Beiroet bleef het onrustig.", {"Asjkelon": "IL", "Beiroet": "LB"}),
        (
            "nl",
            "Explosies op de Krim en in de Donbas; ook de Sinaï bleef onrustig.",
            {"Krim": "UA", "Donbas": "UA", "Sinaï": "EG"},
        ),
        (
            "en",
            "Sirens sounded in the Negev, the Galilee and the Golan Heights; fighting in southern Lebanon.",
            {"Negev": "IL", "Galilee": "IL", "southern Lebanon": "LB"},
        ),
        (
            "de",
            "Raketenalarm in Aschkelon und im Westjordanland.",
            {"Aschkelon": "IL", "Westjordanland": "PS"},
        ),
        (
            "fr",
            "Des frappes ont visé Khan Younès, dans le sud de la bande de Gaza, et la Cisjordanie.",
            {"Khan Younès": "PS", "bande de Gaza": "PS", "Cisjordanie": "PS"},
        ),
        (
            "uk",
            "Удар по Одесі: на Одещині пошкоджено інфраструктуру, у Києві та Харкові лунали вибухи.",
            {"Одесі": "UA", "Одещині": "UA", "Києві": "UA", "Харкові": "UA"},
        ),
        (
            "nl",
            "In de steden Beër Sheva en Ofakim, en in het grensgebied met Gaza ging het alarm af.",
            {"Beër Sheva": "IL", "Ofakim": "IL", "grensgebied met Gaza": "IL"},
        ),
    ],
)
def test_places_are_found_and_resolved(
    gaz: Gazetteer, lang: str, text: str, expected: dict[str, str]
) -> None:
    found = _places(gaz, text, lang)
    assert {k: found.get(k, ("?", "?"))[0] for k in expected} == expected


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("nl", "Of daarbij slachtoffers vielen, is niet duidelijk. Met het Oog op Morgen zond het uit."),
        ("nl", "Volgens Haaretz en de Jerusalem Post is Mohammed Deif gewond. Premier Netanyahu zweeg."),
        ("en", "Will they come? Mobile phones are nice. Best wishes, said President Biden to CNN."),
        ("de", "Das Beste kommt noch, sagte Herr Paris am Montag."),
        ("uk", "Мир можливий лише після перемоги. Сили оборони тримають позиції."),
    ],
)
def test_words_that_are_not_places(gaz: Gazetteer, lang: str, text: str) -> None:
    assert _places(gaz, text, lang) == {}


def test_german_appositions_and_exonyms(gaz: Gazetteer) -> None:
    found = _places(gaz, "Raketen trafen die südukrainische Hafenstadt Odessa am Morgen.", "de")
    assert found == {"Odessa": ("UA", "PPL")}


def test_ukrainian_regional_administration_names_the_region(gaz: Gazetteer) -> None:
    found = _places(gaz, "Про це повідомив голова Харківської ОВА.", "uk")
    assert found == {"Харківської": ("UA", "ADM1")}


def test_a_name_seen_as_a_person_stays_a_person(gaz: Gazetteer) -> None:
    assert _places(gaz, "The anchor Megyn Kelly spoke first. Later Kelly said nothing.", "en") == {}


def test_demonyms_are_context_not_places(gaz: Gazetteer) -> None:
    found = geoparse("Israëlische en Russische troepen; Ukrainian drones.", gazetteer=gaz, lang="nl")
    kinds = {t.text: (t.kind, t.place.country_code) for t in found}
    assert kinds["Israëlische"] == (MentionKind.DEMONYM, "IL")
    assert kinds["Russische"] == (MentionKind.DEMONYM, "RU")


def test_results_are_sorted_and_offsets_exact(gaz: Gazetteer) -> None:
    text = "From Kyiv to Kharkiv, then Odesa."
    found = geoparse(text, gazetteer=gaz, lang="en")
    assert [t.start for t in found] == sorted(t.start for t in found)
    assert all(text[t.start : t.end] == t.text for t in found)
    assert geoparse("", gazetteer=gaz) == []


@pytest.mark.skipif(not SEED.is_file(), reason="the shared seed document is absent")
def test_seed_document(gaz: Gazetteer) -> None:
    found = _places(gaz, SEED.read_text(encoding="utf-8"), "nl")
    assert found["Khan Younis"][0] == "PS"
    assert found["Gazastrook"][0] == "PS"
    assert found["Beër Sheva"][0] == "IL"
    assert found["Ofakim"][0] == "IL"
    assert found["Israël"] == ("IL", "PCLI")
    assert found["Verenigde Staten"] == ("US", "PCLI")
    assert not {"Haaretz", "Hamas", "Biden", "Netanyahu", "CNN"} & set(found)


@pytest.mark.parametrize(
    ("text", "mention", "region"),
    [
        ("Про це повідомив начальник Київської ОВА.", "Київської", "Kyiv Oblast"),
        ("Голова Одеської ОДА повідомив про атаку.", "Одеської", "Odesa Oblast"),
    ],
)
def test_oblast_administrations_name_the_oblast_not_the_city(
    gaz: Gazetteer, text: str, mention: str, region: str
) -> None:
    found = {t.text: t.place for t in geoparse(text, gazetteer=gaz, lang="uk")}
    assert found[mention].feature == "ADM1" and found[mention].name == region


@pytest.mark.parametrize(
    ("text", "lang", "mention"),
    [
        ("Tensions rose across the Middle East.", "en", "Middle East"),
        ("Spanningen in het Midden-Oosten en Noord-Afrika.", "nl", "Noord-Afrika"),
        ("Die Lage auf der Koreanischen Halbinsel bleibt angespannt.", "de", "Koreanischen Halbinsel"),
        ("Des attaques dans la Corne de l'Afrique.", "fr", "Corne de l'Afrique"),
    ],
)
def test_large_regions_news_names(gaz: Gazetteer, text: str, lang: str, mention: str) -> None:
    found = {t.text: t.place for t in geoparse(text, gazetteer=gaz, lang=lang)}
    assert mention in found, sorted(found)
    assert found[mention].id.startswith("curated:")


#: Case forms of Ukrainian and Russian places (all six cases; nominatives as direct objects).
PLACE_FORMS = [json.loads(line) for line in
               (CASES / "places_cyrillic.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.mark.parametrize("case", PLACE_FORMS, ids=lambda c: f"{c['lang']}:{c['form']}")
def test_ukrainian_and_russian_case_forms_resolve_to_their_place(
    gaz: Gazetteer, case: dict[str, Any]
) -> None:
    found = [t for t in geoparse(case["text"], gazetteer=gaz, lang=case["lang"]) if case["form"] in t.text]
    assert found, f"{case['form']} not found"
    assert distance_km(case["lat"], case["lon"], found[0].place.lat, found[0].place.lon) <= case["km"]


def test_thirty_places_in_case_forms_of_both_languages() -> None:
    assert len(PLACE_FORMS) >= 30
    assert {c["lang"] for c in PLACE_FORMS} == {"uk", "ru"}


@pytest.mark.parametrize(
    ("lang", "text", "mention", "admin1"),
    [
        ("en", "Two people were killed in Khan Younis on Tuesday.", "Khan Younis", "Khan Yunis"),
        ("nl", "Bij een aanval in Rafah vielen doden.", "Rafah", "Rafah"),
        ("de", "Luftangriffe auf Gaza-Stadt am Morgen.", "Gaza", "Gaza"),
    ],
)
def test_first_level_region_is_the_one_the_place_lies_in(
    gaz: Gazetteer, lang: str, text: str, mention: str, admin1: str
) -> None:
    assert _resolved(gaz, text, lang)[mention].admin1 == admin1


@pytest.mark.parametrize(
    ("lang", "text", "mention", "country"),
    [
        ("en", "A strike hit the port of Hodeidah, killing six.", "Hodeidah", "YE"),
        ("fr", "Des frappes au Yémen, dans le port d'Al Hodeïdah.", "Al Hodeïdah", "YE"),
        ("de", "Im Irak gab es Kämpfe bei Tooz Khurmato.", "Tooz Khurmato", "IQ"),
        ("nl", "Doden bij Deir al-Balah, in de Gazastrook.", "Deir al-Balah", "PS"),
    ],
)
def test_other_romanisations_of_places_in_the_news(
    gaz: Gazetteer, lang: str, text: str, mention: str, country: str
) -> None:
    found = _resolved(gaz, text, lang)
    assert found.get(mention, None) is not None, sorted(found)
    assert found[mention].country_code == country


@pytest.mark.parametrize(
    ("lang", "text", "absent"),
    [
        ("en", "Shelling across the Dnipro river hit Nikopol.", "Dnipro"),
        ("en", "Crowds gathered near the Qatar roundabout in Gaza City.", "Qatar"),
        ("nl", "In de Noord-Oekraïense stad Charkiv vielen doden.", "de Noord"),
        ("fr", "Des navires ont été visés dans le golfe d'Aden.", "Aden"),
        ("de", "Granaten schlugen am Dnipro-Ufer bei Nikopol ein.", "Dnipro"),
        ("uk", "Уламки впали на вулиці Харківській у Сумах.", "Харківській"),
    ],
)
def test_landmark_names_and_fragments_are_not_places(
    gaz: Gazetteer, lang: str, text: str, absent: str
) -> None:
    assert absent not in _places(gaz, text, lang)


@pytest.mark.parametrize(
    ("lang", "text", "regions"),
    [
        ("en", "The governors of the Bryansk and Rostov regions reported damage.", ["Bryansk", "Rostov"]),
        ("nl", "Drones boven de Bryansk en Koersk regio's.", ["Bryansk", "Koersk"]),
        ("de", "Drohnen über den Gebieten Brjansk und Kursk.", ["Brjansk", "Kursk"]),
        ("ru", "Тревога в Липецкой и Тамбовской областях.", ["Липецкой", "Тамбовской"]),
        ("ru", "Дроны сбиты над Липецкой, Тамбовской и Пензенской областями.",
         ["Липецкой", "Тамбовской", "Пензенской"]),
        ("fr", "Alertes dans les régions de Soumy et de Kharkiv.", ["Soumy", "Kharkiv"]),
        ("uk", "Тривога у Сумській та Харківській областях.", ["Сумській", "Харківській"]),
    ],
)
def test_a_shared_plural_region_word_makes_every_name_of_the_list_a_region(
    gaz: Gazetteer, lang: str, text: str, regions: list[str]
) -> None:
    found = _resolved(gaz, text, lang)
    assert [found[name].feature for name in regions] == ["ADM1"] * len(regions), sorted(found)


@pytest.mark.parametrize(
    ("lang", "text", "part", "city"),
    [
        ("en", "Shelling hit the Kyivskyi district of Kharkiv.", "Kyivskyi", "Kharkiv"),
        ("nl", "Een aanval op de wijk Zeitoun in Gaza-Stad.", "Zeitoun", "Gaza"),
        ("fr", "Le quartier de Zeitoun, à Gaza, a été bombardé.", "Zeitoun", "Gaza"),
        ("uk", "Ракета влучила у Київському районі Харкова.", "Київському", "Харкова"),
    ],
)
def test_a_part_of_a_city_the_index_lacks_is_no_namesake_elsewhere(
    gaz: Gazetteer, lang: str, text: str, part: str, city: str
) -> None:
    # A part the index lacks is read as that part of the city, at the city's point (district precision),
    # never as a namesake elsewhere.
    found = _resolved(gaz, text, lang)
    owner = found[city]
    assert owner.feature.startswith("PPL")
    parts = [place for name, place in found.items() if name.startswith(part)]
    assert parts
    for place in parts:
        assert (place.lat, place.lon, place.country_code) == (owner.lat, owner.lon, owner.country_code)
        assert place.precision == "district"
        assert place.id.startswith(f"part:{owner.id}:")
        assert place.name.endswith(f", {owner.name}")


def test_the_text_s_countries_decide_namesakes(gaz: Gazetteer) -> None:
    text = "Израиль нанес удары по Газе. В районе Зейтун погибли люди, сообщили в Израиле."
    found = _resolved(gaz, text, "ru")
    assert found["Газе"].country_code == "PS"
    # Żejtun, Malta is the only reading of "Зейтун": in a story on Gaza it is no place of the text.
    assert "Зейтун" not in found
    french = _resolved(gaz, "Une frappe de drone au Sud-Kurdistan, près de Souleimaniye.", "fr")
    assert french["Kurdistan"].country_code == "IQ"


@pytest.mark.parametrize(
    ("lang", "text", "mention", "name"),
    [
        ("en", "Drone strikes in the northern Sinai Peninsula.", "Sinai Peninsula", "North Sinai"),
        ("fr", "Des frappes dans le nord du Sinaï.", "Sinaï", "North Sinai"),
        ("en", "Sirens sounded in the Nahariya area.", "Nahariya", "Nahariyya"),
    ],
)
def test_directional_and_area_heads(gaz: Gazetteer, lang: str, text: str, mention: str, name: str) -> None:
    assert _resolved(gaz, text, lang)[mention].name == name


def test_a_country_after_a_plural_region_word_contains_the_regions(gaz: Gazetteer) -> None:
    found = _resolved(gaz, "Sirens sounded in Kyiv and several regions of Ukraine.", "en")
    assert found["Ukraine"].feature == "PCLI"
    # The city and its oblast ("...та області"), no list of regions: the city's mention is no region phrase.
    text = "Вибухи у Запоріжжі та області."
    mentions = select(gaz.scan(text), text, lang="uk", gazetteer=gaz)
    assert [m.region_phrase for m in mentions if m.match.text == "Запоріжжі"] == [False]


@pytest.mark.parametrize(
    ("lang", "text", "adjective", "country"),
    [
        ("de", "Die israelische Armee meldete Angriffe im Süden.", "israelische", "IL"),
        ("fr", "Un drone russe a été abattu au-dessus de la mer.", "russe", "RU"),
        ("uk", "Вночі російські війська атакували місто.", "російські", "RU"),
        ("ru", "После израильского удара дом был разрушен.", "израильского", "IL"),
    ],
)
def test_country_adjectives_in_lower_case_are_context(
    gaz: Gazetteer, lang: str, text: str, adjective: str, country: str
) -> None:
    kinds = {t.text: (t.kind, t.place.country_code) for t in geoparse(text, gazetteer=gaz, lang=lang)}
    assert kinds.get(adjective) == (MentionKind.DEMONYM, country), kinds


@pytest.mark.parametrize(
    ("lang", "text", "mention", "country"),
    [
        # Spellings of a foreign name that differ from the index's Cyrillic one, in case forms too.
        ("ru", "Израильские танки вошли в Газу, бои идут в Хан-Юнусе.", "Хан-Юнусе", "PS"),
        ("ru", "Израильская армия обстреляла районы на севере Хан-Юнуса.", "Хан-Юнуса", "PS"),
        ("uk", "Ізраїльські літаки вдарили по Дейр-ель-Балаху в секторі Газа.", "Дейр-ель-Балаху", "PS"),
    ],
)
def test_cyrillic_spellings_meet_the_latin_name_under_the_romanisation_key(
    gaz: Gazetteer, lang: str, text: str, mention: str, country: str
) -> None:
    found = _resolved(gaz, text, lang)
    assert found.get(mention) is not None, sorted(found)
    assert found[mention].country_code == country


def test_surnames_are_not_romanised_places(gaz: Gazetteer) -> None:
    text = "Израиль нанес удары по Газе. По словам Путина и Нетаньяху, переговоры продолжатся."
    assert set(_resolved(gaz, text, "ru")) == {"Израиль", "Газе"}


@pytest.mark.parametrize(
    ("lang", "text", "mention"),
    [
        ("en", "Jets struck a house in the city of Gaza overnight.", "Gaza"),
        ("fr", "Une frappe a touché un immeuble dans la ville de Gaza.", "Gaza"),
        ("de", "In der Stadt Gaza wurde ein Haus getroffen.", "Gaza"),
        ("ru", "Израильские самолеты ударили по дому в городе Газа.", "Газа"),
        ("uk", "Літаки вдарили по будинку в місті Газа.", "Газа"),
    ],
)
def test_a_word_for_city_makes_the_name_the_settlement(
    gaz: Gazetteer, lang: str, text: str, mention: str
) -> None:
    place = _resolved(gaz, text, lang)[mention]
    assert (place.country_code, place.feature[:3]) == ("PS", "PPL")


def test_case_forms_of_one_name_do_not_vouch_for_each_other(gaz: Gazetteer) -> None:
    # "Газа" also names a province of Mozambique; its other case forms are no evidence for that reading.
    text = "Удары по всей территории Газы. Самолеты атаковали Газу. Израильская армия сообщила об ударах."
    found = _resolved(gaz, text, "ru")
    assert {found[name].country_code for name in ("Газы", "Газу")} == {"PS"}


@pytest.mark.parametrize(
    ("lang", "text", "mention", "country"),
    [
        # A village elsewhere named like the region does not bring its own, larger region.
        ("fr", "Des frappes contre les provinces de Hajjah et d'Al Hodeïdah, au Yémen.", "Hajjah", "YE"),
        ("en", "Strikes hit the Hajjah and Saada provinces of Yemen overnight.", "Hajjah", "YE"),
    ],
)
def test_a_region_phrase_prefers_regions_known_by_the_name(
    gaz: Gazetteer, lang: str, text: str, mention: str, country: str
) -> None:
    place = _resolved(gaz, text, lang)[mention]
    assert (place.country_code, place.feature) == (country, "ADM1")


def test_the_locative_of_a_city_is_the_city(gaz: Gazetteer) -> None:
    place = _resolved(gaz, "Під час повітряної тривоги у Запоріжжі було чутно вибухи.", "uk")["Запоріжжі"]
    assert place.feature.startswith("PPL")


@pytest.mark.parametrize(
    ("lang", "text", "mention"),
    [
        ("ru", "Курск снова попал под удар беспилотников.", "Курск"),
        ("uk", "Харків знову під обстрілом.", "Харків"),
        ("uk", "Суми атакували дрони вночі.", "Суми"),
        ("ru", "Белгород подвергся обстрелу.", "Белгород"),
    ],
)
def test_a_large_city_opening_a_cyrillic_sentence_is_the_city(
    gaz: Gazetteer, lang: str, text: str, mention: str
) -> None:
    # City names are frequent words in Ukrainian and Russian; opening a sentence they stay names.
    assert _resolved(gaz, text, lang)[mention].feature.startswith("PPL")


@pytest.mark.parametrize(
    ("lang", "text", "mention", "name"),
    [
        ("uk", "Ракета влучила по Кривому Рогу.", "Кривому Рогу", "Kryvyy Rih"),
        ("uk", "Вибухи пролунали у Кривому Розі.", "Кривому Розі", "Kryvyy Rih"),
        ("uk", "У Білій Церкві дрон влучив у будинок.", "Білій Церкві", "Bila Tserkva"),
        ("uk", "У Новій Каховці знову обстріл.", "Новій Каховці", "Nova Kakhovka"),
        ("ru", "В Старом Осколе беспилотник атаковал завод.", "Старом Осколе", "Staryy Oskol"),
        ("ru", "Удар по Кривому Рогу.", "Кривому Рогу", "Kryvyy Rih"),
    ],
)
def test_two_word_names_in_a_case_form(gaz: Gazetteer, lang: str, text: str, mention: str, name: str) -> None:
    # An adjective and a noun both take the case: Kryvyi Rih -> Kryvomu Rohu, u Kryvomu Rozi.
    assert _resolved(gaz, text, lang)[mention].name == name


@pytest.mark.parametrize(
    ("lang", "text", "mention"),
    [
        ("ru", "В Белгороде и Белгородской области прозвучала сирена.", "Белгороде"),
        ("uk", "У Сумах і Сумській області лунала тривога.", "Сумах"),
        ("en", "Sirens sounded in Kharkiv and Kharkiv Oblast.", "Kharkiv"),
    ],
)
def test_a_town_listed_with_its_own_region_is_the_town(
    gaz: Gazetteer, lang: str, text: str, mention: str
) -> None:
    assert _resolved(gaz, text, lang)[mention].feature.startswith("PPL")


@pytest.mark.parametrize(
    ("text", "mention", "name"),
    [
        # German: every noun is capitalised, so a noun after a notable place is no longer name ...
        ("Nachdem aus dem Libanon Raketen abgefeuert worden waren, heulten Sirenen.", "Libanon", "Lebanon"),
        ("In Kiew Explosionen am Morgen.", "Kiew", "Kyiv"),
        # ... and names take a genitive -s after their noun.
        ("Im Norden Israels heulten die Sirenen.", "Israels", "Northern Israel"),
        ("Die Regierung Russlands wies das zurück.", "Russlands", "Russia"),
    ],
)
def test_german_nouns_and_genitives_beside_names(gaz: Gazetteer, text: str, mention: str, name: str) -> None:
    assert _resolved(gaz, text, "de")[mention].name == name


def test_a_genitive_s_is_no_case_form_in_english(gaz: Gazetteer) -> None:
    assert "Israels" not in _resolved(gaz, "Two Israels are imagined in the essay.", "en")


def test_a_lower_case_direction_is_not_part_of_the_name_after_it(gaz: Gazetteer) -> None:
    assert _places(gaz, "He was taken to an east London clinic.", "en") == {"London": ("GB", "PPLC")}
    assert "East London" in _places(gaz, "Police in East London, South Africa, made an arrest.", "en")
    assert "northern Gaza" in _places(gaz, "Shelling in northern Gaza wounded four.", "en")


def test_canadian_province_abbreviations_name_their_province(gaz: Gazetteer) -> None:
    text = "Smoke forced evacuations near Fort McMurray, Alta., and Prince Albert, Sask."
    found = _resolved(gaz, text, "en")
    assert found["Alta."].id == "iso3166-2:CA-AB" and found["Sask."].id == "iso3166-2:CA-SK"


def test_a_german_possessive_genitive_is_the_owner_not_a_place(gaz: Gazetteer) -> None:
    # "Israels Militär" (Israel's army) before its noun, unlike "im Norden Israels" after one.
    assert "Israels" not in _resolved(gaz, "In der Stadt will Israels Militär die Hamas zerschlagen.", "de")


@pytest.mark.parametrize(
    ("lang", "text", "mention", "feature", "seat"),
    [
        ("uk", "Уночі дрон влучив у Великописарівську селищну громаду.", "Великописарівську селищну громаду",
         "ADM3", "Velyka Pysarivka"),
        ("uk", "У Великописарівській громаді поранено жінку.", "Великописарівській громаді", "ADM3",
         "Velyka Pysarivka"),
        ("uk", "Обстріляли Краснопільську громаду.", "Краснопільську громаду", "ADM3", "Краснопілля"),
        ("ru", "Грайворонский городской округ снова под обстрелом.", "Грайворонский городской округ",
         "ADM2", "Grayvoron"),
        ("ru", "В Шебекинском городском округе ранены трое.", "Шебекинском городском округе", "ADM2",
         "Shebekino"),
    ],
)
def test_a_unit_named_after_its_seat_resolves_to_the_unit_at_the_seat(
    gaz: Gazetteer, lang: str, text: str, mention: str, feature: str, seat: str
) -> None:
    found = _resolved(gaz, text, lang)
    assert mention in found, sorted(found)
    unit = found[mention]
    towns = [p for p in gaz.lookup(seat) if p.feature.startswith("PPL")]
    assert unit.feature == feature
    assert towns
    assert distance_km(unit.lat, unit.lon, towns[0].lat, towns[0].lon) < 1


@pytest.mark.parametrize(
    ("lang", "text", "mention"),
    [
        ("ru", "Американские самолёты нанесли удар по порту Ходейда.", "Ходейда"),
        ("en", "Warships shelled the port of Hodeidah at dawn.", "Hodeidah"),
    ],
)
def test_a_name_a_governorate_shares_with_its_city_is_the_city(
    gaz: Gazetteer, lang: str, text: str, mention: str
) -> None:
    found = _resolved(gaz, text, lang)
    assert (found[mention].country_code, found[mention].feature[:3]) == ("YE", "PPL")


def test_the_namesake_unit_nearest_the_texts_other_places_wins(gaz: Gazetteer) -> None:
    # Several villages are called Любимівка; the one by Dnipro is meant when the text is about Dnipro.
    text = "Ракету збили над Дніпром, а уламки впали в Любимівській громаді."
    found = _resolved(gaz, text, "uk")
    unit = found["Любимівській громаді"]
    assert unit.feature == "ADM3"
    assert unit.admin1 is not None and unit.admin1.startswith("Dnipropetrovs")


@pytest.mark.parametrize(
    ("text", "mention", "feature"),
    [
        ("A spokesman for the US State Department declined to comment.", "US", "PCLI"),
        ("Georgia state troopers closed the highway overnight.", "Georgia", "ADM1"),
    ],
)
def test_a_country_before_a_region_word_stays_the_country_unless_a_region_bears_the_name(
    gaz: Gazetteer, text: str, mention: str, feature: str
) -> None:
    assert _resolved(gaz, text, "en")[mention].feature == feature


@pytest.mark.parametrize(
    ("text", "inside", "owner"),
    [
        ("Drones set an oil depot ablaze in Russia's Bryansk region.", "Bryansk region", "RU"),
        ("Shelling hit Lebanon\u2019s Tyre overnight.", "Tyre", "LB"),
        ("Artillery struck Ukraine's Kherson region again.", "Kherson region", "UA"),
    ],
)
def test_a_place_after_its_country_s_possessive_is_no_part_of_a_longer_name(
    gaz: Gazetteer, text: str, inside: str, owner: str
) -> None:
    found = _resolved(gaz, text, "en")
    assert found[inside].country_code == owner


def test_an_all_caps_dateline_town_is_a_place_not_a_code(gaz: Gazetteer) -> None:
    found = _resolved(gaz, "ODESA, Ukraine (AP) \u2014 Drones hit the port overnight.", "en")
    assert found["ODESA"].country_code == "UA"
    assert "KYIV" not in _resolved(gaz, "The talks in Brussels ended. KYIV said nothing.", "en")
