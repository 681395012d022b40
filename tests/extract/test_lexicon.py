"""Tests of lexicon loading and pattern compilation."""

from __future__ import annotations

import re

import pytest

from incidents.errors import IncidentsError
from incidents.extract.lexicon import (
    LANGUAGES,
    LexiconError,
    compile_tagged,
    compile_words,
    load_lexicon,
    parse_lexicon,
)


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


def test_ukrainian_has_a_number_table() -> None:
    assert load_lexicon("uk").number_words["троє"] == 3


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
