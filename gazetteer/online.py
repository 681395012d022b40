"""Look up names the local gazetteer lacks in Nominatim (OpenStreetMap), opt-in and cached.

Off by default: ``NominatimFallback(cache, enabled=True)`` or the edge reading ``INCIDENTS_NOMINATIM=1``
(see ``fallback_enabled``) turns it on. Every answer, a miss included, is kept in a small SQLite file
beside the index, so a name is asked for once. Requests go through geopy's ``RateLimiter`` (at least one
second apart against the public server, as its usage policy asks).

Errors: a failed request (network down, timeout, HTTP error, bad answer) raises
``GazetteerServiceError``; it is not cached, so a later call tries again.

Requests go through ``gazetteer.fetch`` (the project's one fetch policy): a server given by
``domain`` that resolves to a private address is refused unless ``fetch_policy`` allows private networks.
"""

from __future__ import annotations

import json
import re
import sqlite3
import threading
import time
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, replace
from pathlib import Path
from types import TracebackType
from typing import Any

from gazetteer.errors import GazetteerServiceError
from gazetteer.fetch import FetchError, FetchPolicy, FetchStatusError, fetch
from gazetteer.geo import distance_km
from gazetteer.records import Candidate, Place, Precision, Toponym

NOMINATIM_ENV = "INCIDENTS_NOMINATIM"
PUBLIC_DOMAIN = "nominatim.openstreetmap.org"
DEFAULT_USER_AGENT = "incidents-map/0.1 (geolocated incident mapping; offline-first)"
CACHE_FILE = "nominatim-cache.sqlite"
PREPOSITIONS_FILE = Path(__file__).with_name("data") / "place_prepositions.toml"

#: Nominatim ``addresstype`` (or ``type``) -> GeoNames-like feature code and precision.
_KINDS: dict[str, tuple[str, Precision]] = {
    "country": ("PCLI", Precision.COUNTRY),
    "state": ("ADM1", Precision.REGION),
    "province": ("ADM1", Precision.REGION),
    "region": ("RGN", Precision.REGION),
    "state_district": ("ADM2", Precision.REGION),
    "county": ("ADM2", Precision.REGION),
    "district": ("ADM2", Precision.REGION),
    "city": ("PPL", Precision.LOCALITY),
    "town": ("PPL", Precision.LOCALITY),
    "village": ("PPL", Precision.LOCALITY),
    "hamlet": ("PPL", Precision.LOCALITY),
    "municipality": ("PPL", Precision.LOCALITY),
    "suburb": ("PPLX", Precision.DISTRICT),
    "quarter": ("PPLX", Precision.DISTRICT),
    "neighbourhood": ("PPLX", Precision.DISTRICT),
    "city_district": ("PPLX", Precision.DISTRICT),
    "borough": ("PPLX", Precision.DISTRICT),
}
_OTHER_KIND = ("LCTY", Precision.POINT)


def fallback_enabled(environ: Mapping[str, str]) -> bool:
    """Say whether the environment turns the fallback on (``INCIDENTS_NOMINATIM=1``); for edges."""
    return environ.get(NOMINATIM_ENV, "").strip().lower() in {"1", "true", "yes", "on"}


def default_cache_path(index_dir: Path) -> Path:
    """Return the cache file beside an index folder (``<home>/gazetteer`` -> ``<home>/...sqlite``)."""
    return index_dir.parent / CACHE_FILE


def cache_key(name: str, country_codes: Sequence[str] | None, lang: str | None) -> str:
    """Return the cache key of a query: folded name, sorted country codes, language."""
    codes = ",".join(sorted(c.lower() for c in country_codes or ()))
    return f"{' '.join(name.split()).casefold()}|{codes}|{lang or ''}"


def _radius_km(raw: Mapping[str, Any]) -> float | None:
    """Return half the diagonal of Nominatim's bounding box [south, north, west, east]."""
    try:
        south, north, west, east = (float(v) for v in raw["boundingbox"])
    except (KeyError, TypeError, ValueError):
        return None
    return round(distance_km(south, west, north, east) / 2, 1)


