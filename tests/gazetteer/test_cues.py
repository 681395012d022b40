"""Tests of the cue words: per-language lists and the words beside a position."""

from __future__ import annotations

from gazetteer.cues import (
    before_word,
    city_words,
    cues,
    left_word,
    organisation_pattern,
    plural_heads,
    region_words,
    right_word,
    sentence_initial,
)


def test_sentence_start() -> None:
    text = 'Er. "Best is" and, Best'
    assert sentence_initial(text, 0)
    assert sentence_initial(text, text.index("Best"))
    assert not sentence_initial(text, text.rindex("Best"))


def test_organisation_pattern_accepts_hyphens_for_spaces() -> None:
    pattern = organisation_pattern(["Boko Haram"])
    assert pattern is not None
    assert pattern.search("the Boko-Haram group") is not None
    assert pattern.search("Bokoharam") is None
    assert organisation_pattern([]) is None


def test_words_beside_a_position() -> None:
    text = "Shelling hit the city of Kharkiv overnight."
    start = text.index("Kharkiv")
    assert left_word(text, start) == "of"
    assert before_word(text, start) == "of"
    assert right_word(text, start + len("Kharkiv")) == "overnight"


def test_language_flags_and_word_lists() -> None:
    assert cues("de").nouns_capitalised and cues("de").genitive_s and cues("de").lower_case_adjectives
    assert not cues("en").nouns_capitalised and not cues("en").lower_case_adjectives
    assert cues("xx") == cues("en")  # an unknown language reads English cues
    assert {"oblast", "область"} <= region_words()
    assert {"city", "городе", "місті"} <= city_words()
    assert plural_heads().search("в Липецкой и Тамбовской областях") is not None
