"""The maker of the Who's On First supplement: which records it keeps, their parents and duplicates."""

from __future__ import annotations

from types import ModuleType
from typing import Any

import pytest

from tests.scripts import load_script


@pytest.fixture(scope="module")
def maker() -> ModuleType:
    return load_script("make_subdivisions")


def _record(maker: ModuleType, wof_id: int, placetype: str, name: str, **props: Any) -> Any:
    base = {"wof:id": wof_id, "wof:placetype": placetype, "wof:name": name, "wof:country": "LB",
            "mz:is_current": 1, "lbl:latitude": 33.9, "lbl:longitude": 35.5}
    base.update(props)
    return maker.Record(base, "whosonfirst-data-admin-lb", "0123456789abcdef")


def test_neighbourhoods_get_the_nearest_large_town_as_parent(maker: ModuleType) -> None:
    records = [
        _record(maker, 1, "locality", "Big Town", **{"wof:population": 500_000}),
        _record(maker, 2, "neighbourhood", "Zarif", **{"name:eng_x_preferred": ["Zarif"]}),
        _record(maker, 3, "neighbourhood", "Far Away", **{"lbl:latitude": 35.0}),
    ]
    rows = list(maker.rows_of(records))
    assert [(r["name"], r["parent"]) for r in rows] == [("Zarif", "Big Town")]
    assert rows[0]["source"] == "whosonfirst-data-admin-lb@0123456789ab"


def test_retired_records_and_duplicates_are_left_out(maker: ModuleType) -> None:
    records = [
        _record(maker, 1, "county", "Kesra", **{"geom:area_square_m": 314_159_265.0}),
        _record(maker, 2, "county", "Old Kesra", **{"mz:is_current": 0}),
        _record(maker, 3, "locality", "Big Town", **{"wof:population": 500_000}),
        _record(maker, 4, "neighbourhood", "Marfa", **{"mz:is_current": -1}),
        _record(maker, 5, "neighbourhood", "Marfa", **{"lbl:latitude": 33.905}),
    ]
    rows = {r["wof_id"]: r for r in maker.rows_of(records)}
    assert set(rows) == {"1", "5"}
    assert rows["1"]["radius_km"] == "10.0"


def test_ukrainian_counties_need_a_ukrainian_name(maker: ModuleType) -> None:
    council = _record(maker, 1, "county", "Brenska", **{"wof:country": "UA"})
    ukrainian = {"wof:country": "UA", "name:ukr_x_preferred": ["Бренський"]}
    raion = _record(maker, 2, "county", "Brenskyi", **ukrainian)
    assert [r["name"] for r in maker.rows_of([council, raion])] == ["Brenskyi"]
