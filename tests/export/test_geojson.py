"""GeoJSON output: the contract's properties, [lon, lat] order, one Feature per incident per place."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from importlib.resources import files
from typing import Any

import jsonschema
import pytest

from gazetteer.records import Place, Precision
from incidents.export.geojson import (
    PROPERTIES,
    feature_text,
    to_feature_collection,
    to_features,
    with_event_id,
)
from incidents.records import Casualties, Incident, IncidentPlace, IncidentType

SCHEMA: dict[str, Any] = json.loads(
    files("incidents").joinpath("data/incidents.schema.json").read_text(encoding="utf-8")
)

ODESA = Place("geonames:698740", "Odesa", 46.47747, 30.73262, "UA", "Odessa", "PPLA", 1015826,
              Precision.LOCALITY)
REGION = Place("curated:test-region", "Test Region", 48.0, 37.5, "UA", None, "RGN", 0, Precision.REGION,
               radius_km=120.0)


def make_incident(*places: Place, killed: int | None = None, injured: int | None = 3) -> Incident:
    return Incident(
        incident_id="doc1-0001",
        doc_id="doc1",
        type=IncidentType.STRIKE,
        subtype="drone",
        places=tuple(IncidentPlace(p, p.name, 10, 15) for p in places),
        casualties=Casualties(killed=killed, injured=injured),
        date=dt.date(2024, 5, 1),
        lang="en",
        evidence="A drone hit Odesa; three people were hurt.",
        source="example.org",
        confidence=0.8123456,
    )


def test_point_is_lon_lat() -> None:
    [feature] = to_features([make_incident(ODESA)])
    assert feature["geometry"] == {"type": "Point", "coordinates": [30.73262, 46.47747]}


def test_all_contract_properties_present_and_typed() -> None:
    [feature] = to_features([make_incident(ODESA)])
    props = feature["properties"]
    assert tuple(props) == PROPERTIES
    assert props["type"] == "strike"
    assert props["precision"] == "locality"
    assert props["killed"] is None
    assert props["injured"] == 3
    assert props["date"] == "2024-05-01"
    assert props["confidence"] == pytest.approx(0.812)


def test_one_feature_per_place_sharing_the_incident_id() -> None:
    features = to_features([make_incident(ODESA, REGION)])
    assert [f["properties"]["place_id"] for f in features] == [ODESA.id, REGION.id]
    assert {f["properties"]["incident_id"] for f in features} == {"doc1-0001"}
    assert len({f["id"] for f in features}) == 2


def test_collection_validates_against_schema_and_survives_json() -> None:
    collection = to_feature_collection([make_incident(ODESA, REGION), make_incident(ODESA, killed=0)])
    jsonschema.validate(json.loads(json.dumps(collection)), SCHEMA)


def test_schema_rejects_swapped_coordinates() -> None:
    far_north = Place("geonames:1", "X", 10.0, 170.0, "XX", None, "PPL", 0, Precision.LOCALITY)
    collection = to_feature_collection([make_incident(far_north)])
    collection["features"][0]["geometry"]["coordinates"].reverse()
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(collection, SCHEMA)


def test_empty_input_gives_empty_collection() -> None:
    assert to_feature_collection([]) == {"type": "FeatureCollection", "features": []}


@pytest.mark.parametrize("sequence", [False, True])
def test_an_open_event_id_is_filled_in_even_when_a_text_field_spells_the_key(sequence: bool) -> None:
    tricky = dataclasses.replace(make_incident(ODESA), evidence='He typed "event_id": null into the form.',
                                 source='"event_id": null')
    open_text = feature_text(to_features([tricky], event_ids={})[0], sequence=sequence)
    filled = with_event_id(open_text, "ev-42")
    known = to_features([tricky], event_ids={tricky.incident_id: "ev-42"})[0]
    expected = feature_text(known, sequence=sequence)
    assert filled == expected
    assert json.loads(filled.lstrip("\x1e"))["properties"]["evidence"] == tricky.evidence
