"""Tests of the pymorphy3 reading of Ukrainian and Russian words."""



from __future__ import annotations

import pytest

from gazetteer.morphology import base_forms, languages_of, numeral_base


@pytest.mark.parametrize(("word", "base"), [
    ("Харкові", "харків"), ("Львові", "львів"), ("Одесі", "одеса"), ("Хорлах", "хорли"), ("Сумах", "суми"),
    ("Харькове", "харьков"), ("Курском", "курск"), ("Белгородской", "белгородская"),
    ("Тель-Авиве", "тель-авив"), ("Харківської", "харківська"),
])
def test_case_forms_come_back_to_their_nominative(word: str, base: str) -> None:
    assert base in base_forms(word)


def test_person_name_readings_are_left_out() -> None:
    assert "джуна" not in base_forms("Джун")


def test_other_scripts_have_no_base_forms() -> None:
    assert base_forms("Kharkiv") == ()


@pytest.mark.parametrize(("word", "langs"),
                         [("Київ", ("uk",)), ("Сыктывкар", ("ru",)), ("Курск", ("uk", "ru"))])
def test_letters_pick_the_analyser(word: str, langs: tuple[str, ...]) -> None:
    assert languages_of(word) == langs


@pytest.mark.parametrize(("word", "lang", "base"), [
    ("трёх", "ru", "три"), ("пятерых", "ru", "пятеро"), ("двадцати", "ru", "двадцать"),
    ("п'ятьох", "uk", "п'ять"), ("сімох", "uk", "сім"), ("людей", "uk", None),
])
def test_numerals_come_back_to_their_nominative(word: str, lang: str, base: str | None) -> None:
    assert numeral_base(word, lang) == base
