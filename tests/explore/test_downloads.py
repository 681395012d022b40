"""The export files of one filter state: made once, as bytes, with stable keys."""

from __future__ import annotations

import datetime as dt
import json

from gazetteer.records import Place, Precision
from incidents.explore.downloads import export_files
from incidents.records import Casualties, Incident, IncidentPlace, IncidentType

KYIV = Place("t:kyiv", "Kyiv", 50.45, 30.52, "UA", None, "PPLC", 2_900_000, Precision.LOCALITY)
STRIKE = Incident("d-0", "d", IncidentType.STRIKE, "drone", (IncidentPlace(KYIV, "Kyiv", 0, 4),),
                  Casualties(1, None), dt.date(2024, 5, 1), "en", "A drone hit Kyiv.", "Desk", 0.9)
DAY = dt.date(2024, 5, 2)


def test_four_files_named_by_day_with_stable_keys() -> None:
    files = export_files([STRIKE], day=DAY)
    assert [f.key for f in files] == ["dl_geojson", "dl_csv", "dl_gpkg", "dl_events"]
    assert [f.name for f in files] == ["incidents-2024-05-02.geojson", "incidents-2024-05-02.csv",
                                       "incidents-2024-05-02.gpkg", "events-2024-05-02.geojson"]
    assert json.loads(files[3].data)["features"] == [], "no events given, none exported"
    assert len(json.loads(files[0].data)["features"]) == 1
    assert "Kyiv" in files[1].data.decode("utf-8-sig")
    assert files[2].data[:15] == b"SQLite format 3"


def test_the_same_state_gives_the_same_text_files() -> None:
    first, again = export_files([STRIKE], day=DAY), export_files([STRIKE], day=DAY)
    assert [f.data for f in first[:2]] == [f.data for f in again[:2]]
