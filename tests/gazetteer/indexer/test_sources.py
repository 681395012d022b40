"""Registry sources: sharing a coarse GeoNames admin1 unit among the regions named inside it."""

from __future__ import annotations

from gazetteer.indexer.sources import City, _bare_district, _Region, area_centre, split_by_seat


def _city(geonameid: int, lat: float, lon: float, population: int) -> City:
    return City(geonameid, f"c{geonameid}", lat, lon, "XX", "01", population, ())


def test_each_city_goes_to_the_region_whose_seat_is_nearest() -> None:
    north_seat, south_seat = _city(1, 31.50, 34.46, 400_000), _city(2, 31.34, 34.30, 170_000)
    villages = [_city(3, 31.52, 34.48, 9_000), _city(4, 31.30, 34.26, 8_000), _city(5, 31.36, 34.31, 7_000)]
    shares = split_by_seat([north_seat, south_seat, *villages], {"N": (31.50, 34.46), "S": (31.34, 34.30)})
    assert sorted(c.geonameid for c in shares["N"]) == [1, 3]
    assert sorted(c.geonameid for c in shares["S"]) == [2, 4, 5]


def test_a_seat_that_is_not_the_largest_of_its_share_is_no_seat() -> None:
    # "S" is named after a village beside a larger town: the town, not the village, leads that share.
    north, east = _city(1, 50.0, 30.0, 900_000), _city(2, 45.0, 35.0, 50_000)
    village, town = _city(3, 49.0, 31.0, 300), _city(4, 49.01, 31.01, 80_000)
    seats = {"N": (50.0, 30.0), "S": (49.0, 31.0), "E": (45.0, 35.0)}
    shares = split_by_seat([north, east, village, town], seats)
    assert set(shares) == {"N", "E"}
    assert sorted(c.geonameid for c in shares["N"]) == [1, 3, 4]


def test_fewer_than_two_seats_share_nothing() -> None:
    town, village, larger = (
        _city(1, 50.0, 30.0, 900_000),
        _city(2, 49.0, 31.0, 300),
        _city(3, 49.01, 31.01, 80_000),
    )
    assert split_by_seat([town, village, larger], {"N": (50.0, 30.0), "S": (49.0, 31.0)}) == {}


def test_a_bare_district_name_needs_places_letters_and_no_town_of_that_name() -> None:
    points = [(51.2, 0.7), (51.3, 0.8), (51.1, 0.9)]
    assert _bare_district(("GB", "England", "Kent"), points, set())
    assert not _bare_district(("GB", "England", "Kent"), points, {("GB", "kent")})
    assert not _bare_district(("GB", "England", "Kent"), points[:2], set())
    assert not _bare_district(("GB", "England", "Ely"), points, set())


def test_a_region_stands_at_the_centre_of_its_area_not_of_its_towns() -> None:
    # Ontario's towns lie in the south; the middle of its area lies far to the north of them.
    ontario = _Region("CA-ON", "CA", "Ontario", (("Ontario", "en"),))
    lat, lon = area_centre(ontario) or (0.0, 0.0)
    assert 49.0 < lat < 51.5
    assert -88.0 < lon < -84.0


def test_a_region_named_like_two_areas_is_placed_by_the_one_its_code_names() -> None:
    # Two Natural Earth regions may share a folded name; the ISO code's suffix chooses between them.
    region = _Region("XX-QQ", "ZZ", "Nowhere", (("Nowhere", "en"),))
    assert area_centre(region) is None