def _population(raw: Mapping[str, Any]) -> int:
    text = str((raw.get("extratags") or {}).get("population", "")).replace(",", "").replace(" ", "")
    return int(text) if text.isdigit() else 0


def place_from_nominatim(raw: Mapping[str, Any]) -> Place:
    """Turn one Nominatim JSON result into a Place (id ``osm:<type>/<id>``)."""
    address = raw.get("address") or {}
    feature, precision = _KINDS.get(str(raw.get("addresstype") or raw.get("type") or ""), _OTHER_KIND)
    osm_type, osm_id = raw.get("osm_type"), raw.get("osm_id")
    ident = f"osm:{osm_type}/{osm_id}" if osm_type and osm_id else f"nominatim:{raw.get('place_id')}"
    name = raw.get("name") or str(raw.get("display_name", "")).split(",")[0].strip()
    area = precision in {Precision.REGION, Precision.COUNTRY}
    return Place(id=ident, name=str(name), lat=float(raw["lat"]), lon=float(raw["lon"]),
                 country_code=str(address.get("country_code", "")).upper(),
                 admin1=address.get("state") or address.get("province") or address.get("region"),
                 feature=feature, population=_population(raw), precision=precision,
                 radius_km=_radius_km(raw) if area else None)


def _place_from_json(text: str) -> Place:
    data = json.loads(text)
    data["precision"] = Precision(data["precision"])
    return Place(**data)


def policy_adapter(policy: FetchPolicy) -> Any:
    """Return a geopy adapter factory that sends every request through the project's fetch policy."""
    from geopy.adapters import AdapterHTTPError, BaseSyncAdapter
    from geopy.exc import GeocoderParseError

    class PolicyAdapter(BaseSyncAdapter):  # type: ignore[misc]  # geopy has no type hints
        def get_text(self, url: str, *, timeout: float, headers: Mapping[str, str]) -> str:
            deadline = min(policy.deadline_s, timeout or policy.deadline_s)
            try:
                answer = fetch(url, policy=replace(policy, deadline_s=deadline), headers=headers)
            except FetchStatusError as err:  # geopy turns statuses into its own errors
                raise AdapterHTTPError(str(err), status_code=err.status, headers={},
                                       text=err.body.decode("utf-8", "replace")) from err
            return answer.body.decode("utf-8", "replace")

        def get_json(self, url: str, *, timeout: float, headers: Mapping[str, str]) -> Any:
            try:
                return json.loads(self.get_text(url, timeout=timeout, headers=headers))
            except ValueError as err:
                msg = f"not JSON: {err}"
                raise GeocoderParseError(msg) from err

    return PolicyAdapter


