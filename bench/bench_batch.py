"""Measure `batch` on a local Dask cluster of 2 workers against `extract --jsonl` on the same documents.

The corpus is generated (``bench_jobs.write_corpus``, fixed seed), then in one run: `extract --jsonl
--jobs 1`, `extract --jsonl --jobs 2` and `batch --workers 2 --geojson`, each the real command line in a
child process (start-up, index loads and cluster start included). Printed: wall seconds, CPU seconds
of the process and all its descendants, documents/s, the ratio to `extract --jobs 1`, the load average,
and whether batch's merged GeoJSON is byte-identical to extract's output.

    python bench/bench_batch.py [--docs 20000] [--partition-size 2000]
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench_jobs import write_corpus


def _run(args: list[str]) -> tuple[float, float]:
    """Run ``incidents`` with args; return (wall seconds, CPU seconds of it and its descendants)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "incidents", *args], stderr=subprocess.DEVNULL, check=False)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def main() -> None:
    """Generate the corpus, run the three commands, print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=20_000)
    parser.add_argument("--partition-size", type=int, default=2000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-batch-") as tmp:
        folder = Path(tmp)
        corpus = folder / "corpus.jsonl"
        write_corpus(corpus, args.docs)
        print(f"{args.docs} documents, {corpus.stat().st_size / 1e6:.1f} MB; cores: {os.cpu_count()}")
        print(f"{'command':<28} {'wall s':>7} {'CPU s':>7} {'docs/s':>7} {'ratio':>6} {'load':>5}")
        runs = {
            "extract --jobs 1": ["extract", "--jsonl", str(corpus), "--jobs", "1", "-o", str(folder / "e1")],
            "extract --jobs 2": ["extract", "--jsonl", str(corpus), "--jobs", "2", "-o", str(folder / "e2")],
            "batch --workers 2": ["batch", str(corpus), "--out", str(folder / "dataset"), "--workers", "2",
                                  "--partition-size", str(args.partition_size), "--geojson",
                                  str(folder / "b.geojson")],
        }
        base = 0.0
        for label, command in runs.items():
            load = os.getloadavg()[0]
            wall, cpu = _run(command)
            base = base or wall
            print(f"{label:<28} {wall:>7.1f} {cpu:>7.1f} {args.docs / wall:>7.1f} {base / wall:>6.2f} "
                  f"{max(load, os.getloadavg()[0]):>5.2f}", flush=True)
        outputs = {(folder / name).read_bytes() for name in ("b.geojson", "e1", "e2")}
        same = len(outputs) == 1
        print("batch's GeoJSON and both extract outputs byte-identical:", "yes" if same else "NO")


if __name__ == "__main__":
    main()
