"""Measure what `store add` costs beyond extraction: documents saved per second and bytes written.

Generated documents (``bench_extract.make_document``, fixed seed) go through ``ingest`` with an
extractor that finds nothing, so the figures are the store's alone: the duplicate check, one
transaction per document, and what SQLite writes (the database, its WAL and checkpoints), read from
/proc/self/io.

    python bench/bench_store.py [--docs 2000]
"""

from __future__ import annotations

import argparse
import os
import random
import tempfile
import time
from pathlib import Path

from bench_extract import TEMPLATES, make_document

from incidents.ingest.collect import ingest
from incidents.records import Document
from incidents.store import Store


def _written() -> int:
    for line in Path("/proc/self/io").read_text().splitlines():
        if line.startswith("write_bytes:"):
            return int(line.split()[1])
    return 0


def main() -> None:
    """Add the generated documents to a new store; print the rate and the bytes written."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=2000)
    args = parser.parse_args()
    rng = random.Random(5)
    langs = list(TEMPLATES)
    docs = [Document(id=f"d{i}", text=make_document(rng, langs[i % len(langs)]), lang=langs[i % len(langs)])
            for i in range(args.docs)]
    with tempfile.TemporaryDirectory(prefix="bench-store-") as tmp:
        store = Store(Path(tmp) / "store.sqlite3")
        before, cpu, start = _written(), time.process_time(), time.perf_counter()
        report = ingest(store, docs, lambda doc: [])
        wall, cpu = time.perf_counter() - start, time.process_time() - cpu
        written = _written() - before
        size = sum(p.stat().st_size for p in Path(tmp).iterdir())
    each = wall / args.docs * 1000
    print(f"{len(report.added)} documents added: {wall:.2f} s wall ({each:.2f} ms a document), "
          f"{cpu:.2f} s CPU; {written / 1e6:.1f} MB written for a {size / 1e6:.1f} MB store; "
          f"load {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
