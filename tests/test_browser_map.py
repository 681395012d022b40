"""End to end, the map app as an analyst reads it (issue 14): a light first page, documents, days, labels.

One server holds a store made for these checks: many hand-made incidents (for the page's weight), and a
few documents with titles, sources and evidence (for the documents, the days and the map's labels).
Helpers and the browser come from ``test_browser``.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator

import pytest
from playwright.sync_api import Page

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
