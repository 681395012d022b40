"""End to end, the map app as an analyst reads it (issue 14): a light first page, documents, days, labels.

One server holds a store made for these checks: many hand-made incidents (for the page's weight), and a
few documents with titles, sources and evidence (for the documents, the days and the map's labels).
Helpers and the browser come from ``test_browser``.
"""

from __future__ import annotations

import datetime as dt
import random
import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import FrameLocator, Locator, Page
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from gazetteer.records import Place, Precision
from incidents.records import Casualties, Document, Incident, IncidentPlace, IncidentType
from incidents.store import STORE_FILE, Store
from tests import test_browser as shared
from tests.test_browser import MARKERS, make_home, open_app, serve

pytestmark = [pytest.mark.slow, pytest.mark.browser]
browser, page = shared.browser, shared.page  # the same fixtures, found by name

MANY = 1_000
PER_DOCUMENT = 10
EVIDENCE = ("Officials said a {kind} hit {name} early on {day}, and rescue teams were still searching "
            "the damaged buildings in the afternoon.")


def many_incidents(n: int, seed: int = 3) -> list[list[Incident]]:
    """Return n incidents in documents of PER_DOCUMENT, at 60 places in Ukraine, over 90 days."""
    rng = random.Random(seed)
    places = [Place(f"many:{k}", f"Town {k}", rng.uniform(46, 52), rng.uniform(23, 40), "UA",
                    f"Region {k % 9}", "PPL", rng.randint(1_000, 900_000), Precision.LOCALITY)
              for k in range(60)]
    docs = []
    for d in range(n // PER_DOCUMENT):
        batch = []
        for i in range(PER_DOCUMENT):
            where = rng.choice(places)
            kind = IncidentType.STRIKE if rng.random() < 0.6 else IncidentType.ALERT
            day = dt.date(2024, 1, 1) + dt.timedelta(days=rng.randrange(90))
            batch.append(Incident(
                f"m{d}-{i}", f"many-{d}", kind, "drone" if kind is IncidentType.STRIKE else "siren",
                (IncidentPlace(where, where.name, 0, len(where.name)),),
                Casualties(rng.choice([None, 0, 2, 5]), rng.choice([None, 1, 3])), day, "en",
                EVIDENCE.format(kind=kind, name=where.name, day=day.isoformat()),
                f"https://news.example/{d}", round(rng.uniform(0.3, 1.0), 2)))
        docs.append(batch)
    return docs


@pytest.fixture(scope="module")
def many_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    home = make_home(tmp_path_factory.mktemp("many"))
    store = Store(home / STORE_FILE)
    for batch in many_incidents(MANY):
        store.add_document(Document(batch[0].doc_id, f"Synthetic document {batch[0].doc_id}."), batch)
    yield from serve(home)


def test_the_first_page_is_light(page: Page, many_app: str) -> None:
    """The map and the table travel compactly: places and sources once, repeated table values once."""
    received: list[int] = []
    page.on("websocket", lambda ws: ws.on("framereceived", lambda data: received.append(len(data))))
    frame = open_app(page, many_app)
    frame.locator(MARKERS).first.wait_for()
    page.get_by_test_id("stDataFrame").first.wait_for()
    page.get_by_role("tab", name="Export").wait_for()
    per_incident = sum(received) / MANY
    # Evidence alone is ~130 bytes per incident, sent to the map and to the table.
    assert per_incident < 550, f"{per_incident:.0f} bytes per incident on the first page"


# When the map's markers, the sidebar's widgets and the table first appear (ms since navigation).
ARRIVALS = """
(() => {
  if (window !== window.top) return;
  const seen = window.__arrivals = {};
  const note = (what) => { if (!(what in seen)) seen[what] = performance.now(); };
  const poll = () => {
    const map = document.querySelector('iframe[title="streamlit_folium.st_folium"]');
    const doc = map && map.contentDocument;
    if (doc && doc.querySelector('.incident-cluster, .incident-pin')) note('markers');
    if (document.querySelector('[data-testid="stSidebar"] [data-testid="stMultiSelect"]')) note('sidebar');
    if (document.querySelector('[data-testid="stDataFrame"]')) note('table');
    if (Object.keys(seen).length < 3) setTimeout(poll, 5);
  };
  poll();
})();
"""


@pytest.fixture(scope="module")
def map_first_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The many store, served with a first page that sends its map alone above 100 rows."""
    home = make_home(tmp_path_factory.mktemp("map-first"))
    store = Store(home / STORE_FILE)
    for batch in many_incidents(300):
        store.add_document(Document(batch[0].doc_id, f"Synthetic document {batch[0].doc_id}."), batch)
    yield from serve(home, settings={"INCIDENTS_MAP_FIRST_ROWS": "100"})


def test_a_large_first_page_draws_its_map_then_the_rest_follows_unasked(page: Page,
                                                                        map_first_app: str) -> None:
    """The sidebar's widgets and the table come after the map's markers, with no click from the user."""
    page.add_init_script(ARRIVALS)
    frame = open_app(page, map_first_app)
    frame.locator(MARKERS).first.wait_for()
    sidebar = page.get_by_test_id("stSidebar").locator('[data-testid="stMultiSelect"]').filter(
        has_text="Type")
    sidebar.first.wait_for(timeout=30_000)
    page.get_by_test_id("stDataFrame").first.wait_for(timeout=30_000)
    page.wait_for_function("() => Object.keys(window.__arrivals).length === 3")
    arrivals = page.evaluate("() => window.__arrivals")
    assert arrivals["markers"] < arrivals["sidebar"], arrivals
    assert arrivals["markers"] < arrivals["table"], arrivals
    assert page.get_by_text("The filters follow the map").count() == 0
    # The page is whole now: a filter works as on any page.
    open_list(page, sidebar.first, "alert").click()
    page.keyboard.press("Escape")
    wait_metric(page, "Strikes", 0)


XSS = shared.XSS
KHARKIV = Place("t:kharkiv", "Kharkiv", 49.99, 36.23, "UA", "Kharkiv Oblast", "PPLA", 1_400_000,
                Precision.LOCALITY)
ODESA = Place("t:odesa", "Odesa", 46.48, 30.72, "UA", "Odesa Oblast", "PPLA", 1_000_000, Precision.LOCALITY)
IZIUM = Place("t:izium", "Izium", 49.21, 37.26, "UA", "Kharkiv Oblast", "PPL", 45_000, Precision.LOCALITY)
KHERSON = Place("t:kherson", "Kherson", 46.64, 32.61, "UA", "Kherson Oblast", "PPLA", 280_000,
                Precision.LOCALITY)
OBLAST = Place("t:kharkiv-oblast", "Kharkiv Oblast", 49.6, 36.4, "UA", None, "ADM1", 2_600_000,
               Precision.REGION, 120.0)
DEPOT = f"A drone hit a depot in Kharkiv {XSS}."
TITLE = "Drones struck Kharkiv overnight"
READABLE = [  # (document, [(place, day, evidence, type)])
    (Document("paste-3f827ca6cc", f"{TITLE}\n\n{DEPOT} Three people were hurt.\nRepairs began at noon.", "en",
              dt.date(2024, 6, 1), "https://kharkiv.example/story"),
     [(KHARKIV, 1, DEPOT, IncidentType.STRIKE)]),
    (Document("paste-0b1d2e3f4a", "Sirens over Odesa\n\nAir-raid sirens sounded in Odesa.", "en",
              dt.date(2024, 6, 3), "Odesa desk"),
     [(ODESA, 3, "Air-raid sirens sounded in Odesa.", IncidentType.ALERT)]),
    (Document("paste-5c6d7e8f9a", "Shelling in the east\n\nIzium was shelled. Kherson was shelled too. "
              "Air alerts sounded across Kharkiv Oblast.", "en", dt.date(2024, 6, 4), "East desk"),
     [(IZIUM, 4, "Izium was shelled.", IncidentType.STRIKE),
      (KHERSON, 4, "Kherson was shelled too.", IncidentType.STRIKE),
      (OBLAST, 4, "Air alerts sounded across Kharkiv Oblast.", IncidentType.ALERT)]),
]


@pytest.fixture(scope="module")
def readable_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    home = make_home(tmp_path_factory.mktemp("readable"))
    store = Store(home / STORE_FILE)
    for document, found in READABLE:
        incidents = []
        for n, (where, day, evidence, kind) in enumerate(found):
            start = document.text.index(evidence)
            incidents.append(Incident(
                f"{document.id}-{n}", document.id, kind, None, (IncidentPlace(where, where.name, 0, 1),),
                Casualties(None, 3 if where is KHARKIV else None), dt.date(2024, 6, day), "en", evidence,
                document.source, 0.8, evidence_span=(start, start + len(evidence))))
        store.add_document(document, incidents)
    yield from serve(home)


def wait_metric(page: Page, label: str, value: int) -> None:
    shared.wait_metric(page, label, value)


def open_list(page: Page, box: Locator, option: str) -> Locator:
    """Click a select box until its list shows ``option`` (a rerun may close a list as it opens)."""
    found = page.get_by_role("option", name=option)
    for _ in range(5):
        box.click()
        try:
            found.first.wait_for(timeout=10_000)
            return found.first
        except PlaywrightTimeout:
            continue
    found.first.wait_for()
    return found.first


def test_documents_have_titles_and_show_their_text_with_the_evidence_marked(
        page: Page, readable_app: str) -> None:
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    open_app(page, readable_app).locator(MARKERS).first.wait_for()
    sidebar = page.get_by_test_id("stSidebar")
    open_list(page, sidebar.locator('[data-testid="stMultiSelect"]').filter(has_text="Document").first, TITLE)
    assert page.get_by_role("option", name="paste-3f827ca6cc").count() == 0
    page.get_by_text("Incidents map", exact=True).first.click()  # closes the list
    page.get_by_role("option", name=TITLE).wait_for(state="detached")
    page.get_by_role("tab", name="Documents").click()
    picker = page.get_by_test_id("stSelectbox").filter(has_text="Document").first
    picker.wait_for()
    open_list(page, picker, TITLE).click()
    mark = page.locator(".document-text mark", has_text="A drone hit").first
    mark.wait_for()
    assert mark.inner_text() == DEPOT, "the evidence is marked, its markup shown as text"
    text = page.locator(".document-text").first.inner_text()
    assert text.startswith(TITLE) and "Repairs began at noon." in text
    assert page.locator(".document-text img").count() == 0
    assert dialogs == []


def test_days_are_stepped_and_a_timeline_bar_shows_its_day(page: Page, readable_app: str) -> None:
    open_app(page, readable_app).locator(MARKERS).first.wait_for()
    wait_metric(page, "Incidents", 5)
    page.get_by_role("button", name="Next day ▶").click()
    page.get_by_text("day 1 of 3 with incidents").wait_for()
    wait_metric(page, "Incidents", 1)
    page.get_by_role("button", name="Next day ▶").click()
    page.get_by_text("day 2 of 3 with incidents").wait_for()
    page.get_by_role("button", name="Next day ▶").click()
    page.get_by_text("day 3 of 3 with incidents").wait_for()
    wait_metric(page, "Incidents", 3)
    assert page.get_by_role("button", name="Next day ▶").is_disabled()
    page.get_by_role("button", name="◀ Previous day").click()
    page.get_by_text("day 2 of 3 with incidents").wait_for()
    wait_metric(page, "Incidents", 1)
    page.get_by_role("button", name="All days").click()
    wait_metric(page, "Incidents", 5)
    page.get_by_role("tab", name="Timeline").click()
    chart = page.locator('[data-testid="stVegaLiteChart"] canvas, [data-testid="stVegaLiteChart"] svg').first
    chart.wait_for()
    chart.scroll_into_view_if_needed()
    box = chart.bounding_box()
    assert box is not None
    # Three days on a banded axis after the counts' axis (~40 px): the last band is 4 June, the tallest bar.
    chart.click(position={"x": 40 + 2.5 * (box["width"] - 40) / 3, "y": box["height"] * 0.5})
    page.get_by_text("day 3 of 3 with incidents").wait_for()
    wait_metric(page, "Incidents", 3)


def look(frame: FrameLocator, lat: float, lon: float, zoom: int) -> None:
    """Move the map at once (no animation), returning nothing (a Leaflet map is a large graph to send)."""
    shared.leaflet(frame, f"m => {{ m.setView([{lat}, {lon}], {zoom}, {{animate: false}}); }}")


def test_city_labels_appear_as_the_map_zooms_in(page: Page, readable_app: str) -> None:
    remote: list[str] = []
    page.on("request", lambda r: remote.append(r.url) if not r.url.startswith(readable_app) else None)
    frame = open_app(page, readable_app)
    frame = shared.settled_map(page)
    look(frame, 49.5, 33.5, 5)
    frame.locator(".city-label", has_text="Kyiv").first.wait_for()
    assert frame.locator(".city-label", has_text="Izyum").count() == 0, "a town of 45,000: not from afar"
    afar = frame.locator(".city-label").count()
    look(frame, IZIUM.lat, IZIUM.lon, 10)
    frame.locator(".city-label", has_text="Izyum").first.wait_for()
    assert frame.locator(".city-label").count() >= 3 and afar >= 5
    assert remote == [], f"requests left the machine: {remote[:5]}"


def test_region_borders_are_drawn_and_a_region_is_drawn_as_itself(page: Page, readable_app: str) -> None:
    frame = open_app(page, readable_app)
    frame = shared.settled_map(page)
    look(frame, 49.0, 33.0, 6)
    frame.locator("path.admin1-border").first.wait_for(state="attached")
    assert frame.locator("path.admin1-border").count() >= 20, "Ukraine's oblasts"
    shape = frame.locator("path.region-shape")
    shape.first.wait_for(state="attached")
    assert shape.count() == 1, "the oblast's incident is the oblast, not a ring"
    look(frame, 30, 20, 3)
    frame.locator("path.admin1-border").first.wait_for(state="detached")


def area_fills(frame: FrameLocator) -> list[str]:
    """Return the fill of every region drawn for an incident (a shape, and its ring underneath)."""
    return list(frame.locator("path.region-shape, path.incident-area").evaluate_all(
        "ps => ps.map(p => p.getAttribute('fill'))"))


def test_a_region_is_only_an_edge_from_city_zoom_or_from_inside(page: Page, readable_app: str) -> None:
    frame = open_app(page, readable_app)
    frame = shared.settled_map(page)
    look(frame, 49.0, 33.0, 6)
    frame.locator("path.region-shape:not([fill='none'])").first.wait_for(state="attached")
    assert "none" not in area_fills(frame), "from afar the oblast is tinted"
    look(frame, KHARKIV.lat, KHARKIV.lon, 11)  # the city: the view lies inside the oblast
    frame.locator("path.region-shape[fill='none']").first.wait_for(state="attached")
    assert set(area_fills(frame)) == {"none"}, "no tint over the city"
    look(frame, 49.0, 33.0, 6)
    frame.locator("path.region-shape:not([fill='none'])").first.wait_for(state="attached")


def test_countries_by_name_and_deleting_asks_first(page: Page, readable_app: str) -> None:
    """Runs last on this server: it deletes an incident."""
    open_app(page, readable_app).locator(MARKERS).first.wait_for()
    sidebar = page.get_by_test_id("stSidebar")
    countries = sidebar.locator('[data-testid="stMultiSelect"]').filter(has_text="Country").first
    open_list(page, countries, "Ukraine")
    assert page.get_by_role("option", name="UA", exact=True).count() == 0
    page.get_by_text("Incidents map", exact=True).first.click()  # closes the list
    grid = page.get_by_test_id("stDataFrame").first
    grid.scroll_into_view_if_needed()
    box = grid.bounding_box()
    assert box is not None
    page.mouse.click(box["x"] + 12, box["y"] + 35 + 17)  # the first row's selection cell
    page.get_by_role("tab", name="Review").click()
    page.get_by_role("button", name="Delete this incident").click()
    page.get_by_text("Delete this incident? It stays deleted").wait_for()
    wait_metric(page, "Incidents", 5)  # not yet
    page.get_by_role("button", name="Cancel").click()
    page.get_by_role("button", name="Delete this incident").click()
    page.get_by_role("button", name="Yes, delete").click()
    wait_metric(page, "Incidents", 4)


def click_a_pin_far_down(frame: FrameLocator, below: int) -> int:
    """Bring a pin whose row is past ``below`` into view (out of its cluster), click it; return its row."""
    row = frame.locator(".leaflet-container").first.evaluate("""(el, below) => new Promise(done => {
        var cluster = null;
        window.map.eachLayer(l => { if (l instanceof L.MarkerClusterGroup) cluster = l; });
        var pin = cluster.getLayers().find(m => m.options.incident.row > below);
        cluster.zoomToShowLayer(pin, () => { pin._icon.id = "chosen-pin"; done(pin.options.incident.row); });
    })""", below)
    frame.locator("#chosen-pin").dispatch_event("click")  # pins spread from one town may overlap
    return int(row)


def test_a_pin_selected_on_the_map_scrolls_the_table_to_its_row(page: Page, many_app: str) -> None:
    frame = open_app(page, many_app)
    frame.locator(MARKERS).first.wait_for()
    row = click_a_pin_far_down(frame, 800)
    place = frame.locator(".incident-popup td").first.inner_text().split("\n")[0]
    page.wait_for_url(re.compile(r"sel="), timeout=60_000)
    selected = page.get_by_test_id("stDataFrame").first.locator('[aria-selected="true"]')
    selected.first.wait_for(state="attached", timeout=60_000)
    # The grid is a canvas; its scroller says which rows are in view (header and rows 35 px high).
    page.wait_for_function("""row => {
        const s = document.querySelector('[data-testid=stDataFrame] .dvn-scroller');
        return s && s.scrollTop + 35 <= row * 35 && (row + 1) * 35 <= s.scrollTop + s.clientHeight; }""",
                           arg=row, timeout=30_000)
    assert place in selected.first.inner_text()
