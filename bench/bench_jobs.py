"""Measure `extract --jsonl` (or `geoparse`) with --jobs 1 and --jobs N: time, CPU, and the memory of all
its processes together.

The corpus is generated (``bench_extract.make_document``, fixed seed). Each run is the real command line
in a child process; while it runs, its process tree is sampled every 0.2 s from /proc: the summed PSS
(proportional set size: a page shared by two workers counts half in each, so the sum is what the
workers cost together) and the summed RSS (shared pages counted in every process), peaks kept, and
each process's CPU seconds. On a machine other work also loads, wall-clock time says little; the
"ideal wall" (the larger of all CPU seconds spread over the cores and the busiest process's CPU
seconds) is what the run would take on an idle machine, and gives the idle-machine speed-up. The load
average is printed with each figure.

    python bench/bench_jobs.py [--docs 1000] [--jobs 1,2] [--repeat 2] [--command extract]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from bench_extract import TEMPLATES, make_document

TICK = os.sysconf("SC_CLK_TCK")


def write_corpus(path: Path, count: int, *, seed: int = 13) -> None:
    """Write ``count`` generated documents (about 2 KB each, five languages) as JSON Lines."""
    rng = random.Random(seed)
    langs = list(TEMPLATES)
    with path.open("w", encoding="utf-8") as out:
        for i in range(count):
            lang = langs[i % len(langs)]
            out.write(json.dumps({"id": f"d{i}", "published": "2024-05-20", "text": make_document(rng, lang)},
                                 ensure_ascii=False) + "\n")


def _children(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(p) for p in text.split()]


def _tree(pid: int) -> list[int]:
    found = [pid]
    for child in _children(pid):
        found.extend(_tree(child))
    return found


def _memory_kb(pid: int) -> tuple[int, int]:
    """Return (PSS, RSS) of one process in kB from smaps_rollup, (0, 0) when it is gone."""
    pss = rss = 0
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                pss = int(line.split()[1])
            elif line.startswith("Rss:"):
                rss = int(line.split()[1])
    except OSError:
        pass
    return pss, rss


def _cpu_s(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return -1.0
    return (int(fields[11]) + int(fields[12])) / TICK


@dataclass
class Run:
    """What one run of the command took."""

    wall: float = 0.0
    peak_pss_mb: float = 0.0
    peak_rss_mb: float = 0.0
    cpu: dict[int, float] = field(default_factory=dict)
    load: float = 0.0


def run(args: list[str]) -> Run:
    """Run ``incidents`` with args, sampling its process tree; return the figures."""
    result = Run(load=os.getloadavg()[0])
    start = time.perf_counter()
    child = subprocess.Popen([sys.executable, "-m", "incidents", *args], stderr=subprocess.DEVNULL)
    while child.poll() is None:
        pids = _tree(child.pid)
        pss = rss = 0
        for pid in pids:
            p, r = _memory_kb(pid)
            pss, rss = pss + p, rss + r
            cpu = _cpu_s(pid)
            if cpu >= 0:
                result.cpu[pid] = cpu
        result.peak_pss_mb = max(result.peak_pss_mb, pss / 1024)
        result.peak_rss_mb = max(result.peak_rss_mb, rss / 1024)
        time.sleep(0.2)
    result.wall = time.perf_counter() - start
    result.load = max(result.load, os.getloadavg()[0])
    return result


def main() -> None:
    """Generate the corpus, run each --jobs value, print a table and check the outputs are identical."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=1000)
    parser.add_argument("--jobs", default="1,2")
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--command", choices=("extract", "geoparse"), default="extract")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-jobs-") as tmp:
        folder = Path(tmp)
        corpus = folder / "corpus.jsonl"
        write_corpus(corpus, args.docs)
        megabytes = corpus.stat().st_size / 1e6
        print(f"{args.command} --jsonl: {args.docs} documents, {megabytes:.1f} MB; cores: {os.cpu_count()}")
        print(f"{'jobs':>4} {'wall s':>7} {'docs/s':>7} {'MB/s':>5} {'CPU s':>6} {'ideal wall':>10} "
              f"{'PSS MB':>7} {'RSS MB':>7} {'load':>5}")
        outputs: dict[int, bytes] = {}
        for jobs in (int(j) for j in args.jobs.split(",")):
            for _ in range(args.repeat):
                out = folder / f"out-{jobs}.txt"
                done = run([args.command, "--jsonl", str(corpus), "--jobs", str(jobs), "-o", str(out)])
                total = sum(done.cpu.values())
                ideal = max(total / (os.cpu_count() or 1), max(done.cpu.values(), default=0.0))
                rate, speed = args.docs / done.wall, megabytes / done.wall
                print(f"{jobs:>4} {done.wall:>7.1f} {rate:>7.1f} {speed:>5.2f} "
                      f"{total:>6.1f} {ideal:>10.1f} {done.peak_pss_mb:>7.0f} "
                      f"{done.peak_rss_mb:>7.0f} {done.load:>5.2f}", flush=True)
                outputs[jobs] = out.read_bytes()
        same = len(set(outputs.values())) == 1
        print("outputs byte-identical across --jobs:", "yes" if same else "NO")


if __name__ == "__main__":
    main()
