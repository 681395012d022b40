"""Print the gazetteer's figures: index build time, cold load time, resident memory, geoparse throughput.

Usage: ``python bench/bench_geoparse.py [--rebuild] [--corpora DIR]``. The load is timed in a fresh
process (a cold start of the library, warm OS cache); throughput runs over every
``*.docs.jsonl`` of the geoparsing benchmarks on one core.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

DEFAULT_CORPORA = Path(__file__).resolve().parents[2] / "shared" / "benchmarks" / "geoparsing"

_LOAD_PROBE = """
import json, resource, sys, time
started = time.perf_counter()
import gazetteer
gaz = gazetteer.load(sys.argv[1] if len(sys.argv) > 1 else None)
seconds = time.perf_counter() - started
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"seconds": seconds, "rss_mb": rss}))
"""


def time_build(folder: Path | None) -> float:
    """Return the seconds a full index build takes (into a scratch folder unless one is given)."""
    from gazetteer import build_index

    started = time.perf_counter()
    build_index(folder, quiet=True, force=True)
    return time.perf_counter() - started


def time_cold_load(folder: Path | None) -> dict[str, float]:
    """Return the cold load time and peak resident memory of a fresh process loading the index."""
    argv = [sys.executable, "-c", _LOAD_PROBE, *([str(folder)] if folder else [])]
    out = subprocess.run(argv, check=True, capture_output=True, text=True).stdout
    figures: dict[str, float] = json.loads(out.strip().splitlines()[-1])
    return figures


def read_documents(corpora: Path) -> list[tuple[str, str | None]]:
    """Return (text, lang) of every document of the benchmark corpora."""
    docs: list[tuple[str, str | None]] = []
    for path in sorted(corpora.glob("*.docs.jsonl")):
        with path.open(encoding="utf-8") as handle:
            for line in handle:
                if line.strip():
                    row = json.loads(line)
                    docs.append((row["text"], row.get("lang")))
    return docs


def time_throughput(docs: list[tuple[str, str | None]], folder: Path | None) -> dict[str, float]:
    """Return documents/s and MB/s of geoparse() over the documents (index already loaded)."""
    import gazetteer

    gaz = gazetteer.load(folder)
    size = sum(len(text.encode("utf-8")) for text, _ in docs)
    started = time.perf_counter()
    for text, lang in docs:
        gazetteer.geoparse(text, gazetteer=gaz, lang=lang)
    seconds = time.perf_counter() - started
    return {
        "docs": len(docs),
        "seconds": seconds,
        "docs_per_s": len(docs) / seconds,
        "mb_per_s": size / 1e6 / seconds,
        "mean_doc_kb": size / 1e3 / max(1, len(docs)),
    }


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print its figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rebuild", action="store_true", help="time a full build into a scratch folder")
    parser.add_argument("--corpora", type=Path, default=DEFAULT_CORPORA)
    args = parser.parse_args(argv)
    folder: Path | None = None
    if args.rebuild:
        folder = Path(tempfile.mkdtemp(prefix="gazetteer-bench-"))
        print(f"index build          {time_build(folder):8.1f} s")
    load = time_cold_load(folder)
    print(f"cold load            {load['seconds']:8.2f} s")
    print(f"resident memory      {load['rss_mb']:8.0f} MB (peak, after load)")
    docs = read_documents(args.corpora)
    if not docs:
        print(f"no *.docs.jsonl under {args.corpora}: throughput skipped")
        return 0
    speed = time_throughput(docs, folder)
    print(
        f"geoparse throughput  {speed['docs_per_s']:8.1f} docs/s  {speed['mb_per_s']:6.3f} MB/s "
        f"({speed['docs']:.0f} docs, mean {speed['mean_doc_kb']:.1f} KB)"
    )
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"memory after parsing {rss:8.0f} MB (peak)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
