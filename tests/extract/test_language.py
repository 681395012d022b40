"""Tests of language detection restricted to the supported languages."""

from __future__ import annotations

import pytest

from incidents.extract.language import detect_language, vote_language
from incidents.extract.lexicon import LANGUAGES


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("In Zwolle en Deventer ging het luchtalarm af.", "nl"),
        ("Sirens sounded in Haifa and Akko.", "en"),
        ("Ein Drohnenangriff traf Lwiw und Riwne.", "de"),
        ("Une frappe a touché Kharkiv et Soumy.", "fr"),
        ("Вночі ворог атакував Житомир.", "uk"),
        ("Bij de beschieting van Marioepol vielen drie doden, meldt de gouverneur van de regio.", "nl"),
    ],
)
def test_detects_supported_languages(text: str, lang: str) -> None:
    assert detect_language(text) == lang


def test_short_text_full_of_place_names_stays_dutch() -> None:
    assert detect_language("Luchtalarm in Kibbutz Nir Oz en Sderot") == "nl"


@pytest.mark.parametrize("text", ["", "1234", "?!", "Haifa", "ᚠᚢᚦ", "東京"])
def test_always_returns_a_supported_language(text: str) -> None:
    assert detect_language(text) in LANGUAGES


def test_vote_reports_no_winner_without_lexicon_words() -> None:
    assert vote_language("Xqz Wpt") is None
    vote = vote_language("de raket en het luchtalarm")
    assert vote is not None and vote[0] == "nl"
