"""The maker of the regions' area centres: centroids of rings, holes subtracted, one row per region."""

from __future__ import annotations

import json
from pathlib import Path
from types import ModuleType

import pytest

from tests.scripts import load_script


@pytest.fixture(scope="module")
def maker() -> ModuleType:
    return load_script("admin1_points")


SQUARE = [[10.0, 40.0], [12.0, 40.0], [12.0, 42.0], [10.0, 42.0]]


def test_the_centre_of_a_square_is_its_middle(maker: ModuleType) -> None:
    lat, lon, km2 = maker.centre([SQUARE])
    assert (round(lat, 6), round(lon, 6)) == (41.0, 11.0)
    assert 36_000 < km2 < 39_000  # 2 x 2 degrees at 41 degrees north


def test_a_hole_turned_the_other_way_is_taken_out(maker: ModuleType) -> None:
    hole = [[11.5, 41.5], [11.5, 41.9], [11.9, 41.9], [11.9, 41.5]]  # clockwise: the square is not
    lat, lon, _ = maker.centre([SQUARE, hole])
    assert lat < 41.0 and lon < 11.0


def test_two_islands_weigh_by_their_area(maker: ModuleType) -> None:
    small = [[20.0, 40.0], [20.5, 40.0], [20.5, 40.5], [20.0, 40.5]]
    _, lon, _ = maker.centre([SQUARE, small])
    assert 11.0 < lon < 12.0


def test_a_region_without_area_is_left_out(maker: ModuleType, tmp_path: Path) -> None:
    regions = [{"name": "Flat", "code": "XX.FL", "rings": [[[1.0, 1.0], [2.0, 2.0], [3.0, 3.0]]]},
               {"name": "Square", "code": "XX.SQ", "rings": [SQUARE]}]
    (tmp_path / "XX.json").write_text(json.dumps({"regions": regions}), encoding="utf-8")
    rows = maker.rows_of(tmp_path)
    assert [(r["country_code"], r["code"], r["name"], r["lat"], r["lon"]) for r in rows] == [
        ("XX", "XX.SQ", "Square", "41.0000", "11.0000")
    ]
