"""Direction phrases before a name, per language."""

from __future__ import annotations

import pytest

from gazetteer.directions import direction_before


@pytest.mark.parametrize(
    ("before", "lang", "direction"),
    [
        ("fighting in southern ", "en", "south"),
        ("shelling in the north of ", "en", "north"),
        ("Angriffe im Osten des ", "de", "east"),
        ("raketten uit de noordelijke ", "nl", "north"),
        ("a town north of ", "en", None),
        ("talks in ", "en", None),
    ],
)
def test_direction_phrases(before: str, lang: str, direction: str | None) -> None:
    assert direction_before(before + "X", len(before), lang) == direction
