"""Benchmark event grouping: the cost of adding one document to a store of 20,000 incidents.

Prints, for N synthetic incidents (hand-made records over Ukraine and a year, no extraction):
- memory: ``Grouper`` (the command line's in-memory index) per document once N incidents are grouped;
- store: ``Store.add_document`` per document once the store holds N incidents, and the part of it
  spent grouping (``group_document``: the indexed lookup, the rule, filing the keys).

Usage: .venv/bin/python bench/bench_events.py [--incidents 20000]
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from gazetteer.records import Place, Precision  # noqa: E402
from incidents.events import Grouper  # noqa: E402
from incidents.records import Casualties, Document, Incident, IncidentPlace, IncidentType  # noqa: E402
from incidents.store import STORE_FILE, Store  # noqa: E402
from incidents.store import documents as store_documents  # noqa: E402

PER_DOCUMENT = 5
SUBTYPES = ("drone", "missile", "shelling", "airstrike", None)


def towns(rng: random.Random, count: int = 400) -> list[Place]:
    return [Place(f"bench:{n}", f"Town {n}", rng.uniform(46.0, 52.0), rng.uniform(23.0, 40.0), "UA",
                  f"Region{n % 24}ska oblast", "PPL", rng.choice((2_000, 30_000, 300_000)),
                  Precision.LOCALITY)
            for n in range(count)]


def document(rng: random.Random, places: list[Place], n: int) -> tuple[Document, list[Incident]]:
    day = dt.date(2024, 1, 1) + dt.timedelta(days=rng.randrange(365))
    doc = Document(id=f"doc-{n}", text=f"Synthetic report {n}.", lang="en", published=day,
                   source=f"https://outlet-{n % 40}.example/{n}")
    incidents = []
    for k in range(PER_DOCUMENT):
        place = rng.choice(places)
        incidents.append(Incident(
            incident_id=f"doc-{n}-{k}", doc_id=doc.id, type=IncidentType.STRIKE,
            subtype=rng.choice(SUBTYPES),
            places=(IncidentPlace(place, place.name, 0, 4),), casualties=Casualties(rng.randrange(5), None),
            date=day if rng.random() < 0.7 else None, lang="en", evidence="A strike.", source=doc.source,
            confidence=0.8))
    return doc, incidents


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--incidents", type=int, default=20_000)
    parser.add_argument("--probe", type=int, default=50, help="documents timed after the fill")
    args = parser.parse_args()
    rng = random.Random(7)
    places = towns(rng)
    docs = [document(rng, places, n) for n in range(args.incidents // PER_DOCUMENT + args.probe)]
    fill, probe = docs[: -args.probe], docs[-args.probe:]

    grouper = Grouper()
    for doc, incidents in fill:
        grouper.add_document(incidents, published=doc.published)
    timings = []
    for doc, incidents in probe:
        start = time.perf_counter()
        grouper.add_document(incidents, published=doc.published)
        timings.append(time.perf_counter() - start)
    print(f"memory: {len(fill) * PER_DOCUMENT:,} incidents grouped; one more document "
          f"({PER_DOCUMENT} incidents): median {statistics.median(timings) * 1000:.2f} ms, "
          f"max {max(timings) * 1000:.2f} ms")

    grouping: list[float] = []
    original = store_documents.group_document

    def timed(*a: object, **k: object) -> None:
        start = time.perf_counter()
        original(*a, **k)  # type: ignore[arg-type]
        grouping.append(time.perf_counter() - start)

    with tempfile.TemporaryDirectory() as tmp:
        store = Store(Path(tmp) / STORE_FILE)
        start = time.perf_counter()
        for doc, incidents in fill:
            store.add_document(doc, incidents)
        elapsed = time.perf_counter() - start
        print(f"store: filled with {len(fill) * PER_DOCUMENT:,} incidents in {elapsed:.1f} s")
        store_documents.group_document = timed  # type: ignore[assignment]
        adds = []
        for doc, incidents in probe:
            start = time.perf_counter()
            store.add_document(doc, incidents)
            adds.append(time.perf_counter() - start)
        store_documents.group_document = original  # type: ignore[assignment]
        events = store.events()
    print(f"store: one more document: add median {statistics.median(adds) * 1000:.2f} ms, of which grouping "
          f"median {statistics.median(grouping) * 1000:.2f} ms (max {max(grouping) * 1000:.2f} ms); "
          f"{len(events):,} events")


if __name__ == "__main__":
    main()
