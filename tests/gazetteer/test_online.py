"""Nominatim fallback against a local stand-in server: opt-in, cache, rate limit, errors; name finding."""

from __future__ import annotations

import itertools
import json
import socket
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest

from gazetteer.errors import GazetteerError, GazetteerServiceError
from gazetteer.fetch import FetchPolicy
from gazetteer.online import (
    NominatimFallback,
    cache_key,
    default_cache_path,
    fallback_enabled,
    find_unknown_names,
    place_from_nominatim,
)
from gazetteer.records import Precision

_TOWN = {
    "place_id": 1001, "osm_type": "node", "osm_id": 42, "lat": "31.4180", "lon": "34.3490",
    "name": "Testdorp", "display_name": "Testdorp, Somewhere", "class": "place", "type": "town",
    "addresstype": "town", "address": {"town": "Testdorp", "state": "Test State", "country_code": "ps"},
    "extratags": {"population": "59504"}, "boundingbox": ["31.40", "31.43", "34.33", "34.36"],
}
_REGION = {
    "place_id": 1002, "osm_type": "relation", "osm_id": 7, "lat": "48.5", "lon": "38.0",
    "name": "Testregion", "display_name": "Testregion", "addresstype": "state",
    "address": {"state": "Testregion", "country_code": "ua"}, "boundingbox": ["47.0", "50.0", "36.0", "40.0"],
}


LOCAL = FetchPolicy(allow_private=True)
"""The stand-in listens on 127.0.0.1, a private address: only this setting reaches it."""


class _StandIn(ThreadingHTTPServer):
    calls: list[tuple[float, dict[str, list[str]]]]


