"""Tests of lexicon loading and pattern compilation; the Russian lexicon's categories, driven by
tests/cases/lexicon_ru.jsonl (our own sentences, at least three per category)."""



from __future__ import annotations

import json
import re
import tomllib
from collections import Counter
from importlib import resources
from typing import Any

import pytest

from incidents.errors import IncidentsError
from incidents.extract.lexicon import (
    LANGUAGES,
    Lexicon,
    LexiconError,
    category,
    compile_tagged,
    compile_words,
    load_lexicon,
    parse_lexicon,
    union,
)
from incidents.extract.numbers import parse_count
from tests.paths import CASES

RU_CASES = [json.loads(line) for line in (CASES / "lexicon_ru.jsonl").read_text(encoding="utf-8").splitlines()
            if line.strip()]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_language_has_the_categories_the_steps_use(lang: str) -> None:
    lexicon = load_lexicon(lang)
    assert lexicon.lang == lang
    assert {name for name, _ in lexicon.strike} >= {"airstrike", "drone", "missile", "shelling", "generic"}
    assert sorted(name for name, _ in lexicon.alert) == ["danger", "siren"]
    for section, names in ((lexicon.casualties, ("killed", "injured", "none", "vague", "lower_bound")),
                           (lexicon.places, ("locative", "origin", "source", "actor_verbs", "clause_links")),
                           (lexicon.modality,
                            ("blockers", "negation", "hypothetical", "habitual", "repeat"))):
        for name in names:
            assert section[name].patterns, f"{lang}: {name} is empty"
    assert len(lexicon.weekdays) == 7 and len(lexicon.months) == 12 and lexicon.relative_days


@pytest.mark.parametrize("lang", ["uk", "ru"])
def test_slavic_tables_hold_only_the_collectives_the_library_lacks(lang: str) -> None:
    table = load_lexicon(lang).number_words
    assert 0 < len(table) <= 9
    assert set(table.values()) <= set(range(2, 11))


def _ru_categories() -> list[str]:
    raw = resources.files("incidents.extract").joinpath("lexicons", "ru.toml").read_text(encoding="utf-8")
    names: list[str] = []

    def walk(table: dict[str, Any], prefix: str) -> None:
        for key, value in table.items():
            if isinstance(value, dict) and key not in {"words", "relative"}:
                walk(value, f"{prefix}{key}.")
            elif isinstance(value, list | dict):
                names.append(prefix + key)

    walk(tomllib.loads(raw), "")
    return names


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text)


def _found(lexicon: Lexicon, name: str, text: str, value: int | None) -> list[str]:
    """Return the stretches of ``text`` that one lexicon category (``section.name``) matches."""
    section, _, rest = name.partition(".")
    if name in {"text.abbreviations", "language.stopwords", "numbers.not_numbers"}:
        words = {"text": lexicon.abbreviations, "language": lexicon.stopwords, "numbers": lexicon.not_numbers}
        return [w for w in _words(text) if w.lower() in words[section]
                and (section != "numbers" or parse_count(w, lexicon) is None)]
    if name == "numbers.words":
        return [w for w in _words(text) if parse_count(w, lexicon) == value]
    if section == "triggers":
        return [text[a:b] for a, b, tag in lexicon.triggers.finditer(text) if tag == rest.replace(".", "/")]
    if name == "when.relative":
        return [text[a:b] for a, b, tag in lexicon.times.finditer(text) if tag == f"day:{value}"]
    if name in {"when.weekdays", "when.months"}:
        assert value is not None
        words = (lexicon.weekdays if rest == "weekdays" else lexicon.months)[value]
        return [m.group() for m in words.finditer(text)]
    if name == "when.since":
        return [m.group() for m in lexicon.since.finditer(text)]
    tables = {"modality": lexicon.modality, "casualties": lexicon.casualties, "places": lexicon.places}
    return [m.group() for m in category(tables[section], rest).finditer(text)]


@pytest.mark.parametrize("case", RU_CASES, ids=lambda c: f"{c['category']}:{c['word']}")
def test_russian_category_finds_its_word(case: dict[str, Any]) -> None:
    found = _found(load_lexicon("ru"), case["category"], case["text"], case.get("value"))
    assert case["word"].lower() in [f.lower() for f in found], found


def test_every_russian_category_has_three_own_sentences() -> None:
    counts = Counter(case["category"] for case in RU_CASES)
    assert {name: counts[name] for name in _ru_categories() if counts[name] < 3} == {}


def test_patterns_match_whole_words_with_wildcards() -> None:
    words = compile_words(["luchtaanval*", "om het leven", "*aanval|aanvallen"])
    assert words.search("twee LUCHTAANVALLEN op") is not None
    assert words.search("kwamen om  het\nleven") is not None
    assert words.search("een droneaanval") is not None
    assert words.search("aanvaller") is None
    assert words.search("nooit") is None


def test_empty_category_matches_nothing() -> None:
    assert compile_words([]).search("anything") is None


def test_unknown_language_is_an_error() -> None:
    with pytest.raises(LexiconError, match="'xx'"):
        load_lexicon("xx")
    assert issubclass(LexiconError, IncidentsError)


def test_malformed_lexicon_names_the_problem() -> None:
    with pytest.raises(LexiconError, match="lang"):
        parse_lexicon({}, where="bad.toml")
    with pytest.raises(LexiconError, match="weekdays"):
        parse_lexicon({"lang": "xx", "when": {"weekdays": ["a"], "months": []}}, where="bad.toml")
    with pytest.raises(LexiconError, match="list of strings"):
        parse_lexicon({"lang": "xx", "casualties": {"killed": [1]}, "when": {
            "weekdays": ["d"] * 7, "months": ["m"] * 12}}, where="bad.toml")


