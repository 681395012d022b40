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

import re
import tomllib
import unicodedata
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from gazetteer.errors import GazetteerFormatError

#: The package's data files (lexicons, rules, curated supplements).
DATA_DIR = Path(__file__).with_name("data")

_APOSTROPHES = frozenset("'\u2018\u2019\u02bc\u02bb\u02bf\u02be`\u00b4\u2032\u02b9\u055a")
_DASHES = frozenset("-\u2010\u2011\u2012\u2013\u2014\u2212_")
#: Characters that do not show: zero-width space/non-joiner/joiner, word joiner, soft hyphen, BOM,
#: bidirectional marks and embeddings, Arabic letter mark, Mongolian vowel separator. Pasted web text
#: carries them inside names ("Khar\u200bkiv"); they fold to nothing, so the name reads whole.
INVISIBLE = frozenset(
    "\u200b\u200c\u200d\u2060\u00ad\ufeff\u200e\u200f\u061c\u180e"
    "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)
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
    if char in INVISIBLE:
        return ""
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


#: Marks the start of each run of letters and digits in the scanner's text and keys, in place of the
#: space before it when there is one: a key then only matches from a word's start, so the automaton
#: itself skips the many hits inside longer words, and keys grow by one character only.
MARK = "\x1f"
_WORD_START = re.compile(r"(?<![^\W_])(?=[^\W_])")
#: A word start with no space right before it: there the MARK is inserted, not put in a space's place.
_INSERT_AT = re.compile(r"(?<![^\W_])(?<! )(?=[^\W_])")
_DROPPED_SPACES = re.compile(r"(?:^|(?<=[ \n])) +")


def _mark_starts(folded: str) -> tuple[str, list[int]]:
    """Return ``folded`` with a MARK at each word start and the positions of the MARKs inserted.

    A space right before a word becomes the MARK; elsewhere the MARK is inserted. (``folded`` holds no
    MARK of its own: folding makes it a space.)
    """
    inserted = [at + count for count, at in enumerate(m.start() for m in _INSERT_AT.finditer(folded))]
    return _WORD_START.sub(MARK, folded).replace(" " + MARK, MARK), inserted


def mark_key(key: str) -> str:
    """Return a folded key with its word starts marked, as the scanner's automaton holds it."""
    return _mark_starts(key)[0]


@dataclass(frozen=True, slots=True)
class Folded:
    """A text folded for scanning, its word starts marked, with the way back to original offsets.

    ``plain`` is the folded text without MARKs; ``offsets`` holds the original offset of each of its
    characters and ends with the text's length; ``inserted`` holds the positions in ``text`` of the
    MARKs that were inserted (the others stand in place of a space of ``plain``).
    """

    text: str
    plain: str
    offsets: list[int]
    inserted: list[int]

    def plain_index(self, index: int) -> int:
        """Return the position in ``plain`` of the character at ``index`` of ``text``."""
        return index - bisect_left(self.inserted, index)

    def original(self, index: int) -> int:
        """Return the original offset of the (non-MARK) character at ``index`` of ``text``."""
        return self.offsets[self.plain_index(index)]


def fold_marked(text: str) -> Folded:
    """Fold text for scanning (as ``fold_with_offsets``) and mark the start of each word.

    Works a document at a time with ``str.translate`` and regular expressions rather than character by
    character.
    """
    table = {ord(c): fold_char(c) for c in set(text)}
    folded = text.translate(table)
    if len(folded) == len(text) and all(len(v) == 1 for v in table.values()):
        source: Sequence[int] = range(len(text))
    else:
        source = [i for i, c in enumerate(text) for _ in table[ord(c)]]
    kept: list[str] = []
    offsets: list[int] = []
    position = 0
    for dropped in _DROPPED_SPACES.finditer(folded):
        kept.append(folded[position : dropped.start()])
        offsets.extend(source[position : dropped.start()])
        position = dropped.end()
    kept.append(folded[position:])
    offsets.extend(source[position:])
    offsets.append(len(text))
    plain = "".join(kept)
    marked, inserted = _mark_starts(plain)
    return Folded(marked, plain, offsets, inserted)


@lru_cache(maxsize=1 << 16)
def scan_key(name: str) -> str:
    """Return the scanner's key of a name: folded per character, script and apostrophes kept.

    Cached: the recognition filters fold the same few words (prepositions, titles) again and again.
    """
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


@cache
def read_data_toml(name: str) -> dict[str, Any]:
    """Return a data file of gazetteer/data/ parsed as TOML (read once per process)."""
    text = (DATA_DIR / name).read_text(encoding="utf-8")
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        msg = f"gazetteer/data/{name}: not valid TOML: {err}"
        raise GazetteerFormatError(msg) from err


@cache
def inflections() -> tuple[Inflection, ...]:
    """Return the Ukrainian/Russian suffix rules, longest suffix first."""
    return _suffix_rules("rule")


@cache
def adjective_inflections() -> tuple[Inflection, ...]:
    """Return the case endings of adjectives opening two-word names (Kryvomu Rohu), longest first."""
    return _suffix_rules("adjective")


def _suffix_rules(table: str) -> tuple[Inflection, ...]:
    """Return one array of suffix rules of inflections.toml, longest suffix first."""
    rules = read_data_toml("inflections.toml").get(table, [])
    if not isinstance(rules, list):
        msg = f"gazetteer/data/inflections.toml: '{table}' must be an array of tables"
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


#: A Ukrainian o/e that turns into i in a closed last syllable (Rohu -> Rih, Kanevi -> Kaniv), written
#: as escapes: Cyrillic o or e before one final consonant.
_UK_CONSONANTS = "".join(
    chr(c)
    for c in (0x0431, 0x0432, 0x0433, 0x0491, 0x0434, 0x0436, 0x0437, 0x043A, 0x043B, 0x043C, 0x043D,
              0x043F, 0x0440, 0x0441, 0x0442, 0x0444, 0x0445, 0x0446, 0x0447, 0x0448, 0x0449)
)
_CLOSED_SYLLABLE = re.compile(f"[\u043e\u0435]([{_UK_CONSONANTS}])$")


@lru_cache(maxsize=65_536)
def name_word_variants(word: str, *, adjective: bool) -> tuple[str, ...]:
    """Return the base forms one word of a two-word Cyrillic name may have, the word itself first.

    The first word of such a name is read as an adjective (``adjective``: Kryvomu -> kryvyi), the last
    as a noun (Rohu -> rih: the case rules, then the Ukrainian o/e -> i of a closed syllable).
    """
    key = scan_key(word).replace("'", "")
    out = [key]
    if adjective:
        for rule in adjective_inflections():
            if key.endswith(rule.suffix) and len(key) - len(rule.suffix) >= 2:
                out.extend(key[: len(key) - len(rule.suffix)] + base for base in rule.bases)
    else:
        for base, _region in inflection_variants(word):
            out.append(base)
            closed = _CLOSED_SYLLABLE.sub(lambda m: "\u0456" + m.group(1), base)
            if closed != base:
                out.append(closed)
    return tuple(dict.fromkeys(out))


@lru_cache(maxsize=65_536)
def inflection_variants(word: str, *, min_stem: int = 2) -> tuple[tuple[str, bool], ...]:
    """Return possible base forms of an inflected Cyrillic word, with a flag for region derivations.

    ``Харкові`` -> ``харків``; ``Одещини`` -> ``одеса`` (a region: the flag is True). Cached: the
    scanner asks about every capitalised Cyrillic word no name covers.
    """
    key = scan_key(word)
    out: list[tuple[str, bool]] = []
    for rule in inflections():
        if key.endswith(rule.suffix) and len(key) - len(rule.suffix) >= min_stem:
            stem = key[: len(key) - len(rule.suffix)]
            out.extend((stem + base, rule.region) for base in rule.bases)
    return tuple(out)


@cache
def spelling_rules() -> dict[str, tuple[tuple[str, str], ...]]:
    """Return per language the (from, to) rewrites that turn a name into its local spelling."""
    data = read_data_toml("spellings.toml")
    out: dict[str, tuple[tuple[str, str], ...]] = {}
    for lang, table in data.items():
        if isinstance(table, dict):
            out[lang] = tuple((scan_key(a), scan_key(b)) for a, b in table.get("rules", []))
    return out


@cache
def romanised_countries() -> frozenset[str]:
    """Return the countries whose place names reach Latin script by romanisation (spellings.toml)."""
    return frozenset(read_data_toml("spellings.toml").get("romanised_countries", []))


def spelling_variants(name: str, country_code: str | None = None) -> frozenset[str]:
    """Return local spellings of a romanised name (``Ashkelon`` -> ``asjkelon`` in Dutch).

    With ``country_code``, none unless the country's names are romanised from another script.
    """
    if country_code is not None and country_code not in romanised_countries():
        return frozenset()
    key = scan_key(name)
    out: set[str] = set()
    for rules in spelling_rules().values():
        together = key
        for source, target in rules:
            if source in key:
                out.add(key.replace(source, target))
            # in order, each rule on what the ones before wrote ("yunis" -> "yoenis" -> "joenis")
            together = together.replace(source, target)
        out.add(together)
    out.discard(key)
    return frozenset(out)


#: Arabic article words a romanisation may write or leave out ("Deir al-Balah", "Dayr Balah").
_ROMAN_ARTICLES = frozenset(
    {"al", "el", "ad", "ar", "as", "ash", "at", "az", "an", "ed", "en", "es", "et", "ul", "ur"}
)
#: Letter groups that romanisations of one sound write differently, rewritten to one letter, longest
#: first: kh/h, gh/g, q/k, ch/tch/tsch, sh/sch, ph/f, w/v, dj/j.
_ROMAN_GROUPS = (
    ("tsch", "c"),
    ("sch", "s"),
    ("tch", "c"),
    ("ch", "c"),
    ("sh", "s"),
    ("kh", "h"),
    ("gh", "g"),
    ("dh", "d"),
    ("th", "t"),
    ("ph", "f"),
    ("dj", "j"),
    ("ck", "k"),
    ("q", "k"),
    ("c", "k"),
    ("x", "ks"),
    ("w", "v"),
)
_ROMAN_DROPPED = frozenset("aeiouyh")
_ROMAN_VOWELS = frozenset("aeiouy")


def _roman_word(word: str) -> str:
    for source, target in _ROMAN_GROUPS:
        word = word.replace(source, "\x00" + target + "\x00") if source in word else word
    word = word.replace("\x00", "")
    collapsed = "".join(c for i, c in enumerate(word) if i == 0 or c != word[i - 1])
    first = "a" if collapsed[0] in _ROMAN_VOWELS else collapsed[0]
    return first + "".join(c for c in collapsed[1:] if c not in _ROMAN_DROPPED)


@lru_cache(maxsize=65536)
def romanised_key(name: str) -> str:
    """Return a loose key under which romanisations of one Arabic, Hebrew or Cyrillic name meet.

    Vowels (after a word's first letter) and ``h`` drop out, letter groups for one sound become one
    letter (kh/h, q/k, sh/sch, ou/u by dropping vowels), doubled letters count once and the article
    words al-/el-/ad-... are left out: ``Hodeidah``, ``Hudaydah`` and ``Hodeida`` all give ``hdd``,
    ``Deir al-Balah`` and ``Dayr al Balah`` give ``dr bl``. Empty when the name is not in Latin letters
    after transliteration. A fallback: the resolver must keep such readings safe.
    """
    words = [w for w in fold_name(name).split() if w not in _ROMAN_ARTICLES]
    if not words or not all(w.isascii() and w.isalpha() for w in words):
        return ""
    return " ".join(_roman_word(w) for w in words)


_VOWEL_GROUPS = re.compile(r"[aeiouy]+")


@lru_cache(maxsize=65536)
def syllables(name: str) -> int:
    """Return how many vowel groups a name has without its article words (``Hodeidah``: 3)."""
    words = [w for w in fold_name(name).split() if w not in _ROMAN_ARTICLES]
    return sum(len(_VOWEL_GROUPS.findall(w)) for w in words)
