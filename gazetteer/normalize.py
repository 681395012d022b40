"""Fold names and text to comparable keys: the one place for case, diacritics, apostrophes, scripts.

Two foldings:

- ``scan_key``/``fold_with_offsets`` fold character by character (case, diacritics, apostrophe
  variants, dashes, spaces) and keep each script: the scanner runs over this form and maps matches
  back to the original offsets.
- ``fold_name`` also drops apostrophes and transliterates Cyrillic to Latin: the canonical key under
  which spellings of one name across languages meet (``Харків`` and ``Kharkiv``; ``Beër`` and ``Be'er``).

Ukrainian and Russian case endings are undone by suffix rules from ``data/inflections.toml``;
exonym spellings (Dutch ``sj`` for ``sh``...) are generated from ``data/spellings.toml``.
"""

# ruff: noqa: RUF001, RUF002  (Cyrillic and apostrophe variants are the point here)

from __future__ import annotations

import tomllib
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from gazetteer.errors import GazetteerFormatError

#: The package's data files (lexicons, rules, curated supplements).
DATA_DIR = Path(__file__).with_name("data")

_APOSTROPHES = frozenset("'\u2018\u2019\u02bc\u02bb\u02bf\u02be`\u00b4\u2032\u02b9\u055a")
_DASHES = frozenset("-\u2010\u2011\u2012\u2013\u2014\u2212\u00ad_")
# Letters NFKD leaves alone although their base letter is what a reader compares.
_LATIN_EXTRA = {
    "ß": "ss",
    "ø": "o",
    "đ": "d",
    "ł": "l",
    "æ": "ae",
    "œ": "oe",
    "ı": "i",
    "þ": "th",
    "ð": "d",
    "ħ": "h",
    "ŧ": "t",
    "ŀ": "l",
}
_ARABIC = {"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ة": "ه", "ى": "ي", "ـ": "", "ؤ": "و", "ئ": "ي"}
_CYRILLIC_LATIN = {
    "а": "a",
    "б": "b",
    "в": "v",
    "г": "h",
    "ґ": "g",
    "д": "d",
    "е": "e",
    "є": "ye",
    "ж": "zh",
    "з": "z",
    "и": "y",
    "і": "i",
    "ї": "i",
    "й": "y",
    "к": "k",
    "л": "l",
    "м": "m",
    "н": "n",
    "о": "o",
    "п": "p",
    "р": "r",
    "с": "s",
    "т": "t",
    "у": "u",
    "ф": "f",
    "х": "kh",
    "ц": "ts",
    "ч": "ch",
    "ш": "sh",
    "щ": "shch",
    "ь": "",
    "ю": "yu",
    "я": "ya",
    "ы": "y",
    "э": "e",
    "ъ": "",
    "ё": "yo",
}


@cache
def fold_char(char: str) -> str:
    """Fold one character: lower case, no diacritics, one apostrophe, dashes and spaces to a space."""
    if char in _APOSTROPHES:
        return "'"
    if char == "\n":
        return "\n"
    if char in _DASHES or char.isspace():
        return " "
    if "\u0400" <= char <= "\u04ff":
        # Cyrillic keeps й and ї: they are letters of their own, not accented ones.
        low = char.lower()
        return "е" if low == "ё" else low
    low = char.lower()
    if low in _LATIN_EXTRA:
        return _LATIN_EXTRA[low]
    base = "".join(c for c in unicodedata.normalize("NFKD", low) if not unicodedata.combining(c))
    return _ARABIC.get(base, base)


def fold_with_offsets(text: str) -> tuple[str, list[int]]:
    """Fold text for scanning; return it with the original offset of each folded character.

    Runs of spaces fold to one. A folded span ``[i, j)`` maps back to
    ``[offsets[i], offsets[j - 1] + 1)``; the list ends with ``len(text)`` as a sentinel.
    """
    out: list[str] = []
    offsets: list[int] = []
    previous = "\n"
    for index, char in enumerate(text):
        folded = fold_char(char)
        if folded == " " and previous in " \n":
            continue
        for piece in folded:
            out.append(piece)
            offsets.append(index)
        if folded:
            previous = folded[-1]
    offsets.append(len(text))
    return "".join(out), offsets