class NominatimFallback:
    """Opt-in Nominatim lookups with a SQLite answer cache; off unless ``enabled=True``.

    When off, ``lookup`` returns None and touches neither the network nor the cache file.
    ``domain``/``scheme`` point it at another server (a local stand-in in tests). Against the public
    server ``min_delay_seconds`` must be at least 1 (its usage policy).
    """

    def __init__(self, cache_path: Path, *, enabled: bool = False, domain: str = PUBLIC_DOMAIN,
                 scheme: str = "https", user_agent: str = DEFAULT_USER_AGENT,
                 min_delay_seconds: float = 1.0, timeout: float = 10.0, max_retries: int = 1,
                 error_wait_seconds: float = 5.0, fetch_policy: FetchPolicy | None = None) -> None:
        if domain == PUBLIC_DOMAIN and min_delay_seconds < 1.0:
            msg = f"min_delay_seconds={min_delay_seconds} is below the 1 s the public Nominatim requires"
            raise ValueError(msg)
        self.cache_path = cache_path
        self.enabled = enabled
        self.domain = domain
        self._settings = {"scheme": scheme, "user_agent": user_agent, "timeout": timeout}
        self._limits = {"min_delay_seconds": min_delay_seconds, "max_retries": max_retries,
                        "error_wait_seconds": error_wait_seconds}
        self.fetch_policy = fetch_policy or FetchPolicy()
        self._geocode: Any = None
        self._db: sqlite3.Connection | None = None
        self._lock = threading.Lock()
        self.requests = 0

    def _connection(self) -> sqlite3.Connection:
        if self._db is None:
            self.cache_path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(self.cache_path, check_same_thread=False)
            self._db.execute("CREATE TABLE IF NOT EXISTS answers "
                             "(query TEXT PRIMARY KEY, place TEXT, fetched REAL NOT NULL)")
        return self._db

    def _geocoder(self) -> Any:
        if self._geocode is None:
            from geopy.extra.rate_limiter import RateLimiter
            from geopy.geocoders import Nominatim

            geocoder = Nominatim(domain=self.domain, adapter_factory=policy_adapter(self.fetch_policy),
                                 **self._settings)
            self._geocode = RateLimiter(geocoder.geocode, swallow_exceptions=False, **self._limits)
        return self._geocode

    def cached(self, name: str, *, country_codes: Sequence[str] | None = None,
               lang: str | None = None) -> tuple[bool, Place | None]:
        """Return (found, place) from the cache alone; found is False when never asked."""
        row = self._connection().execute("SELECT place FROM answers WHERE query = ?",
                                          (cache_key(name, country_codes, lang),)).fetchone()
        if row is None:
            return False, None
        return True, None if row[0] is None else _place_from_json(row[0])

    def _fetch(self, name: str, country_codes: Sequence[str] | None, lang: str | None) -> Place | None:
        from geopy.exc import GeopyError

        self.requests += 1
        codes = [c.lower() for c in country_codes] if country_codes else None
        try:
            location = self._geocoder()(name, exactly_one=True, language=lang or False,
                                        country_codes=codes, addressdetails=True, extratags=True)
        except (GeopyError, FetchError) as err:
            msg = f"Nominatim at {self.domain!r} failed for {name!r}: {err}"
            raise GazetteerServiceError(msg) from err
        try:
            return None if location is None else place_from_nominatim(location.raw)
        except (KeyError, TypeError, ValueError) as err:
            msg = f"Nominatim at {self.domain!r} gave an unreadable answer for {name!r}: {err!r}"
            raise GazetteerServiceError(msg) from err

    def lookup(self, name: str, *, country_codes: Sequence[str] | None = None,
               lang: str | None = None) -> Place | None:
        """Return the place Nominatim gives for a name, or None (a miss, or the fallback is off)."""
        if not self.enabled or not name.strip():
            return None
        with self._lock:
            found, place = self.cached(name, country_codes=country_codes, lang=lang)
            if found:
                return place
            place = self._fetch(name, country_codes, lang)
            payload = None if place is None else json.dumps(asdict(place), ensure_ascii=False)
            db = self._connection()
            db.execute("INSERT OR REPLACE INTO answers VALUES (?, ?, ?)",
                       (cache_key(name, country_codes, lang), payload, time.time()))
            db.commit()
            return place

    def close(self) -> None:
        """Close the cache file."""
        if self._db is not None:
            self._db.close()
            self._db = None

    def __enter__(self) -> NominatimFallback:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.close()


_RSQUO = "\u2019"
_TOKEN = re.compile(rf"[dDlLjJ]['{_RSQUO}]|\w+(?:[-'{_RSQUO}]\w+)*")


def _phrases(table: object) -> list[tuple[str, ...]]:
    words: list[str] = []
    if isinstance(table, dict):
        for value in table.values():
            words.extend(value if isinstance(value, list) else [])
    return sorted({tuple(w.casefold().replace(_RSQUO, "'").split()) for w in words}, key=len, reverse=True)


