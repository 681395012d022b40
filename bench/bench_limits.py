"""Measure how time grows with one document's size, and memory as `extract --jsonl` streams a corpus.

Documents are generated (``bench_extract.make_document``), written as JSON Lines into a temporary
folder, and run through the real command line in a child process, so each figure includes start-up.

    python bench/bench_limits.py sizes [--sizes 10000,100000,1000000,5000000] [--time-limit 30]
                                       [--corpus DOCS.jsonl]
    python bench/bench_limits.py stream [--docs 1000,10000,50000]

``sizes`` builds its document from the news-like templates by default: every sentence tells a strike,
an alert or a count, and the same sentences come back again and again (a stress test). With ``--corpus``
(repeat it to join several) it joins the texts of JSON Lines corpora instead (``"text"`` of each line,
in order, no text twice), e.g. ``../shared/benchmarks/geoparsing/lgl.docs.jsonl``: distinct news, as a
long feed or a dossier reads.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench_extract import TEMPLATES, make_document


def _run(args: list[str]) -> tuple[float, float, str]:
    """Run ``incidents`` with args; return (seconds, peak RSS of the child in MB, last stderr line)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "incidents", *args], capture_output=True, check=False)
    elapsed = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    last = (done.stderr.decode("utf-8", "replace").strip().splitlines() or [""])[-1]
    return elapsed, max(peak, before) / 1024, last


def long_document(size: int) -> str:
    """Return one news-like single-line document of about ``size`` characters, in linear time.

    ``make_document`` sums its parts' lengths on every step: fine for 2 KB, hours for 5 MB.
    """
    rng = random.Random(7)
    parts: list[str] = []
    length = 0
    while length < size:
        part = make_document(rng, "en", size=2000).replace("\n\n", " ")
        parts.append(part)
        length += len(part) + 1
    return " ".join(parts)


def corpus_document(paths: list[Path], size: int) -> str:
    """Return the texts of JSON Lines corpora joined into one single-line document of about ``size``
    characters (fewer when the corpora are smaller)."""
    parts: list[str] = []
    length = 0
    for path in paths:
        with path.open(encoding="utf-8") as lines:
            for line in lines:
                text = " ".join(str(json.loads(line).get("text", "")).split())
                parts.append(text)
                length += len(text) + 1
                if length >= size:
                    return " ".join(parts)[:size]
    return " ".join(parts)


def sizes(folder: Path, chosen: list[int], time_limit: float, corpus: list[Path] | None = None) -> None:
    """Print the time one single-line document of each size takes (or the budget's message)."""
    print(f"{'bytes':>10} {'seconds':>8}  result")
    for size in chosen:
        text = long_document(size) if corpus is None else corpus_document(corpus, size)
        if corpus is not None and len(text) < size:
            print(f"{size:>10,} {'-':>8}  the corpus has only {len(text):,} characters")
            continue
        path = folder / f"doc-{size}.jsonl"
        path.write_text(json.dumps({"id": f"doc-{size}", "lang": "en", "published": "2024-05-20",
                                    "text": text}) + "\n", encoding="utf-8")
        elapsed, _, last = _run(["extract", "--jsonl", str(path), "-o", str(folder / "out.geojson"),
                                 "--time-limit", str(time_limit)])
        print(f"{size:>10,} {elapsed:>8.1f}  {last or 'ok'}", flush=True)


def stream(folder: Path, counts: list[int]) -> None:
    """Print the peak RSS of `extract --jsonl` over corpora of each size (about 2 KB a document)."""
    print(f"{'documents':>10} {'MB in':>7} {'seconds':>8} {'peak RSS MB':>12}")
    langs = list(TEMPLATES)
    for count in counts:
        rng = random.Random(count)
        path = folder / f"corpus-{count}.jsonl"
        with path.open("w", encoding="utf-8") as out:
            for i in range(count):
                lang = langs[i % len(langs)]
                out.write(json.dumps({"id": f"d{i}", "lang": lang, "published": "2024-05-20",
                                      "text": make_document(rng, lang)}, ensure_ascii=False) + "\n")
        size = path.stat().st_size / 1e6
        # Each run is its own child: RUSAGE_CHILDREN keeps the largest child's peak, so run small first.
        elapsed, peak, _ = _run(["extract", "--jsonl", str(path), "-o", str(folder / "out.geojson")])
        print(f"{count:>10,} {size:>7.1f} {elapsed:>8.1f} {peak:>12.0f}", flush=True)
        path.unlink()


def main() -> None:
    """Parse the arguments and run one measurement."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="what", required=True)
    sz = sub.add_parser("sizes")
    sz.add_argument("--sizes", default="10000,100000,200000,500000,1000000,2000000,5000000")
    sz.add_argument("--time-limit", type=float, default=30.0)
    sz.add_argument("--corpus", type=Path, action="append",
                    help="join this JSON Lines corpus's texts instead of templates (repeat for more)")
    st = sub.add_parser("stream")
    st.add_argument("--docs", default="1000,10000,50000")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-limits-") as tmp:
        if args.what == "sizes":
            sizes(Path(tmp), [int(s) for s in args.sizes.split(",")], args.time_limit, args.corpus)
        else:
            stream(Path(tmp), [int(s) for s in args.docs.split(",")])


if __name__ == "__main__":
    main()
