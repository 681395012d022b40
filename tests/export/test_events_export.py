"""The events export: one Feature per event per place, with counts across reports and every source."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json

from incidents.events import summarize_event
from incidents.export import event_collection_bytes, event_features
from incidents.export.geojson import EVENT_PROPERTIES
from tests.events.test_rule import OBLAST, ODESA, report


def test_one_feature_per_event_place_with_counts_and_sources() -> None:
    first = dataclasses.replace(report("a", ODESA), killed=3, injured=None, source="Outlet A",
                                published=dt.date(2024, 3, 2), seq=1)
    later = dataclasses.replace(report("b", ODESA, OBLAST), killed=7, injured=10, source="Outlet B",
                                published=dt.date(2024, 3, 3), seq=2)
    features = event_features([summarize_event("ev-1", [later, first])])
    assert [f["properties"]["place_id"] for f in features] == [ODESA.id, OBLAST.id]
    props = features[0]["properties"]
    assert tuple(props) == EVENT_PROPERTIES
    assert props["report_count"] == 2 and props["sources"] == ["Outlet A", "Outlet B"]
    assert (props["killed_low"], props["killed_best"], props["killed_high"]) == (3, 7, 7)
    assert (props["injured_low"], props["injured_best"], props["injured_high"]) == (10, 10, 10)
    assert (props["first_reported"], props["last_reported"]) == ("2024-03-02", "2024-03-03")
    assert features[0]["geometry"]["coordinates"] == [ODESA.lon, ODESA.lat]
    assert json.loads(event_collection_bytes([]))["features"] == []
