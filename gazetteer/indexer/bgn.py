"""Russian names written back in Cyrillic from their BGN/PCGN romanisation (build time only).

ISO 3166-2 (through pycountry) names Russia's regions in the BGN/PCGN romanisation ("Moskovskaya
oblast'", "Krasnodarskiy kray") and its Russian translation catalogue leaves them so; Russian news
writes them in Cyrillic. The romanisation is close to one-to-one for these names, so the Cyrillic name
is recovered by rule (``data/bgn_russian.toml``), longest letter group first.
"""

from __future__ import annotations

import re
from functools import cache

from gazetteer.normalize import read_data_toml

_WORD = re.compile(r"[A-Za-z']+")


@cache
def _rules() -> tuple[re.Pattern[str], dict[str, str], str]:
    data = read_data_toml("bgn_russian.toml")
    groups = {str(latin): str(cyrillic) for latin, cyrillic in data["groups"]}
    guarded = set(data["before_no_vowel"])
    pattern = "|".join(re.escape(latin) + ("(?![aeiou])" if latin in guarded else "") for latin in groups)
    return re.compile(pattern), groups, str(data["initial_e"])


def _word(word: str) -> str:
    pattern, groups, initial_e = _rules()
    lower = word.lower()
    cyrillic = pattern.sub(lambda m: groups[m.group()], lower)
    if lower.startswith("e"):
        cyrillic = initial_e + cyrillic[1:]
    return cyrillic[:1].upper() + cyrillic[1:] if word[:1].isupper() else cyrillic


def russian_from_bgn(name: str) -> str:
    """Return a BGN/PCGN-romanised Russian name in Cyrillic (``Tul'skaya oblast'``: the Tula oblast).

    ISO's inverted "Adygeya, Respublika" is turned round first, as Russian writes it.
    """
    head, comma, tail = name.partition(", ")
    if comma and " " not in tail:
        name = f"{tail} {head}"
    return _WORD.sub(lambda m: _word(m.group()), name)
