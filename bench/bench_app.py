"""Benchmark the map app with 20,000 incidents in the store: filter change -> map, and the map payload.

Prints, for a store of N synthetic incidents (hand-made records, no extraction):
- store: time to add them, and to read them all back;
- library: the map rows prepared once per store state, then per filter: apply_filters, the layer's
  JSON and the feature-group script st_folium sends;
- app: one AppTest rerun after a filter change (the whole server side of the page);
- browser (when /usr/bin/chromium exists and --browser is given): the first page until the map's
  markers are drawn, each time on a freshly started server (median of --first-pages; also by the
  page's own clock, which Playwright's figure trails by some tenths of a second); the time from a
  filter change until the map's new markers are drawn, over several rounds (median; the first round
  meets cold server caches), and the layer's own build and clustering times in the page. Each figure
  is printed with the load average: on a busy machine they say little.

Usage: .venv/bin/python bench/bench_app.py [--incidents 20000] [--browser]
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import gzip
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from gazetteer.records import Place, Precision  # noqa: E402
from incidents.explore import map as incident_map  # noqa: E402
from incidents.explore.filters import Filters, apply_filters  # noqa: E402
from incidents.records import Casualties, Document, Incident, IncidentPlace, IncidentType  # noqa: E402
from incidents.store import STORE_FILE, Store  # noqa: E402

PER_DOCUMENT = 10
EVIDENCE = ("Officials said a {kind} hit {name} early on {day}, and rescue teams were still searching "
            "the damaged buildings in the afternoon.")


def synthetic_incidents(n: int, seed: int = 7) -> list[list[Incident]]:
    """Return n incidents in documents of PER_DOCUMENT, spread over Ukraine and the Levant."""
    rng = random.Random(seed)
    places = []
    for k in range(400):
        lat, lon, cc = ((rng.uniform(46, 52), rng.uniform(23, 40), "UA") if k % 3 else
                        (rng.uniform(29.5, 33.3), rng.uniform(34.2, 36.0), rng.choice(["IL", "PS", "LB"])))
        precision = Precision.REGION if k % 25 == 0 else Precision.LOCALITY
        radius = 30.0 if precision is Precision.REGION else None
        places.append(Place(f"bench:{k}", f"Place {k}", lat, lon, cc, f"Region {k % 17}", "PPL",
                            rng.randint(1_000, 900_000), precision, radius))
    docs: list[list[Incident]] = []
    start = dt.date(2024, 1, 1)
    for d in range(n // PER_DOCUMENT):
        batch = []
        for i in range(PER_DOCUMENT):
            where = rng.choice(places)
            kind = IncidentType.STRIKE if rng.random() < 0.6 else IncidentType.ALERT
            day = start + dt.timedelta(days=rng.randrange(365))
            batch.append(Incident(
                incident_id=f"b{d}-{i}", doc_id=f"bench-{d}", type=kind,
                subtype=(rng.choice(["drone", "missile", "shelling"]) if kind is IncidentType.STRIKE
                         else "siren"),
                places=(IncidentPlace(where, where.name, 0, len(where.name)),),
                casualties=Casualties(rng.choice([None, 0, 1, 2, 5, 12]), rng.choice([None, 0, 3, 8])),
                date=day, lang=rng.choice(["en", "nl"]),
                evidence=EVIDENCE.format(kind=kind, name=where.name, day=day.isoformat()),
                source=f"https://news.example/{d}", confidence=round(rng.uniform(0.3, 1.0), 2),
            ))
        docs.append(batch)
    return docs


def timed(fn: Callable[[], Any], repeat: int = 5) -> tuple[float, Any]:
    """Return the median wall time of ``repeat`` runs (seconds) and the last result."""
    times, result = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), result


def layer_script(rows: incident_map.MapRows, incidents: list[Incident]) -> str:
    """Return the feature-group script st_folium sends for these incidents (what the browser receives)."""
    from streamlit_folium import generate_leaflet_string

    keys = [incident_map.feature_key(i, w) for i, w in incident_map.feature_pairs(incidents)]
    group = incident_map.incident_group(incident_map.layer_json(rows, keys))
    group.add_to(incident_map.base_map())
    group.render()  # type: ignore[no-untyped-call]
    return str(generate_leaflet_string(group, base_id="feature_group_0"))


FILTERS = {
    "everything": Filters(),
    "strikes": Filters(types=frozenset({IncidentType.STRIKE})),
    "killed >= 5": Filters(min_killed=5),
    "one month": Filters(date_from=dt.date(2024, 6, 1), date_to=dt.date(2024, 6, 30)),
}


def bench_library(everything: list[Incident]) -> None:
    seconds, rows = timed(lambda: incident_map.map_rows(everything), repeat=3)
    print(f"map rows of every feature, once per store state: {seconds:.3f} s")
    print(f"{'filter':<14}{'features':>9}{'filter+map s':>14}{'payload MB':>12}{'gzip MB':>9}")
    for label, filters in FILTERS.items():
        def run(chosen: Filters = filters) -> str:
            return layer_script(rows, apply_filters(everything, chosen))

        seconds, script = timed(run)
        shown = sum(len(i.places) for i in apply_filters(everything, filters))
        raw = script.encode("utf-8")
        packed = len(gzip.compress(raw))
        print(f"{label:<14}{shown:>9,}{seconds:>14.3f}{len(raw) / 1e6:>12.2f}{packed / 1e6:>9.2f}")


def bench_apptest() -> None:
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=600)
    t0 = time.perf_counter()
    at.run()
    first = time.perf_counter() - t0
    assert not at.exception, at.exception
    t0 = time.perf_counter()
    at.run()  # in a browser, the map asks for this run once drawn: it brings the sidebar and the table
    rest = time.perf_counter() - t0
    assert not at.exception, at.exception
    times = []
    for value in (["strike"], ["alert"], []):
        at.multiselect(key="f_types").set_value(value)
        t0 = time.perf_counter()
        at.run()
        times.append(time.perf_counter() - t0)
        assert not at.exception, at.exception
    print(f"app first run (store read, cold caches; a large first page sends its map alone): {first:.3f} s")
    print(f"app second run (the sidebar and the table, which the drawn map asks for): {rest:.3f} s")
    print(f"app rerun after a filter change: {', '.join(f'{t:.3f}' for t in times)} s")


FRESH = ".incident-cluster:not([data-stale]), .incident-pin:not([data-stale])"
STEPS = (("alert", "type"), ("everything", "Backspace"), ("strike", "type"), ("everything", "Backspace"))
"""One round of filter changes: each shows a different set (8,000, 20,000, 12,000, 20,000 features)."""


def load_average() -> str:
    """Return the machine's load average over the last minute (the figures are only as quiet as it)."""
    return f"load {os.getloadavg()[0]:.2f}"


