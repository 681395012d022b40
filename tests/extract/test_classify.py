"""Tests of sentence classification and place roles (cases in tests/cases/classify.jsonl)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from incidents.extract.classify import PlaceRole, classify_sentence, is_source_seat, place_role
from incidents.extract.lexicon import load_lexicon
from incidents.records import IncidentType
from tests.paths import CASES

CASE_FILE = CASES / "classify.jsonl"
CASES = [json.loads(line) for line in CASE_FILE.read_text("utf-8").splitlines()]


@pytest.mark.parametrize("case", CASES, ids=[c["text"][:40] for c in CASES])
def test_cases(case: dict[str, Any]) -> None:
    found = classify_sentence(case["text"], load_lexicon(case["lang"]))
    if case["type"] is None:
        assert not found.is_incident
        return
    assert found.triggers[0].type == IncidentType(case["type"])
    assert next(t.subtype for t in found.triggers if t.subtype) == case["subtype"]


def test_hypothetical_after_a_colon_is_dropped() -> None:
    text = 'Hij zei: "Als de brug wordt gebombardeerd, is alles anders."'
    found = classify_sentence(text, load_lexicon("nl"))
    assert not found.is_incident and found.dropped


def test_markers() -> None:
    nl = load_lexicon("nl")
    assert classify_sentence("Daarbij zouden huizen zijn geraakt door een raket.", nl).hedged
    assert classify_sentence("Daarbij raakte een raket een huis.", nl).followup
    assert classify_sentence("Elders sloeg een raket in.", nl).distinct


def _role(text: str, name: str, lang: str, others: tuple[str, ...] = ()) -> PlaceRole:
    start = text.index(name)
    spans = tuple((text.index(o), text.index(o) + len(o)) for o in others)
    return place_role(text, start, start + len(name), load_lexicon(lang), others=spans)


@pytest.mark.parametrize(
    ("lang", "text", "name", "role"),
    [
        ("nl", "Een raket sloeg in op Lviv.", "Lviv", PlaceRole.SCENE),
        ("nl", "Volgens Polen viel er een raket.", "Polen", PlaceRole.SOURCE),
        ("nl", "Raketten werden afgevuurd vanuit Libanon.", "Libanon", PlaceRole.ORIGIN),
        ("nl", "De raket viel tien kilometer ten oosten van Lviv.", "Lviv", PlaceRole.RELATIVE),
        ("en", "Missiles were fired from Lebanon.", "Lebanon", PlaceRole.ORIGIN),
        ("en", "Sumy Oblast governor said a drone hit a house.", "Sumy Oblast", PlaceRole.TITLE),
        ("en", "The Ramallah-based ministry reported strikes.", "Ramallah", PlaceRole.TITLE),
        ("en", "In a post, Sumy's mayor said a drone hit a house.", "Sumy", PlaceRole.TITLE),
        ("en", "Moscow launched missiles at dawn.", "Moscow", PlaceRole.UNMARKED),
        ("en", "A strike hit the southern city of Rafah.", "Rafah", PlaceRole.SCENE),
        ("de", "Ein Angriff auf Lwiw.", "Lwiw", PlaceRole.SCENE),
        ("fr", "Une frappe à Soumy, selon Kyiv.", "Kyiv", PlaceRole.SOURCE),
        ("uk", "Удар по Сумах.", "Сумах", PlaceRole.SCENE),
    ],
)
def test_place_roles(lang: str, text: str, name: str, role: PlaceRole) -> None:
    assert _role(text, name, lang) == role


def test_a_list_of_places_shares_its_preposition() -> None:
    text = "In de steden Hadera en Afula, en in het noorden ging het alarm af."
    assert _role(text, "Afula", "nl", others=("Hadera",)) == PlaceRole.SCENE


@pytest.mark.parametrize(
    ("lang", "text", "name"),
    [
        ("nl", "Russische drones vielen Lviv aan.", "Lviv"),
        ("nl", "Het leger bestookte Gaza-stad met artillerie.", "Gaza-stad"),
        ("en", "Russian forces shelled Kherson again.", "Kherson"),
        ("en", "Israeli jets bombed Rafah.", "Rafah"),
        ("de", "Raketen trafen Odesa in der Nacht.", "Odesa"),
        ("de", "Die Armee beschoss Cherson.", "Cherson"),
        ("fr", "Des drones ont frappé Kherson.", "Kherson"),
        ("fr", "L'armée a bombardé Rafah.", "Rafah"),
        ("uk", "Росіяни обстріляли Херсон.", "Херсон"),
        ("uk", "Ракети влучили в Одесу.", "Одесу"),
    ],
)
def test_a_direct_object_of_an_attack_verb_is_a_scene(lang: str, text: str, name: str) -> None:
    assert _role(text, name, lang) == PlaceRole.SCENE


def _seat(text: str, name: str, lang: str) -> bool:
    start = text.index(name)
    return is_source_seat(text, start, start + len(name), load_lexicon(lang))


@pytest.mark.parametrize(
    ("lang", "text", "name", "seat"),
    [
        ("en", "Doctors in Sumy say a missile killed four people in Lviv.", "Sumy", True),
        ("en", "Doctors in Sumy say a missile killed four people in Lviv.", "Lviv", False),
        ("nl", "Een raket trof Lviv, meldt het ministerie van Defensie in Kyiv.", "Kyiv", True),
        ("de", "Ein Angriff auf Lwiw, teilte die Verwaltung in Kiew mit.", "Kiew", True),
        ("fr", "Les secouristes à Kyiv affirment qu'une frappe a touché Lviv.", "Kyiv", True),
        ("uk", "Ракета влучила в Одесу.", "Одесу", False),
    ],
)
def test_the_seat_of_a_speaker_or_an_office(lang: str, text: str, name: str, seat: bool) -> None:
    assert _seat(text, name, lang) == seat


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("en", "The army will respond hard if drones strike the port again."),
        ("nl", "Het leger reageert indien drones de haven aanvallen."),
        ("de", "Die Armee antwortet hart, sofern Raketen den Hafen treffen."),
        ("fr", "L'armée répondra au cas où des missiles frapperaient le port."),
        ("uk", "Армія відповість жорстко, якщо ракети вдарять по порту."),
    ],
)
def test_a_conditional_inside_the_clause_is_not_an_incident(lang: str, text: str) -> None:
    assert not classify_sentence(text, load_lexicon(lang)).is_incident


def test_a_denial_governs_the_clause_after_it() -> None:
    text = "Russland bestreitet, das Krankenhaus bombardiert zu haben."
    found = classify_sentence(text, load_lexicon("de"))
    assert not found.is_incident and found.dropped