class _Handler(BaseHTTPRequestHandler):
    server: _StandIn

    def do_GET(self) -> None:
        query = parse_qs(urlparse(self.path).query)
        self.server.calls.append((time.monotonic(), query))
        name = query.get("q", [""])[0]
        if name == "Broken":
            self.send_error(500, "stand-in failure")
            return
        answers: dict[str, list[dict[str, Any]]] = {"Testdorp": [_TOWN], "Testregion": [_REGION]}
        body = json.dumps(answers.get(name, [])).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        """Keep the test output quiet."""


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch) -> Iterator[_StandIn]:
    for var in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")
    stand_in = _StandIn(("127.0.0.1", 0), _Handler)
    stand_in.calls = []
    thread = threading.Thread(target=stand_in.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield stand_in
    stand_in.shutdown()
    stand_in.server_close()
    thread.join()


def _fallback(tmp_path: Path, server: _StandIn, **options: Any) -> NominatimFallback:
    host, port = server.server_address[:2]
    settings: dict[str, Any] = {"enabled": True, "domain": f"{host!s}:{port}", "scheme": "http",
                                "min_delay_seconds": 0.05, "max_retries": 0, "timeout": 5.0,
                                "fetch_policy": LOCAL, **options}
    return NominatimFallback(tmp_path / "cache.sqlite", **settings)


def test_off_by_default_touches_neither_network_nor_cache(tmp_path: Path, server: _StandIn) -> None:
    host, port = server.server_address[:2]
    fallback = NominatimFallback(tmp_path / "cache.sqlite", domain=f"{host!s}:{port}", scheme="http")
    assert fallback.lookup("Testdorp") is None
    assert server.calls == []
    assert not (tmp_path / "cache.sqlite").exists()


def test_a_found_name_becomes_a_place(tmp_path: Path, server: _StandIn) -> None:
    with _fallback(tmp_path, server) as fallback:
        place = fallback.lookup("Testdorp", country_codes=["PS"], lang="nl")
    assert place is not None
    assert (place.id, place.name) == ("osm:node/42", "Testdorp")
    assert (place.country_code, place.admin1) == ("PS", "Test State")
    assert (place.feature, place.precision, place.population) == ("PPL", Precision.LOCALITY, 59504)
    assert (place.lat, place.lon) == pytest.approx((31.418, 34.349))
    (_, query), = server.calls
    assert query["countrycodes"] == ["ps"]
    assert query["accept-language"] == ["nl"]


def test_answers_and_misses_are_cached_across_instances(tmp_path: Path, server: _StandIn) -> None:
    with _fallback(tmp_path, server) as first:
        found = first.lookup("Testdorp")
        assert first.lookup("Nergenshuizen") is None
        assert first.lookup("Testdorp") == found
        assert first.lookup("Nergenshuizen") is None
    assert len(server.calls) == 2
    with _fallback(tmp_path, server) as second:
        assert second.lookup("  testdorp ") == found
        assert second.lookup("Nergenshuizen") is None
        assert second.cached("Nergenshuizen") == (True, None)
        assert second.cached("Elders") == (False, None)
        assert second.requests == 0
    assert len(server.calls) == 2


def test_requests_are_rate_limited(tmp_path: Path, server: _StandIn) -> None:
    with _fallback(tmp_path, server, min_delay_seconds=0.4) as fallback:
        fallback.lookup("Testdorp")
        fallback.lookup("Testregion")
        fallback.lookup("Elders")
    times = [t for t, _ in server.calls]
    assert len(times) == 3
    assert min(b - a for a, b in itertools.pairwise(times)) >= 0.35


def test_an_http_error_raises_and_is_not_cached(tmp_path: Path, server: _StandIn) -> None:
    with _fallback(tmp_path, server) as fallback:
        with pytest.raises(GazetteerServiceError, match="Broken"):
            fallback.lookup("Broken")
        with pytest.raises(GazetteerError):
            fallback.lookup("Broken")
    assert len(server.calls) == 2


def test_an_unreachable_server_raises_a_service_error(tmp_path: Path) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    fallback = NominatimFallback(tmp_path / "c.sqlite", enabled=True, domain=f"127.0.0.1:{port}",
                                 scheme="http", min_delay_seconds=0.0, max_retries=0, timeout=2.0,
                                 fetch_policy=LOCAL)
    with fallback, pytest.raises(GazetteerServiceError, match=str(port)):
        fallback.lookup("Testdorp")


def test_a_server_at_a_private_address_is_refused_by_default(tmp_path: Path, server: _StandIn) -> None:
    host, port = server.server_address[:2]
    fallback = NominatimFallback(tmp_path / "c.sqlite", enabled=True, domain=f"{host!s}:{port}",
                                 scheme="http", min_delay_seconds=0.0, max_retries=0)
    with fallback, pytest.raises(GazetteerServiceError, match="refused: private address"):
        fallback.lookup("Testdorp")
    assert server.calls == []


def test_the_public_server_needs_a_one_second_delay(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="1 s"):
        NominatimFallback(tmp_path / "c.sqlite", enabled=True, min_delay_seconds=0.5)


def test_regions_get_a_radius_from_their_bounding_box() -> None:
    place = place_from_nominatim(_REGION)
    assert place.precision is Precision.REGION
    assert place.radius_km is not None
    assert 150 < place.radius_km < 250
    assert place_from_nominatim(_TOWN).radius_km is None


@pytest.mark.parametrize(("environ", "enabled"), [
    ({}, False), ({"INCIDENTS_NOMINATIM": "1"}, True), ({"INCIDENTS_NOMINATIM": "yes"}, True),
    ({"INCIDENTS_NOMINATIM": "0"}, False), ({"INCIDENTS_NOMINATIM": ""}, False),
])
def test_fallback_enabled_reads_the_environment_variable(environ: dict[str, str], enabled: bool) -> None:
    assert fallback_enabled(environ) is enabled


def test_cache_key_and_default_path() -> None:
    assert cache_key(" Kafr  Qasim ", ["IL", "PS"], "en") == cache_key("kafr qasim", ["ps", "il"], "en")
    assert cache_key("X", None, None) != cache_key("X", None, "nl")
    assert default_cache_path(Path("/data/home/gazetteer")) == Path("/data/home/nominatim-cache.sqlite")


@pytest.mark.parametrize(("text", "known", "expected"), [
    ("Er vielen granaten in het dorp Kafr Testa en bij Oud Mostrum.", [],
     ["Kafr Testa", "Oud Mostrum"]),
    ("Shelling was reported near Vel Testivka and in May in Rostov-on-Don.", [],
     ["Vel Testivka", "Rostov-on-Don"]),
    ("Raketen schlugen in Nordstadt ein, nahe Kleinheim.", [(22, 31)], ["Kleinheim"]),
    ("Une frappe près d'Avtestivka et à Deir al Testa.", [], ["Avtestivka", "Deir al Testa"]),
    ("Вибухи у Тестові та біля Малої Тестівки.", [], ["Тестові", "Малої Тестівки"]),  # noqa: RUF001
    ("Nothing here in particular, in 2021, in Monday's paper.", [], []),
])
def test_find_unknown_names(text: str, known: list[tuple[int, int]], expected: list[str]) -> None:
    found = find_unknown_names(text, known)
    assert [name for _, _, name in found] == expected
    assert all(text[start:end] == name for start, end, name in found)


def test_a_possessive_is_not_part_of_the_name() -> None:
    text = "Damage was worst in Testivka's outskirts."
    assert find_unknown_names(text, []) == [(20, 28, "Testivka")]


def test_unknown_names_after_a_place_preposition_are_added_from_the_fallback(
    tmp_path: Path, server: _StandIn
) -> None:
    from gazetteer.online import add_fallback_toponyms

    text = "Zware beschietingen in Testdorp, meldt het leger."
    with _fallback(tmp_path, server) as fallback:
        [toponym] = add_fallback_toponyms(text, [], fallback, lang="nl")
        again = add_fallback_toponyms(text, [], fallback, lang="nl")
    assert text[toponym.start:toponym.end] == "Testdorp" == toponym.text
    assert toponym.place.id == "osm:node/42"
    assert "Nominatim" in toponym.candidates[0].reasons[0]
    assert again == [toponym]
    assert len(server.calls) == 1  # the second pass is answered from the cache
