"""Settings of the gazetteer in one place: typed, documented defaults.

Functions take ``None`` to mean "use the setting". The environment is read here alone.
"""

from __future__ import annotations

import os
from pathlib import Path

#: Environment variable naming the project's data folder (the index lives in ``<it>/gazetteer``).
HOME_ENV = "INCIDENTS_HOME"

#: Bump whenever the layout or the content rules of the built index change: it forces a rebuild.
BUILD_FORMAT = 12

#: Scripts whose alternate names are indexed (the languages the project reads).
INDEXED_SCRIPTS = ("LATIN", "CYRILLIC", "ARABIC", "HEBREW")

#: Languages whose country names are read from CLDR (babel).
CLDR_LANGUAGES = ("nl", "en", "de", "fr", "uk", "ru", "ar", "he", "es", "it", "pt", "pl")

#: Languages whose frequent words are read (wordfreq) to spot names that are also common words.
WORDFREQ_LANGUAGES = ("nl", "en", "de", "fr", "uk", "ru", "es", "it")

#: How many of each language's most frequent words are checked against the names.
WORDFREQ_TOP = 60_000

#: Cities this large are known by their Latin alternate names too (Odessa, Kiew, Moskau).
MIN_POPULATION_EXONYMS = 500_000

#: Minimum population for generated exonym spellings (``Asjkelon`` from ``Ashkelon``).
MIN_POPULATION_SPELLINGS = 20_000


def default_index_dir() -> Path:
    """Return the index folder: ``$INCIDENTS_HOME/gazetteer`` or the user data folder."""
    home = os.environ.get(HOME_ENV)
    if home:
        return Path(home) / "gazetteer"
    from platformdirs import user_data_dir

    return Path(user_data_dir("incidents")) / "gazetteer"


PLACES_FILE = "places.pkl"
"""The index's places, in the index folder."""
NAMES_FILE = "names.pkl"
"""The index's names, in the index folder."""
STAMP_FILE = "stamp.json"
"""What the index was built from, to tell when it is up to date."""