def scan_key(name: str) -> str:
    """Return the scanner's key of a name: folded per character, script and apostrophes kept."""
    folded = "".join(fold_char(c) for c in name)
    return " ".join(folded.split())


def transliterate(folded: str) -> str:
    """Transliterate folded Cyrillic to Latin (Ukrainian national system, simplified)."""
    out: list[str] = []
    for index, char in enumerate(folded):
        latin = _CYRILLIC_LATIN.get(char)
        if latin is None:
            out.append(char)
        elif char in "їєюя" and index > 0 and folded[index - 1].isalpha():
            out.append({"ї": "i", "є": "ie", "ю": "iu", "я": "ia"}[char])
        elif char == "ї":
            out.append("yi")
        else:
            out.append(latin)
    return "".join(out)


def fold_name(name: str) -> str:
    """Return the canonical key of a name: ``Beër Sheva``, ``Be'er-Sheva`` -> ``beer sheva``.

    Case, diacritics, apostrophes (' ʿ ʾ ’ `), hyphens and spaces fold away; Cyrillic is
    transliterated, so ``Харків`` and ``Kharkiv`` share a key.
    """
    return transliterate(scan_key(name).replace("'", ""))


def name_keys(name: str) -> frozenset[str]:
    """Return every key under which the scanner should find a name."""
    key = scan_key(name)
    keys = {key, key.replace("'", ""), fold_name(name)}
    return frozenset(k for k in keys if k)


@dataclass(frozen=True, slots=True)
class Inflection:
    """A suffix rule: a word ending in ``suffix`` may stand for a name ending in one of ``bases``."""

    suffix: str
    bases: tuple[str, ...]
    region: bool = False


def _read_toml(name: str) -> dict[str, object]:
    text = (DATA_DIR / name).read_text(encoding="utf-8")
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        msg = f"gazetteer/data/{name}: not valid TOML: {err}"
        raise GazetteerFormatError(msg) from err


@cache
def inflections() -> tuple[Inflection, ...]:
    """Return the Ukrainian/Russian suffix rules, longest suffix first."""
    rules = _read_toml("inflections.toml").get("rule", [])
    if not isinstance(rules, list):
        msg = "gazetteer/data/inflections.toml: 'rule' must be an array of tables"
        raise GazetteerFormatError(msg)
    out = [
        Inflection(
            scan_key(str(r["suffix"])),
            tuple(scan_key(str(b)) for b in r["bases"]),
            bool(r.get("region", False)),
        )
        for r in rules
    ]
    return tuple(sorted(out, key=lambda r: -len(r.suffix)))


def inflection_variants(word: str, *, min_stem: int = 2) -> list[tuple[str, bool]]:
    """Return possible base forms of an inflected Cyrillic word, with a flag for region derivations.

    ``Харкові`` -> ``харків``; ``Одещини`` -> ``одеса`` (a region: the flag is True).
    """
    key = scan_key(word)
    out: list[tuple[str, bool]] = []
    for rule in inflections():
        if key.endswith(rule.suffix) and len(key) - len(rule.suffix) >= min_stem:
            stem = key[: len(key) - len(rule.suffix)]
            out.extend((stem + base, rule.region) for base in rule.bases)
    return out


@cache
def spelling_rules() -> dict[str, tuple[tuple[str, str], ...]]:
    """Return per language the (from, to) rewrites that turn a name into its local spelling."""
    data = _read_toml("spellings.toml")
    out: dict[str, tuple[tuple[str, str], ...]] = {}
    for lang, table in data.items():
        rules = table.get("rules", []) if isinstance(table, dict) else []
        out[lang] = tuple((scan_key(a), scan_key(b)) for a, b in rules)
    return out


def spelling_variants(name: str) -> frozenset[str]:
    """Return local spellings of a Latin name (``Ashkelon`` -> ``asjkelon`` in Dutch)."""
    key = scan_key(name)
    out: set[str] = set()
    for rules in spelling_rules().values():
        together = key
        for source, target in rules:
            if source in key:
                out.add(key.replace(source, target))
                together = together.replace(source, target)
        out.add(together)
    out.discard(key)
    return frozenset(out)
