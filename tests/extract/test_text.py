"""Tests of sentence splitting, tokenizing and datelines."""

from __future__ import annotations

from incidents.extract.text import dateline_end, paragraph_starts, split_sentences, tokenize, tokens_of


def test_sentences_index_into_the_text() -> None:
    text = "Eerste zin. Tweede zin!  Derde zin?"
    sentences = split_sentences(text)
    assert [s.text for s in sentences] == ["Eerste zin.", "Tweede zin!", "Derde zin?"]
    assert all(text[s.start : s.end] == s.text for s in sentences)


def test_abbreviations_and_initials_do_not_end_a_sentence() -> None:
    text = "Volgens dr. Jansen en J. de Vries viel er o.a. een raket. Daarna was het stil."
    sentences = split_sentences(text, abbreviations=frozenset({"dr", "o.a"}))
    assert len(sentences) == 2


def test_a_closing_quote_stays_with_its_sentence() -> None:
    text = 'Hij zei: "Het was stil." Toen klonk het alarm.'
    sentences = split_sentences(text)
    assert sentences[0].text == 'Hij zei: "Het was stil."'
    assert sentences[1].text == "Toen klonk het alarm."


def test_decimals_and_lower_case_continuations_do_not_split() -> None:
    assert len(split_sentences("Er vielen 3.5 ton bommen. ok dan.")) == 1


def test_blank_lines_and_headings_split() -> None:
    text = "Kop zonder punt\nDe tekst begint hier.\n\nNieuwe alinea."
    assert [s.text for s in split_sentences(text)] == ["Kop zonder punt", "De tekst begint hier.",
                                                       "Nieuwe alinea."]
    assert paragraph_starts(text)[1] == text.index("Nieuwe")


def test_tokens_keep_numbers_hyphens_and_elisions() -> None:
    words = [t.text for t in tokenize("d'Al-Mawasi: 35,000 doden, 4-jarige, \u043f\u2019\u044f\u0442\u044c")]
    five = "\u043f\u2019\u044f\u0442\u044c"
    assert words == ["d'", "Al-Mawasi", ":", "35,000", "doden", ",", "4-jarige", ",", five]


def test_dateline_is_recognised_only_at_the_start() -> None:
    assert dateline_end("LVIV (AFP) - Een raket viel.") == len("LVIV (AFP) - ")
    assert dateline_end("BRUSSEL - Een raket viel.") == len("BRUSSEL - ")
    assert dateline_end("Een raket viel op LVIV - zei hij.") == 0


def test_empty_text_has_no_sentences() -> None:
    assert split_sentences("") == ()
    assert split_sentences("  \n\n ") == ()


def test_french_thousands_with_a_space_are_one_token() -> None:
    words = [t.text for t in tokenize("plus de 30 000 morts en 2023 150 blessés")]
    assert words[2:5] == ["30 000", "morts", "en"] and words[5:7] == ["2023", "150"]


def test_cached_tokens_equal_fresh_ones() -> None:
    text = "Twee doden en 4 gewonden."
    assert tokens_of(text) == tokenize(text) and tokens_of(text) is tokens_of(text)


def test_lines_broken_inside_sentences_do_not_cut_them() -> None:
    text = ("Drones struck a fuel depot near\nthe port of Odesa overnight, officials\nsaid on Monday. "
            "Two workers were\ninjured.")
    assert [s.text.replace("\n", " ") for s in split_sentences(text)] == [
        "Drones struck a fuel depot near the port of Odesa overnight, officials said on Monday.",
        "Two workers were injured.",
    ]


def test_a_heading_on_its_own_line_is_still_a_sentence() -> None:
    text = "Drone attack on Sumy\nA drone hit a school in Sumy on Monday. Nobody was hurt."
    assert split_sentences(text)[0].text == "Drone attack on Sumy"