MARKERS_SEEN = """
(() => {
  if (window !== window.top) return;
  const poll = () => {
    const map = document.querySelector('iframe[title="streamlit_folium.st_folium"]');
    const doc = map && map.contentDocument;
    const seen = doc && doc.querySelector('.incident-cluster, .incident-pin');
    if (seen) window.__markersSeen = performance.now();
    else setTimeout(poll, 5);
  };
  poll();
})();
"""
"""The page's own clock: when the map's first marker is in its document (ms from navigation start)."""


@contextlib.contextmanager
def map_page(home: Path) -> Iterator[tuple[Any, float]]:
    """Start a fresh server (cold caches), open its page in Chromium, and yield the page with the
    seconds it took until the map's markers were drawn (as Playwright sees them: the figure of record).

    The page also notes on its own clock when the first marker is in the map's document
    (``window.__markersSeen``): Playwright learns of it some tenths of a second later on a busy
    machine (its messages to and from the browser, its script in the new frame).
    """
    if str(ROOT / "tests") not in sys.path:
        sys.path.insert(0, str(ROOT / "tests"))
    from playwright.sync_api import sync_playwright
    from test_browser import CHROMIUM, CHROMIUM_ARGS, MAP_FRAME, serve

    server = serve(home)
    url = next(server)
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.set_default_timeout(300_000)
            page.add_init_script(MARKERS_SEEN)
            t0 = time.perf_counter()
            page.goto(url)
            page.frame_locator(MAP_FRAME).locator(".incident-cluster, .incident-pin").first.wait_for()
            yield page, time.perf_counter() - t0
            browser.close()
    finally:
        next(server, None)


