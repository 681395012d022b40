"""End to end: ``streamlit run`` on a free local port, driven by Debian Chromium through Playwright.

One server holds hand-made incidents (so these tests check the app, not the extractor): markers,
filtering, clicking a marker, downloading GeoJSON and the XSS case. Another starts empty and checks the
first screen's example articles and the paste path with the real pipeline.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Dialog, FrameLocator, Page, sync_playwright

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
MAP_FRAME = 'iframe[title="streamlit_folium.st_folium"]'
MARKERS = ".incident-pin, .incident-cluster"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def make_home(tmp: Path) -> Path:
    tmp.mkdir(parents=True, exist_ok=True)
    (tmp / "gazetteer").symlink_to(default_index_dir(), target_is_directory=True)
    return tmp


def serve(home: Path) -> Iterator[str]:
    """Start the app for ``home``, wait until it answers (bounded), yield its URL, always stop it."""
    port = free_port()
    env = {**os.environ, "INCIDENTS_HOME": str(home)}
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
