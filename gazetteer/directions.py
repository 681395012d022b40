"""Directional readings: "southern Lebanon" names the region South(ern) Lebanon when the data has one."""

from __future__ import annotations

import re
from functools import cache

from gazetteer.index import Gazetteer
from gazetteer.normalize import read_data_toml
from gazetteer.records import Place

#: How far before a name a direction phrase may start.
WINDOW = 40
_REGION_FEATURES = frozenset({"ADM1", "RGN"})


@cache
def _data() -> dict[str, dict[str, list[str]]]:
    return read_data_toml("directions.toml")


@cache
def _patterns(lang: str | None) -> tuple[tuple[str, re.Pattern[str]], ...]:
    table = _data().get(lang or "en") or _data()["en"]
    return tuple((d, re.compile(p, re.IGNORECASE)) for d, patterns in table.items() for p in patterns)


def direction_before(text: str, start: int, lang: str | None) -> str | None:
    """Return the direction ("north", "south"...) a phrase right before ``start`` gives, or None."""
    window = text[max(0, start - WINDOW) : start]
    for direction, pattern in _patterns(lang):
        if pattern.search(window):
            return direction
    return None


def head_name(name: str) -> str:
    """Return a name without a generic last word ("Sinai Peninsula" -> "Sinai"), or an empty string."""
    words = name.split()
    generic = {w.lower() for w in _data().get("generic", {}).get("words", [])}
    if len(words) > 1 and words[-1].lower() in generic:
        return " ".join(words[:-1])
    return ""


def _is_region(place: Place) -> bool:
    return place.id.startswith("curated:") or place.feature in _REGION_FEATURES


def directional_regions(place: Place, direction: str, gazetteer: Gazetteer, *, said: str = "") -> list[Place]:
    """Return the regions of the place's country named for that part of it ("South Lebanon").

    The region is looked up under the place's name and under the name as ``said`` in the text, each
    also without its generic last word ("northern Sinai Peninsula": North Sinai).
    """
    out: dict[str, Place] = {}
    names = dict.fromkeys(n for full in (place.name, said) if full for n in (full, head_name(full)) if n)
    for prefix, name in ((p, n) for p in _data()["prefixes"].get(direction, []) for n in names):
        for found in gazetteer.lookup(f"{prefix} {name}"):
            if _is_region(found) and found.id != place.id and found.country_code == place.country_code:
                out.setdefault(found.id, found)
    return list(out.values())
