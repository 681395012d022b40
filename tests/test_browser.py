"""End to end: ``streamlit run`` on a free local port, driven by Debian Chromium through Playwright.

One server holds hand-made incidents (so these tests check the app, not the extractor): markers,
filtering, clicking a marker, downloading GeoJSON and the XSS case. Another starts empty and checks the
first screen's example articles and the paste path with the real pipeline.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Dialog, FrameLocator, Page, Route, sync_playwright

from gazetteer.records import Place, Precision
from gazetteer.settings import default_index_dir
from incidents.records import Casualties, Document, Incident, IncidentPlace, IncidentType
from incidents.store import STORE_FILE, Store

pytestmark = [pytest.mark.slow, pytest.mark.browser]

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
START_TIMEOUT_S = 90
XSS = "<img src=x onerror=alert(1)>"
MAP_FRAME = 'iframe[title="streamlit_folium.st_folium"]:not([width="-1"]):not([data-stale="true"] *)'
# A map being replaced on a rerun is briefly a second frame (stale, or of width -1): only the live one counts.
MARKERS = ".incident-pin, .incident-cluster"
PNG = bytes.fromhex("89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
                    "0000000d49444154789c63f8ffff3f0005fe02fea7d6a4830000000049454e44ae426082")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def make_home(tmp: Path) -> Path:
    tmp.mkdir(parents=True, exist_ok=True)
    (tmp / "gazetteer").symlink_to(default_index_dir(), target_is_directory=True)
    return tmp


def serve(home: Path, *, settings: dict[str, str] | None = None) -> Iterator[str]:
    """Start the app for ``home``, wait until it answers (bounded), yield its URL, always stop it.

    ``settings``: environment variables for the app (beyond ``INCIDENTS_HOME``).
    """
    port = free_port()
    env = {**os.environ, **(settings or {}), "INCIDENTS_HOME": str(home)}
    log = (home / "streamlit.log").open("wb")
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(ROOT / "streamlit_app.py"),
         "--server.port", str(port), "--server.address", "127.0.0.1", "--server.headless", "true",
         "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + START_TIMEOUT_S
        while True:
            if proc.poll() is not None:
                tail = (home / "streamlit.log").read_text(errors="replace")[-2000:]
                pytest.fail(f"streamlit exited: {tail}")
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as answer:
                    if answer.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"streamlit did not answer within {START_TIMEOUT_S} s")
            time.sleep(0.5)
        yield url
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=15)
        log.close()


def place(ident: str, name: str, lat: float, lon: float, cc: str, precision: Precision) -> Place:
    return Place(f"t:{ident}", name, lat, lon, cc, None, "PPL", 10_000, precision,
                 25.0 if precision is Precision.REGION else None)


def hand_made(doc: str, n: int, kind: IncidentType, where: Place, killed: int | None,
              evidence: str) -> Incident:
    return Incident(f"{doc}-{n}", doc, kind, "missile" if kind is IncidentType.STRIKE else "siren",
                    (IncidentPlace(where, where.name, 0, len(where.name)),), Casualties(killed, 1),
                    dt.date(2024, 6, 1 + n), "en", evidence, XSS, 0.8)


@pytest.fixture(scope="module")
def filled_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    home = make_home(tmp_path_factory.mktemp("filled"))
    store = Store(home / STORE_FILE)
    store.add_document(Document("d1", "Hand-made."), [
        hand_made("d1", 0, IncidentType.STRIKE, place("poltava", "Poltava", 49.59, 34.55, "UA",
                                                      Precision.LOCALITY), 3, f"Strike report {XSS} here."),
        hand_made("d1", 1, IncidentType.ALERT, place("chernihiv", "Chernihiv", 51.49, 31.29, "UA",
                                                     Precision.LOCALITY), None, "Sirens sounded."),
        hand_made("d1", 2, IncidentType.ALERT, place("border", "Border area", 50.6, 33.2, "UA",
                                                     Precision.REGION), None, "Alarm in the border area."),
    ])
    yield from serve(home)


@pytest.fixture(scope="module")
def empty_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    yield from serve(make_home(tmp_path_factory.mktemp("empty")))


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: apt-get install chromium chromium-driver")
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    pg = context.new_page()
    pg.set_default_timeout(60_000)
    try:
        yield pg
    finally:
        context.close()


def open_app(page: Page, url: str) -> FrameLocator:
    page.goto(url)
    page.get_by_text("Incidents map", exact=True).first.wait_for()
    return page.frame_locator(MAP_FRAME)


def test_markers_drawn_from_local_assets(page: Page, filled_app: str) -> None:
    remote: list[str] = []
    page.on("request", lambda r: remote.append(r.url) if not r.url.startswith(filled_app) else None)
    frame = open_app(page, filled_app)
    frame.locator(MARKERS).first.wait_for()
    assert frame.locator(".incident-pin").count() >= 1
    assert frame.locator("path.leaflet-interactive").count() >= 1, "the region is drawn as a ring"
    assert remote == [], f"requests left the machine: {remote[:5]}"


def test_xss_shows_as_text_and_runs_nothing(page: Page, filled_app: str) -> None:
    dialogs: list[str] = []

    def refuse(dialog: Dialog) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", refuse)
    frame = open_app(page, filled_app)
    frame.locator(".incident-pin").first.wait_for()
    pins = frame.locator(".incident-pin")
    for index in range(pins.count()):
        pins.nth(index).click(force=True)
        popup = frame.locator(".incident-popup")
        popup.first.wait_for()
        if "Strike report" in popup.first.inner_text():
            break
    text = frame.locator(".incident-popup").first.inner_text()
    assert XSS in text
    assert frame.locator(".incident-popup img").count() == 0
    page.wait_for_timeout(500)
    assert dialogs == []


def test_filter_changes_the_markers(page: Page, filled_app: str) -> None:
    frame = open_app(page, filled_app)
    frame.locator(MARKERS).first.wait_for()
    sidebar = page.get_by_test_id("stSidebar")
    sidebar.get_by_text("Type", exact=True).wait_for()
    box = sidebar.locator('[data-testid="stMultiSelect"]').filter(has_text="Type").first
    box.click()
    page.keyboard.type("strike")
    page.keyboard.press("Enter")
    metric = page.get_by_test_id("stMetric").filter(has_text="Incidents").first
    page.wait_for_function(
        "() => [...document.querySelectorAll('[data-testid=stMetric]')].some("
        "m => m.innerText.includes('Incidents') && m.innerText.includes('\\n1'))", timeout=60_000)
    assert "1" in metric.inner_text()
    # The old map leaves as the new one arrives: wait until one map is left.
    page.wait_for_function(f"() => document.querySelectorAll('{MAP_FRAME}').length === 1")
    frame = page.frame_locator(MAP_FRAME)
    frame.locator(".incident-pin").first.wait_for()
    page.wait_for_timeout(1000)
    assert frame.locator(".incident-pin").count() == 1
    assert frame.locator("path.leaflet-interactive").count() == 0


def selected_table_rows(page: Page) -> list[str]:
    """Return the text of the table rows selected (the grid's accessible rows carry aria-selected)."""
    rows = page.get_by_test_id("stDataFrame").first.locator('[aria-selected="true"]')
    return [rows.nth(i).inner_text() for i in range(rows.count())]


def test_clicking_a_marker_keeps_its_popup_and_selects_its_row(page: Page, filled_app: str) -> None:
    frame = open_app(page, filled_app)
    pin = frame.locator(".incident-pin").first
    pin.wait_for()
    pin.click(force=True)
    place = frame.locator(".incident-popup td").first.inner_text().split("\n")[0]
    # The app reruns with the selection and rings the marker: the popup stays open.
    frame.locator("path.incident-selected").wait_for(timeout=60_000)
    page.wait_for_function("() => [...document.querySelectorAll('[data-testid=stDataFrame] "
                           "[aria-selected=true]')].length === 1", timeout=60_000)
    assert frame.locator(".incident-popup").count() == 1
    assert place in frame.locator(".incident-popup").first.inner_text()
    assert any(place in row for row in selected_table_rows(page))
    page.get_by_role("tab", name="Review").click()
    page.get_by_text("document d1", exact=False).first.wait_for(timeout=60_000)
    assert page.get_by_text(f"at {place}", exact=False).count() >= 1
    page.get_by_role("button", name="Save correction").wait_for()  # the tab switch reruns the app
    assert page.get_by_role("button", name="Save correction").count() == 1


def test_selecting_a_table_row_rings_its_marker_and_opens_its_popup(page: Page, filled_app: str) -> None:
    frame = open_app(page, filled_app)
    frame.locator(MARKERS).first.wait_for()
    grid = page.get_by_test_id("stDataFrame").first
    grid.scroll_into_view_if_needed()
    box = grid.bounding_box()
    assert box is not None
    # The grid is a canvas: click the selection cell of the first row (header and rows are 35 px high).
    page.mouse.click(box["x"] + 12, box["y"] + 35 + 17)
    frame.locator("path.incident-selected").wait_for(timeout=60_000)
    [row] = selected_table_rows(page)
    popup = frame.locator(".incident-popup")
    popup.first.wait_for(timeout=30_000)
    assert "#1 " in popup.first.inner_text()
    place = popup.first.locator("td").first.inner_text().split("\n")[0]
    assert place and place in row


def test_download_geojson(page: Page, filled_app: str) -> None:
    open_app(page, filled_app).locator(MARKERS).first.wait_for()
    page.get_by_role("tab", name="Export").click()
    with page.expect_download(timeout=60_000) as caught:
        page.get_by_role("button", name="GeoJSON").click()
    data = json.loads(Path(caught.value.path()).read_text(encoding="utf-8"))
    assert data["type"] == "FeatureCollection"
    assert len(data["features"]) == 3
    names = {f["properties"]["place_name"] for f in data["features"]}
    assert names == {"Poltava", "Chernihiv", "Border area"}


def test_examples_then_paste_with_the_real_pipeline(page: Page, empty_app: str) -> None:
    open_app(page, empty_app)
    page.get_by_role("button", name="Load the example articles").click()
    frame = page.frame_locator(MAP_FRAME)
    frame.locator(MARKERS).first.wait_for(timeout=120_000)
    before = frame.locator(MARKERS).count()
    assert before >= 1
    sidebar = page.get_by_test_id("stSidebar")
    sidebar.get_by_label("News text").fill(
        "Air-raid sirens sounded in Uzhhorod on Friday evening, the city council said.")
    sidebar.get_by_role("button", name="Extract and add").click()
    page.get_by_text("Added 1 document").wait_for(timeout=120_000)


EVENT_SOURCES = ("Outlet Alpha", "Outlet Beta", "https://gamma.example/story")


@pytest.fixture(scope="module")
def event_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Three documents reporting one strike on Kherson with a growing toll, grouped as they are added."""
    home = make_home(tmp_path_factory.mktemp("event"))
    store = Store(home / STORE_FILE)
    kherson = place("kherson", "Kherson", 46.64, 32.61, "UA", Precision.LOCALITY)
    for n, (source, killed) in enumerate(zip(EVENT_SOURCES, (2, 5, 7), strict=True)):
        doc = f"report-{n}"
        store.add_document(
            Document(doc, f"Report {n} of the Kherson strike.", "en", dt.date(2024, 6, 2 + n), source),
            [Incident(f"{doc}-0", doc, IncidentType.STRIKE, "shelling",
                      (IncidentPlace(kherson, "Kherson", 0, 7),), Casualties(killed, None),
                      dt.date(2024, 6, 2), "en", f"Shelling of Kherson, report {n}.", source, 0.8)])
    yield from serve(home)


def test_reports_of_one_event_are_one_pin_listing_every_source(page: Page, event_app: str) -> None:
    frame = open_app(page, event_app)
    frame.locator(".incident-pin .report-count").wait_for()
    page.wait_for_timeout(1000)  # the layer is drawn in chunks: let it finish
    assert frame.locator(".incident-pin").count() == 1
    assert frame.locator(".incident-pin .report-count").inner_text() == "3"
    frame.locator(".incident-pin").first.click(force=True)
    popup = frame.locator(".event-popup")
    popup.first.wait_for(timeout=60_000)
    text = popup.first.inner_text()
    assert "3 reports" in text
    assert all(source in text for source in EVENT_SOURCES)
    assert "killed 2 to 7 (latest 7)" in text
    for label, value in (("Events", "1"), ("Killed", "7")):
        page.wait_for_function(
            "([label, value]) => [...document.querySelectorAll('[data-testid=stMetric]')].some("
            "m => m.innerText.split('\\n')[0].trim() === label && m.innerText.trim().endsWith(value))",
            arg=[label, value], timeout=60_000)
    page.get_by_role("tab", name="Export").click()
    with page.expect_download(timeout=60_000) as caught:
        page.get_by_role("button", name="Events export").click()
    [feature] = json.loads(Path(caught.value.path()).read_text(encoding="utf-8"))["features"]
    assert feature["properties"]["report_count"] == 3
    assert feature["properties"]["sources"] == list(EVENT_SOURCES)
    assert feature["properties"]["killed_best"] == 7


# --- The map as an analyst reads it (issue 14): one more server with incidents made for these checks. ---

IZIUM = place("izium", "Izium", 49.21, 37.26, "UA", Precision.LOCALITY)
KHERSON = place("kherson", "Kherson", 46.64, 32.61, "UA", Precision.LOCALITY)
OBLAST = Place("t:kharkiv-oblast", "Kharkiv Oblast", 49.6, 36.4, "UA", None, "ADM1", 2_600_000,
               Precision.REGION, 120.0)
TOWN_PINS = 3


def analyst_incidents() -> list[Incident]:
    stacked = [hand_made("a1", n, IncidentType.STRIKE, IZIUM, n, f"Report {n} from Izium.")
               for n in range(TOWN_PINS)]
    return [*stacked, hand_made("a1", 3, IncidentType.STRIKE, KHERSON, None, "Shelling of Kherson."),
            hand_made("a1", 4, IncidentType.ALERT, OBLAST, None, "Air alert over the oblast.")]


@pytest.fixture(scope="module")
def analyst_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    home = make_home(tmp_path_factory.mktemp("analyst"))
    Store(home / STORE_FILE).add_document(Document("a1", "Hand-made."), analyst_incidents())
    for url in serve(home):
        yield url, home


def leaflet(frame: FrameLocator, script: str) -> Any:
    """Evaluate ``script`` (a function of the Leaflet map) inside the map's frame."""
    return frame.locator(".leaflet-container").first.evaluate(f"el => ({script})(window.map)")


def settled_map(page: Page) -> FrameLocator:
    """Wait until one map is left after a rerun and its markers are drawn."""
    page.wait_for_function(f"() => document.querySelectorAll('{MAP_FRAME}').length === 1")
    frame = page.frame_locator(MAP_FRAME)
    frame.locator(MARKERS).first.wait_for()
    page.wait_for_timeout(1500)  # the layer frames its data after streamlit-folium's own view update
    return frame


def shows_all(frame: FrameLocator, points: list[tuple[float, float]]) -> bool:
    return bool(leaflet(frame, f"m => {json.dumps(points)}.every(p => m.getBounds().contains(p))"))


def metric_value(page: Page, label: str) -> str:
    return page.get_by_test_id("stMetric").filter(has_text=label).first.inner_text().split("\n")[-1]


def wait_metric(page: Page, label: str, value: int) -> None:
    page.wait_for_function(
        "([label, value]) => [...document.querySelectorAll('[data-testid=stMetric]')].some("
        "m => m.innerText.split('\\n')[0].trim() === label && m.innerText.trim().endsWith(value))",
        arg=[label, str(value)], timeout=60_000)


def test_legend_explains_the_symbols(page: Page, analyst_app: tuple[str, Path]) -> None:
    frame = open_app(page, analyst_app[0])
    legend = frame.locator(".incident-legend")
    legend.wait_for()
    text = legend.inner_text().lower()
    for word in ("strike", "alert", "icon", "size", "ring", "reviewed", "cluster"):
        assert word in text, word
    assert legend.locator(".fa-rocket").count() == 1


def test_first_view_and_each_filter_change_frame_the_incidents(page: Page,
                                                               analyst_app: tuple[str, Path]) -> None:
    frame = open_app(page, analyst_app[0])
    frame = settled_map(page)
    everything = [(IZIUM.lat, IZIUM.lon), (KHERSON.lat, KHERSON.lon), (OBLAST.lat, OBLAST.lon)]
    assert shows_all(frame, everything)
    assert leaflet(frame, "m => m.getZoom()") >= 4, "framed, not the world"
    leaflet(frame, "m => m.setView([10, -60], 12)")  # the analyst wanders off
    sidebar = page.get_by_test_id("stSidebar")
    sidebar.locator('[data-testid="stMultiSelect"]').filter(has_text="Type").first.click()
    page.keyboard.type("strike")
    page.keyboard.press("Enter")
    wait_metric(page, "Incidents", TOWN_PINS + 1)
    frame = settled_map(page)
    assert shows_all(frame, [(IZIUM.lat, IZIUM.lon), (KHERSON.lat, KHERSON.lon)])
    assert leaflet(frame, "m => m.getZoom()") >= 4


def test_a_region_is_framed_whole_not_entered(page: Page, analyst_app: tuple[str, Path]) -> None:
    open_app(page, analyst_app[0])
    page.get_by_test_id("stSidebar").get_by_role("textbox", name="Place search").fill("oblast")
    page.keyboard.press("Enter")
    wait_metric(page, "Incidents", 1)
    page.wait_for_function(f"() => document.querySelectorAll('{MAP_FRAME}').length === 1")
    frame = page.frame_locator(MAP_FRAME)
    ring = frame.locator("path.leaflet-interactive").first
    ring.wait_for()
    page.wait_for_timeout(1500)
    box, area = ring.bounding_box(), frame.locator(".leaflet-container").first.bounding_box()
    assert box is not None and area is not None
    assert box["x"] >= area["x"] and box["y"] >= area["y"], (box, area)
    assert box["x"] + box["width"] <= area["x"] + area["width"], (box, area)
    assert box["y"] + box["height"] <= area["y"] + area["height"], (box, area)


def test_incidents_at_one_town_stay_apart_at_street_zoom(page: Page, analyst_app: tuple[str, Path]) -> None:
    frame = open_app(page, analyst_app[0])
    frame = settled_map(page)
    leaflet(frame, f"m => m.setView([{IZIUM.lat}, {IZIUM.lon}], 14)")
    page.wait_for_timeout(1500)
    badge = frame.locator(".incident-cluster", has_text=str(TOWN_PINS))
    if badge.count():  # a count badge; a click spreads its pins
        badge.first.click(force=True)
        page.wait_for_timeout(1500)
    area = frame.locator(".leaflet-container").first.bounding_box()
    assert area is not None
    middle = (area["x"] + area["width"] / 2, area["y"] + area["height"] / 2)
    pins = frame.locator(".leaflet-marker-pane .incident-pin")
    spots = set()
    for index in range(pins.count()):
        box = pins.nth(index).bounding_box()
        if box is not None:  # pins differ in size: compare their centres
            x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
            if abs(x - middle[0]) < 150 and abs(y - middle[1]) < 150:
                spots.add((round(x), round(y)))
    assert len(spots) == TOWN_PINS, f"{pins.count()} pins at {len(spots)} spots near the town"


def test_countries_across_the_date_line_draw_no_stripes(page: Page, analyst_app: tuple[str, Path]) -> None:
    frame = open_app(page, analyst_app[0])
    frame.locator(".leaflet-basemap-pane path").first.wait_for(state="attached")
    # An edge across more than half the world at a latitude the map shows is a stripe.
    stripes = leaflet(frame, """m => {
        var found = [];
        function walk(ll) {
            if (!ll.length) return;
            if (ll[0].lat === undefined) { ll.forEach(walk); return; }
            for (var i = 1; i < ll.length; i++) {
                var a = ll[i - 1], b = ll[i];
                if (Math.abs(a.lng - b.lng) > 180 && Math.min(Math.abs(a.lat), Math.abs(b.lat)) < 85)
                    found.push([a.lat, a.lng, b.lat, b.lng]);
            }
        }
        m.eachLayer(function (l) {
            if (l.options.pane === "basemap" && l.getLatLngs) walk(l.getLatLngs());
        });
        return found;
    }""")
    assert stripes == []
    # Chukotka, east of the date line, is still land.
    assert leaflet(frame, """m => { var hit = false; m.eachLayer(function (l) {
        if (l.options.pane === "basemap" && l.getBounds && l.getBounds().contains([66.0, -172.0])) hit = true;
    }); return hit; }""")


def test_online_tiles_show_through_the_country_fill(page: Page, analyst_app: tuple[str, Path]) -> None:
    asked: list[str] = []

    def tile(route: Route) -> None:  # answered here: no request leaves the machine
        asked.append(route.request.url)
        route.fulfill(status=200, content_type="image/png", body=PNG)

    page.route(re.compile(r"^https?://(?!127\.0\.0\.1[:/])"), tile)
    frame = open_app(page, analyst_app[0])
    frame.locator(".leaflet-basemap-pane path").first.wait_for(state="attached")
    assert frame.locator(".leaflet-basemap-pane path").first.get_attribute("fill-opacity") == "1"
    page.get_by_text("Online map tiles (OpenStreetMap)").click()
    page.wait_for_function(f"() => document.querySelectorAll('{MAP_FRAME}').length === 1")
    frame = page.frame_locator(MAP_FRAME)
    frame.locator(".leaflet-tile").first.wait_for()
    frame.locator(".leaflet-basemap-pane path").first.wait_for(state="attached")
    fills = frame.locator(".leaflet-basemap-pane path").evaluate_all(
        "ps => [...new Set(ps.map(p => p.getAttribute('fill-opacity')))]")
    assert fills == ["0"], "the country fill would hide the tiles"
    assert asked and all("tile.openstreetmap.org" in url for url in asked)


def download_rows(page: Page, button: str) -> int:
    with page.expect_download(timeout=30_000) as caught:
        page.get_by_role("button", name=button).click()
    body = Path(caught.value.path()).read_text(encoding="utf-8-sig")
    return len(json.loads(body)["features"]) if button == "GeoJSON" else len(body.strip().splitlines()) - 1


def test_five_exports_after_filter_changes_all_arrive(page: Page, analyst_app: tuple[str, Path]) -> None:
    open_app(page, analyst_app[0]).locator(MARKERS).first.wait_for()
    page.get_by_role("tab", name="Export").click()
    killed = page.get_by_test_id("stSidebar").get_by_label("Killed ≥")
    for attempt, (minimum, expected) in enumerate([(1, 2), (0, 5), (2, 1), (0, 5), (1, 2)]):
        button = "GeoJSON" if attempt % 2 else "CSV (ACLED-like columns)"
        killed.fill(str(minimum))
        killed.press("Enter")
        download_rows(page, button)  # at once, while the app reruns: a file must still arrive
        page.wait_for_timeout(200)
        download_rows(page, button)
        page.get_by_text(f"{expected} incident(s) as shown").wait_for()  # below the buttons
        assert download_rows(page, button) == expected, (attempt, button)


def search_place(page: Page, text: str, expected: int) -> None:
    page.get_by_test_id("stSidebar").get_by_role("textbox", name="Place search").fill(text)
    page.keyboard.press("Enter")
    wait_metric(page, "Incidents", expected)


def test_place_search_finds_other_names_of_a_place(page: Page, analyst_app: tuple[str, Path]) -> None:
    open_app(page, analyst_app[0])
    search_place(page, "cherson", 1)  # the gazetteer knows Kherson by this name too
    frame = settled_map(page)
    assert frame.locator(".incident-pin").count() == 1


def test_permalink_reopens_filters_and_selection(page: Page, analyst_app: tuple[str, Path]) -> None:
    open_app(page, analyst_app[0]).locator(MARKERS).first.wait_for()
    search_place(page, "izium", TOWN_PINS)
    killed = page.get_by_test_id("stSidebar").get_by_label("Killed ≥")
    killed.fill("1")  # Izium's reports killed 0, 1 and 2
    killed.press("Enter")
    wait_metric(page, "Incidents", TOWN_PINS - 1)
    grid = page.get_by_test_id("stDataFrame").first
    grid.scroll_into_view_if_needed()
    box = grid.bounding_box()
    assert box is not None
    page.mouse.click(box["x"] + 12, box["y"] + 35 + 17)  # the first row's selection cell
    page.wait_for_url(re.compile(r"sel="), timeout=60_000)
    link = page.url
    assert "place=izium" in link and "killed=1" in link
    page.wait_for_function("() => [...document.querySelectorAll('[data-testid=stDataFrame] "
                           "[aria-selected=true]')].length === 1")
    [chosen] = selected_table_rows(page)
    again = page.context.new_page()
    again.set_default_timeout(60_000)
    again.goto(link)
    wait_metric(again, "Incidents", TOWN_PINS - 1)
    search = again.get_by_test_id("stSidebar").get_by_role("textbox", name="Place search")
    assert search.input_value() == "izium"
    assert again.get_by_test_id("stSidebar").get_by_label("Killed ≥").input_value() == "1"
    again.frame_locator(MAP_FRAME).locator("path.incident-selected").wait_for()
    again.wait_for_function("() => [...document.querySelectorAll('[data-testid=stDataFrame] "
                            "[aria-selected=true]')].length === 1")
    assert selected_table_rows(again) == [chosen]


def test_new_documents_show_at_once(page: Page, analyst_app: tuple[str, Path]) -> None:
    """Runs last on this server: it adds a document."""
    url, home = analyst_app
    open_app(page, url).locator(MARKERS).first.wait_for()
    wait_metric(page, "Incidents", 5)
    odesa = place("odesa", "Odesa", 46.48, 30.72, "UA", Precision.LOCALITY)
    later = Incident("a2-0", "a2", IncidentType.STRIKE, "drone", (IncidentPlace(odesa, "Odesa", 0, 5),),
                     Casualties(None, None), dt.date(2025, 2, 1), "en", "Drones over Odesa.", None, 0.8)
    Store(home / STORE_FILE).add_document(Document("a2", "Later."), [later])
    undated = page.get_by_test_id("stSidebar").get_by_text("Include undated incidents")
    undated.click()  # any rerun of this session (adding through the sidebar is one)
    undated.click()
    wait_metric(page, "Incidents", 6)