def first_page(home: Path) -> tuple[float, float]:
    """Return the seconds a fresh server's first page takes until it has drawn the map: as Playwright
    sees the markers, and by the page's own clock (``MARKERS_SEEN``)."""
    with map_page(home) as (page, seconds):
        return seconds, page.evaluate("() => window.__markersSeen") / 1000


def bench_browser(home: Path, rounds: int, first_pages: int) -> None:
    firsts, own = [], []
    for n in range(first_pages):  # each on a new server: the store read and every cache start cold
        seconds, in_page = first_page(home)
        firsts.append(seconds)
        own.append(in_page)
        print(f"browser: first page with map drawn ({n + 1}/{first_pages}): {seconds:.2f} s "
              f"(the page's own clock: markers in the map at {in_page:.2f} s), {load_average()}")
    if firsts:
        print(f"browser: first page with map drawn: median {statistics.median(firsts):.2f} s "
              f"(the page's own clock: median {statistics.median(own):.2f} s)")
    with map_page(home) as (page, _):
        box = page.get_by_test_id("stSidebar").locator('[data-testid="stMultiSelect"]').filter(
            has_text="Type").first
        frame = next(f for f in page.frames if "st_folium" in f.url)
        times: dict[str, list[float]] = {}
        for n in range(rounds):
            for label, action in STEPS:
                # Mark the markers on screen, change the filter, wait for new markers to be drawn.
                frame.evaluate("() => document.querySelectorAll('.incident-cluster, .incident-pin')"
                               ".forEach(e => { e.dataset.stale = '1'; })")
                box.click()
                if action == "type":
                    page.keyboard.type(label)
                    key = "Enter"
                else:
                    key = action
                t0 = time.perf_counter()
                page.keyboard.press(key)
                frame.wait_for_function(f"() => document.querySelector('{FRESH}') !== null", polling=20)
                took = time.perf_counter() - t0
                frame.wait_for_function("() => window.incidentLayerStats.drawn_ms !== null")
                stats = frame.evaluate("() => window.incidentLayerStats")
                times.setdefault(label, []).append(took)
                print(f"browser: round {n + 1}, filter -> {label:<10} ({stats['rows']:>6,} rows): "
                      f"markers drawn after {took:.2f} s (layer built in {stats['build_ms']:.0f} ms, "
                      f"clustered in {stats['drawn_ms']:.0f} ms), {load_average()}")
                page.keyboard.press("Escape")
        for label, seconds in times.items():
            print(f"browser: filter -> {label}: median {statistics.median(seconds):.2f} s, "
                  f"first {seconds[0]:.2f} s, later rounds median "
                  f"{statistics.median(seconds[1:] or seconds):.2f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--incidents", type=int, default=20_000)
    parser.add_argument("--browser", action="store_true", help="also time a real browser (slow)")
    parser.add_argument("--rounds", type=int, default=3, help="rounds of filter changes in the browser")
    parser.add_argument("--first-pages", type=int, default=3,
                        help="first page loads in the browser, each on a freshly started server")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-app-") as folder:
        home = Path(folder)
        from gazetteer.settings import default_index_dir

        (home / "gazetteer").symlink_to(default_index_dir(), target_is_directory=True)
        os.environ["INCIDENTS_HOME"] = str(home)
        docs = synthetic_incidents(args.incidents)
        store = Store(home / STORE_FILE)
        t0 = time.perf_counter()
        for batch in docs:
            store.add_document(Document(batch[0].doc_id, f"Synthetic document {batch[0].doc_id}."), batch)
        added = time.perf_counter() - t0
        seconds, everything = timed(store.incidents, repeat=2)
        print(f"store: {len(everything):,} incidents in {len(docs):,} documents; "
              f"add {added:.2f} s, read all {seconds:.3f} s, file {store.path.stat().st_size / 1e6:.1f} MB")
        bench_library(everything)
        bench_apptest()
        if args.browser:
            bench_browser(home, args.rounds, args.first_pages)


if __name__ == "__main__":
    main()
