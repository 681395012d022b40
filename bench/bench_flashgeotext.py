"""Compare the gazetteer's geoparse with flashgeotext (names only, no resolution) on the geoparsing corpora.

flashgeotext is not a dependency of the project: install it for this bench only
(``pip install flashgeotext``); without it the bench says so and stops. Both sides are timed in this
process, load included (our index, flashgeotext's demo lookup data), CPU seconds and wall seconds,
per corpus and in total. flashgeotext only finds names it knows (cities and countries, case
sensitive); geoparse also filters, disambiguates and resolves each name to one place, so the ratio
is what that work costs, not two equal tools.

    python bench/bench_flashgeotext.py [--corpora DIR]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path

DEFAULT_CORPORA = Path(__file__).resolve().parents[2] / "shared" / "benchmarks" / "geoparsing"


def read_corpora(folder: Path) -> dict[str, list[tuple[str, str | None]]]:
    """Return (text, lang) of every document, per corpus name (``gwn`` for ``gwn.docs.jsonl``)."""
    corpora: dict[str, list[tuple[str, str | None]]] = {}
    for path in sorted(folder.glob("*.docs.jsonl")):
        with path.open(encoding="utf-8") as handle:  # not splitlines(): texts hold U+2028
            rows = [json.loads(line) for line in handle if line.strip()]
        corpora[path.name.removesuffix(".docs.jsonl")] = [(row["text"], row.get("lang")) for row in rows]
    return corpora


def timed(work: Callable[[], object]) -> tuple[float, float]:
    """Return (CPU seconds, wall seconds) of one call."""
    cpu, wall = time.process_time(), time.perf_counter()
    work()
    return time.process_time() - cpu, time.perf_counter() - wall


def main(argv: list[str] | None = None) -> int:
    """Time both tools over each corpus and print the figures and their ratio."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpora", type=Path, default=DEFAULT_CORPORA)
    args = parser.parse_args(argv)
    try:
        from flashgeotext.geotext import GeoText
    except ImportError:
        print("flashgeotext is not installed (pip install flashgeotext): bench skipped")
        return 0
    try:
        from loguru import logger  # flashgeotext logs every lookup it loads

        logger.remove()
    except ImportError:
        pass
    import gazetteer

    corpora = read_corpora(args.corpora)
    if not corpora:
        print(f"no *.docs.jsonl under {args.corpora}: bench skipped")
        return 0
    loaded: dict[str, object] = {}
    ours_load = timed(lambda: loaded.setdefault("gaz", gazetteer.load()))
    theirs_load = timed(lambda: loaded.setdefault("flash", GeoText()))
    gaz, flash = loaded["gaz"], loaded["flash"]
    print(f"load                 geoparse {ours_load[0]:6.2f} s CPU {ours_load[1]:6.2f} s wall   "
          f"flashgeotext {theirs_load[0]:6.2f} s CPU {theirs_load[1]:6.2f} s wall")
    print(f"{'corpus':10} {'docs':>5} {'MB':>6}  {'geoparse CPU/wall s':>20}  {'flashgeotext CPU/wall s':>24}"
          f"  {'ratio (CPU)':>11}")
    totals = [0.0, 0.0, 0.0, 0.0]
    size_total = 0.0
    for name, docs in corpora.items():
        size = sum(len(text.encode("utf-8")) for text, _ in docs) / 1e6
        ours = timed(lambda docs=docs: [gazetteer.geoparse(t, gazetteer=gaz, lang=lang) for t, lang in docs])
        theirs = timed(lambda docs=docs: [flash.extract(input_text=t) for t, _ in docs])  # type: ignore[attr-defined]
        for i, value in enumerate((*ours, *theirs)):
            totals[i] += value
        size_total += size
        print(f"{name:10} {len(docs):>5} {size:>6.2f}  {ours[0]:>9.2f} {ours[1]:>9.2f}  "
              f"{theirs[0]:>11.2f} {theirs[1]:>11.2f}  {ours[0] / theirs[0]:>10.1f}x")
    count = sum(map(len, corpora.values()))
    print(f"{'all':10} {count:>5} {size_total:>6.2f}  {totals[0]:>9.2f} {totals[1]:>9.2f}  "
          f"{totals[2]:>11.2f} {totals[3]:>11.2f}  {totals[0] / totals[2]:>10.1f}x")
    with_load = (totals[0] + ours_load[0]) / (totals[2] + theirs_load[0])
    print(f"geoparse {size_total / totals[0]:.2f} MB/s CPU, flashgeotext {size_total / totals[2]:.2f} MB/s "
          f"CPU; flashgeotext is {with_load:.1f}x faster including load (CPU)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