def _word_lists() -> tuple[list[tuple[str, ...]], list[tuple[str, ...]], set[str], set[str]]:
    with PREPOSITIONS_FILE.open("rb") as handle:
        data = tomllib.load(handle)
    connectors = {w.casefold() for w in data["connectors"]["words"]}
    not_names = {w.casefold() for w in data["not_names"]["words"]}
    return _phrases(data["prepositions"]), _phrases(data["skipped"]), connectors, not_names


def _match(tokens: Sequence[str], i: int, phrases: Iterable[tuple[str, ...]]) -> int:
    """Return how many tokens from i a phrase covers (0 if none)."""
    for phrase in phrases:
        if tuple(tokens[i:i + len(phrase)]) == phrase:
            return len(phrase)
    return 0


def _bare(token: str) -> str:
    """Drop an English possessive: "Kharkiv's" -> "Kharkiv"."""
    return re.sub(rf"['{_RSQUO}][sS]$", "", token)


def _capitalised(token: str) -> bool:
    return token[:1].isupper() or any(part[:1].isupper() for part in re.split(rf"[-'{_RSQUO}]", token)[1:])


def _name_end(words: Sequence[re.Match[str]], folded: Sequence[str], i: int, text: str,
              connectors: set[str]) -> int:
    """Return the index after the last word of the capitalised phrase starting at i."""
    end = i + 1
    j = i + 1
    while j < len(words) and not text[words[j - 1].end():words[j].start()].strip():
        if _capitalised(words[j][0]):
            end = j = j + 1
        elif folded[j] in connectors:
            j += 1
        else:
            break
    return end


def find_unknown_names(text: str, known_spans: Iterable[tuple[int, int]]) -> list[tuple[int, int, str]]:
    """Return capitalised phrases after a preposition of place that no known span covers.

    ``known_spans`` are (start, end) offsets of names the gazetteer already found. The phrases
    returned, (start, end, text), are the candidates to send to the online fallback.
    """
    prepositions, skipped, connectors, not_names = _word_lists()
    spans = list(known_spans)
    words = list(_TOKEN.finditer(text))
    folded = [w[0].casefold().replace(_RSQUO, "'") for w in words]
    found: list[tuple[int, int, str]] = []
    i = 0
    while i < len(words):
        step = _match(folded, i, prepositions)
        if not step:
            i += 1
            continue
        i += step
        while i < len(words) and (n := _match(folded, i, skipped)):
            i += n
        if i >= len(words) or not words[i][0][:1].isupper() or _bare(folded[i]) in not_names:
            continue
        end = _name_end(words, folded, i, text, connectors)
        start, stop = words[i].start(), words[end - 1].end()
        stop -= len(words[end - 1][0]) - len(_bare(words[end - 1][0]))
        if not any(s < stop and start < e for s, e in spans):
            found.append((start, stop, text[start:stop]))
        i = end
    return found


def add_fallback_toponyms(
    text: str, toponyms: Sequence[Toponym], fallback: NominatimFallback, *, lang: str | None = None
) -> list[Toponym]:
    """Return ``toponyms`` plus the unknown names after a preposition of place that the fallback resolves.

    The countries of the known toponyms narrow the query first (the document's focus); a name the
    focus does not find is asked for once more worldwide.
    """
    focus = sorted({t.place.country_code for t in toponyms if t.place.country_code})
    added: list[Toponym] = []
    for start, end, name in find_unknown_names(text, [(t.start, t.end) for t in toponyms]):
        place = fallback.lookup(name, country_codes=focus or None, lang=lang)
        if place is None and focus:
            place = fallback.lookup(name, lang=lang)
        if place is not None:
            reason = ("not in the local gazetteer: resolved by the Nominatim fallback",)
            added.append(Toponym(start, end, name, place, candidates=(Candidate(place, 1.0, reason),)))
    return sorted([*toponyms, *added], key=lambda t: (t.start, t.end))
