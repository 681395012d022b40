"""Russian region names written back in Cyrillic from ISO's BGN/PCGN romanisation."""

from __future__ import annotations

import pytest

from gazetteer.indexer.bgn import russian_from_bgn


@pytest.mark.parametrize(("romanised", "cyrillic"), [
    ("Tul'skaya oblast'", "Тульская область"),  # ' is the soft sign; -skaya is not -skay + a
    ("Krasnoyarskiy kray", "Красноярский край"),  # y after a vowel and before none is й
    ("Irkutskaya oblast'", "Иркутская область"),  # ts before k is two letters, not one
    ("Chelyabinskaya oblast'", "Челябинская область"),
    ("Yevreyskaya avtonomnaya oblast'", "Еврейская автономная область"),  # a word-initial ye
    ("Khanty-Mansiyskiy avtonomnyy okrug", "Ханты-Мансийский автономный округ"),
    ("Karachayevo-Cherkesskaya Respublika", "Карачаево-Черкесская Республика"),
    ("Adygeya, Respublika", "Республика Адыгея"),  # ISO's inverted order turned round
    ("Mariy El, Respublika", "Республика Марий Эл"),  # a bare initial e is э
])
def test_romanised_region_names_come_back_in_cyrillic(romanised: str, cyrillic: str) -> None:
    assert russian_from_bgn(romanised) == cyrillic