def test_tagged_patterns_find_every_tag_in_one_pass_longest_first() -> None:
    tagged = compile_tagged([("strike/generic", ("aanval", "*aanval")), ("strike/missile", ("raketaanval*",)),
                             ("alert/siren", ("luchtalarm",))])
    found = tagged.finditer("Na de raketaanvallen ging het luchtalarm af; een aanval volgde.")
    assert [tag for _, _, tag in found] == ["strike/missile", "alert/siren", "strike/generic"]
    assert compile_tagged([]).finditer("luchtalarm") == []


@pytest.mark.parametrize("lang", LANGUAGES)
def test_combined_triggers_and_times_cover_every_category(lang: str) -> None:
    lexicon = load_lexicon(lang)
    tags = set(lexicon.triggers.tags)
    names = {f"strike/{name}" for name, _ in lexicon.strike} | {f"alert/{name}" for name, _ in lexicon.alert}
    assert tags == names
    weekdays = {tag for tag in lexicon.times.tags if tag.startswith("weekday:")}
    assert weekdays == {f"weekday:{i}" for i in range(7)}
    assert {"killed", "injured", "unknown"} <= set(lexicon.casualty_cues.tags)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_first_letter_look_ahead_changes_no_match(lang: str) -> None:
    lexicon = load_lexicon(lang)
    text = ("Raketen, drones and ракети hit Лviv; Shelling, обстріл, frappes, luchtalarm, Sirenen. "
            "ЗАГИНУЛИ троє, GETÖTET wurden zwei, killed 3, tués, doden; l'oblast, die Hauptstadt.")
    for words in (*lexicon.casualties.values(), *lexicon.places.values(), *lexicon.modality.values()):
        plain = words.regex.pattern.split("(?:", 1)[1]
        without = re.compile("(?<!\\w)(?:" + plain, words.regex.flags)
        assert [m.span() for m in words.finditer(text)] == [m.span() for m in without.finditer(text)]
    assert compile_words(["*angriff"]).search("Drohnenangriff") is not None
    assert compile_words(["Üb*"]).search("über") is not None


def _sample_text(lexicon: Lexicon) -> str:
    """Return every lexicon phrase written out (wildcards filled or empty) in three cases, in one text."""
    phrases = []
    for words in (*lexicon.casualties.values(), *lexicon.places.values(), *lexicon.modality.values(),
                  *(w for _, w in lexicon.strike), *(w for _, w in lexicon.alert)):
        for pattern in words.patterns:
            for alternative in pattern.split("|"):
                for filler in ("", "en"):
                    phrase = alternative.strip().replace("*", filler)
                    phrases.extend([phrase, phrase.upper(), phrase.title()])
    return " ".join(phrases) + ", " + "; ".join(reversed(phrases))


@pytest.mark.parametrize("lang", LANGUAGES)
def test_first_letter_groups_change_no_match(lang: str) -> None:
    lexicon = load_lexicon(lang)
    text = _sample_text(lexicon)
    for words in (*lexicon.casualties.values(), *lexicon.places.values(), *lexicon.modality.values()):
        flat = compile_words(words.patterns, buckets=False)
        assert [m.span() for m in words.finditer(text)] == [m.span() for m in flat.finditer(text)]
    triggers = [(f"{kind}/{name}", words.patterns)
                for kind, subtypes in (("alert", lexicon.alert), ("strike", lexicon.strike))
                for name, words in subtypes]
    assert lexicon.triggers.finditer(text) == compile_tagged(triggers, buckets=False).finditer(text)


def test_first_letter_groups_keep_the_order_of_alternatives_open_at_the_start() -> None:
    tagged = compile_tagged([("a", ("*aanval",)), ("b", ("raketaanval", "luchtaanval|drone"))])
    flat = compile_tagged([("a", ("*aanval",)), ("b", ("raketaanval", "luchtaanval|drone"))], buckets=False)
    text = "De raketaanval, een luchtaanval, een drone en een aanval; Raketaanval."
    assert tagged.finditer(text) == flat.finditer(text)
    assert [tag for _, _, tag in tagged.finditer(text)] == ["b", "b", "b", "a", "b"]
    assert compile_words(["straße", "\u017ftraße", "strasse"]).search("STRASSE") is not None  # long s: flat
    assert compile_words(["*angriff"]).search("Drohnenangriff") is not None


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize(("section", "names"), [
    ("modality", ()),  # every modality category
    ("places", ("seat_anaphora", "country_anaphora", "capital_anaphora", "region_anaphora", "anaphora")),
    ("places", ("source", "speech")),
])
def test_a_union_finds_something_wherever_one_of_its_categories_does(
        lang: str, section: str, names: tuple[str, ...]) -> None:
    # A sentence the union finds nothing in skips its categories: each phrase a category finds,
    # alone or among the rest, must be found by the union too.
    lexicon = load_lexicon(lang)
    words = getattr(lexicon, section)
    names = names or tuple(words)
    joined = union(lexicon, section, names)
    phrases = _sample_text(lexicon).split(" ")
    for size in (1, 2, 3, 4, 6):
        for start in range(0, len(phrases), size):
            text = " ".join(phrases[start : start + size])
            if any(category(words, name).search(text) for name in names):
                assert joined.search(text) is not None, text
    if lang == "en":
        assert joined.search("Sirens sounded in Lviv; five people were killed.") is None
