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
import json, sys, time
started = time.perf_counter()
import gazetteer
gaz = gazetteer.load(sys.argv[1] or None)
seconds = time.perf_counter() - started
sys.path.insert(0, sys.argv[2])
from bench_geoparse import peak_rss_mb
print(json.dumps({"seconds": seconds, "rss_mb": peak_rss_mb()}))
"""


def peak_rss_mb() -> float:
    """Return this process's peak resident memory in MB (VmHWM; it is not inherited through fork)."""
    try:
        for line in Path("/proc/self/status").read_text(encoding="ascii").splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def time_build(folder: Path | None) -> float:
    """Return the seconds a full index build takes (into a scratch folder unless one is given)."""
    from gazetteer import build_index

    started = time.perf_counter()
    build_index(folder, quiet=True, force=True)
    return time.perf_counter() - started


def time_cold_load(folder: Path | None) -> dict[str, float]:
    """Return the cold load time and peak resident memory of a fresh process loading the index."""
    argv = [sys.executable, "-c", _LOAD_PROBE, str(folder or ""), str(Path(__file__).parent)]
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
    with tempfile.TemporaryDirectory(prefix="gazetteer-bench-") as scratch:
        folder = Path(scratch) if args.rebuild else None
        if folder is not None:
            print(f"index build          {time_build(folder):8.1f} s")
        return _measure(folder, args.corpora)


def _measure(folder: Path | None, corpora: Path) -> int:
    """Print load, memory and throughput figures for the index in a folder (None: the default)."""
    load = time_cold_load(folder)
    print(f"cold load            {load['seconds']:8.2f} s")
    print(f"resident memory      {load['rss_mb']:8.0f} MB (peak, after load)")
    docs = read_documents(corpora)
    if not docs:
        print(f"no *.docs.jsonl under {corpora}: throughput skipped")
        return 0
    speed = time_throughput(docs, folder)
    print(
        f"geoparse throughput  {speed['docs_per_s']:8.1f} docs/s  {speed['mb_per_s']:6.3f} MB/s "
        f"({speed['docs']:.0f} docs, mean {speed['mean_doc_kb']:.1f} KB)"
    )
    print(f"memory after parsing {peak_rss_mb():8.0f} MB (peak of this process)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
