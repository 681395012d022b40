"""The ``incidents`` command: argument parsing, output writing and error text, over the library.

Exit status: 0 when every input was processed, 1 when some input was bad (the rest is still
processed and written), 2 for a usage error.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import gc
import json
import os
import signal
import stat
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from importlib.metadata import version
from pathlib import Path
from typing import IO, Any

from incidents.errors import IncidentsError, InputError
from incidents.ingest.inputs import parse_date, read_documents
from incidents.records import Document, Incident

BENCHMARKS_ENV = "INCIDENTS_BENCHMARKS"
DOCUMENT_SECONDS = 30.0
"""Default time limit for one document: news articles take well under a second."""


def _date_arg(value: str) -> dt.date:
    try:
        return parse_date(value, what="--published")
    except InputError as err:
        raise argparse.ArgumentTypeError(str(err)) from err


def _lang_arg(value: str) -> str | None:
    value = value.strip().lower()
    return None if value in ("", "auto") else value


def _positive_arg(value: str) -> int:
    try:
        jobs = int(value)
    except ValueError:
        jobs = 0
    if jobs < 1:
        msg = f"expected a whole number, at least 1, got {value!r}"
        raise argparse.ArgumentTypeError(msg)
    return jobs


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser of the ``incidents`` command."""
    parser = argparse.ArgumentParser(prog="incidents", description="Map strikes and alerts in news text.")
    parser.add_argument("--version", action="version", version=f"%(prog)s {version('incidents')}")
    sub = parser.add_subparsers(dest="command", required=True)

    def add_inputs(p: argparse.ArgumentParser) -> None:
        p.add_argument("inputs", nargs="*", metavar="INPUT", help="text or HTML files; '-' or none: stdin")
        p.add_argument("--jsonl", action="store_true", help="each input line is a JSON document")
        p.add_argument("--lang", type=_lang_arg, default=None, help="nl en de fr uk ru, or auto (default)")

    def add_jobs(p: argparse.ArgumentParser) -> None:
        p.add_argument("--jobs", "-j", type=_positive_arg, default=None, metavar="N",
                       help="worker processes sharing the loaded gazetteer (default: the number of cores); "
                            "output stays in input order")

    def add_budget(p: argparse.ArgumentParser) -> None:
        p.add_argument("--time-limit", type=float, default=DOCUMENT_SECONDS, metavar="SECONDS",
                       help=f"give up on a document after this long (default {DOCUMENT_SECONDS:g}; "
                            "0: no limit)")

    ex = sub.add_parser("extract", help="extract incidents as a GeoJSON FeatureCollection")
    add_inputs(ex)
    ex.add_argument("--published", type=_date_arg, default=None, help="publication date YYYY-MM-DD")
    ex.add_argument("-o", "--output", metavar="OUT", help="write to OUT instead of stdout")
    ex.add_argument("--format", choices=("geojson", "geojsonseq"), default="geojson",
                    help="one FeatureCollection (default), or GeoJSON text sequences (RFC 8142)")
    add_budget(ex)
    add_jobs(ex)

    gp = sub.add_parser("geoparse", help="find and resolve place names (JSON Lines)")
    add_inputs(gp)
    gp.add_argument("--online", action="store_true",
                    help="ask Nominatim (rate-limited, cached) for names the local gazetteer lacks; "
                         "also on with INCIDENTS_NOMINATIM=1")
    gp.add_argument("-o", "--output", metavar="OUT", help="write to OUT instead of stdout")
    add_jobs(gp)

    ba = sub.add_parser("batch", help="extract a large archive on a Dask cluster into a GeoParquet dataset")
    ba.add_argument("inputs", nargs="+", metavar="INPUT", help="JSON Lines files, or Parquet files with "
                    "id and text columns (optional: lang, published, source)")
    ba.add_argument("--out", required=True, metavar="DIR", help="new or empty folder for the dataset")
    ba.add_argument("--scheduler", metavar="ADDRESS", help="a running Dask scheduler (tcp://host:8786); "
                    "default: start a local cluster")
    ba.add_argument("--workers", type=_positive_arg, default=None, metavar="N",
                    help="local cluster: worker processes (default: the number of cores)")
    ba.add_argument("--geojson", metavar="FILE", help="also write every Feature, in input order, to one "
                    "FeatureCollection (as extract --jsonl writes it)")
    ba.add_argument("--index", metavar="DIR", help="gazetteer index folder the workers read (default: "
                    "each worker's $INCIDENTS_HOME/gazetteer)")
    ba.add_argument("--partition-size", type=_positive_arg, default=None, metavar="N",
                    help="JSON Lines lines per partition (default 2000)")
    ba.add_argument("--lang", type=_lang_arg, default=None, help="nl en de fr uk ru, or auto (default)")
    ba.add_argument("--published", type=_date_arg, default=None, help="publication date YYYY-MM-DD")

    ev = sub.add_parser("eval", help="score against gold data")
    evsub = ev.add_subparsers(dest="what", required=True)
    eg = evsub.add_parser("geoparse", help="score geoparsing on a benchmark corpus")
    eg.add_argument("--corpus", required=True, action="append",
                    help="a <name>.docs.jsonl file, or a corpus name (lgl, gwn, trnews, geovirus)")
    eg.add_argument("--json", action="store_true", help="print the report as JSON")
    ee = evsub.add_parser("extract", help="score incident extraction on a gold file")
    ee.add_argument("--gold", required=True, help="gold JSONL (benchmarks/news/dev.jsonl format)")
    ee.add_argument("--json", action="store_true", help="print the report as JSON")
    ee.add_argument("--verbose", action="store_true",
                    help="also list each paired incident's pin more than 100 km from every gold place")
    em = evsub.add_parser("merge", help="score event grouping on a merge gold file")
    em.add_argument("--gold", required=True, help="gold JSONL (benchmarks/merge/dev.jsonl format)")
    em.add_argument("--json", action="store_true", help="print the report as JSON")
    st = sub.add_parser("store", help="the local store the app uses: add documents, list, export, delete")
    st.add_argument("--store", metavar="PATH", help="store file (default: $INCIDENTS_HOME/store.sqlite3)")
    stsub = st.add_subparsers(dest="action", required=True)
    sa = stsub.add_parser("add", help="extract documents and add them (a document already stored is skipped)")
    add_inputs(sa)
    sa.add_argument("--published", type=_date_arg, default=None, help="publication date YYYY-MM-DD")
    sa.add_argument("--url", action="append", default=[], metavar="URL",
                    help="fetch a web page and add its article (repeatable)")
    sa.add_argument("--feed", action="append", default=[], metavar="URL",
                    help="fetch an RSS or Atom feed and add its entries (repeatable)")
    add_budget(sa)
    add_jobs(sa)
    stsub.add_parser("list", help="list the stored documents (JSON Lines)")
    se = stsub.add_parser("export", help="export the stored incidents")
    se.add_argument("--format", choices=("geojson", "csv", "gpkg"), default="geojson")
    se.add_argument("--events", action="store_true",
                    help="one Feature per event per place, with counts across its reports (GeoJSON)")
    se.add_argument("-o", "--output", metavar="OUT", help="output file (required for gpkg)")
    sd = stsub.add_parser("delete", help="delete a document and its incidents")
    sd.add_argument("doc_ids", nargs="+", metavar="DOC_ID")
    return parser


def _report(err: Exception) -> None:
    print(f"incidents: {err}", file=sys.stderr)


def _replaceable(target: Path) -> bool:
    """Tell whether a path may be replaced by renaming a finished file over it: only a regular file is.

    A FIFO, a device or a socket is written to directly; renaming over it would put a file in its place.
    """
    try:
        return stat.S_ISREG(target.stat().st_mode)
    except FileNotFoundError:
        return True


def _write(output: str | None, write: Callable[[IO[str]], None]) -> None:
    """Write to stdout, to OUT directly (not a regular file), or atomically (a regular file)."""
    if output is None or output == "-":
        write(sys.stdout)
        sys.stdout.flush()
        return
    target = Path(output)
    if not _replaceable(target):
        with target.open("w", encoding="utf-8") as handle:
            write(handle)
        return
    tmp = target.with_name(f".{target.name}.part")
    try:
        with tmp.open("w", encoding="utf-8") as handle:
            write(handle)
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


class BudgetExceededError(IncidentsError):
    """One document took longer than the time limit; the batch goes on without it."""


@contextlib.contextmanager
def _time_budget(seconds: float, *, name: str) -> Iterator[None]:
    """Raise ``BudgetExceededError`` inside the block when it runs longer than ``seconds`` (0: no limit).

    A real-time timer signal interrupts the extraction between two Python steps; it works in the
    main thread of a Unix process (the command line), and is skipped elsewhere.
    """
    main = threading.current_thread() is threading.main_thread()
    usable = seconds > 0 and hasattr(signal, "setitimer") and main
    if not usable:
        yield
        return

    def expire(signum: int, frame: object) -> None:
        msg = f"{name}: gave up after {seconds:g} s (raise --time-limit to read documents this long)"
        raise BudgetExceededError(msg)

    previous = signal.signal(signal.SIGALRM, expire)
    outer, interval = signal.setitimer(signal.ITIMER_REAL, seconds)
    started = time.monotonic()
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        if outer:  # give back a timer someone else had set (a test runner's timeout)
            left = outer - (time.monotonic() - started)
            signal.setitimer(signal.ITIMER_REAL, max(left, 0.001), interval)


def _extractor(gaz: Any, seconds: float) -> Callable[[Document], list[Incident]]:
    """Return extraction of one document under the time budget."""
    from incidents.extract.pipeline import extract_document

    def extract(doc: Document) -> list[Incident]:
        with _time_budget(seconds, name=doc.id):
            return extract_document(doc, gazetteer=gaz)

    return extract


def _write_sequence(out: IO[str], records: Iterable[str]) -> None:
    """Write GeoJSON text sequences (RFC 8142), each record as soon as it is ready."""
    for record in records:
        out.write(record)
        out.flush()


def _jobs(args: argparse.Namespace) -> int:
    from incidents.workers import default_jobs

    return int(args.jobs) if args.jobs is not None else default_jobs()


def _warm_up(gaz: Any) -> Callable[[], None]:
    """Return what loads, before workers are forked, what extraction loads lazily, so they share it."""
    from incidents.extract.pipeline import warm_up

    return lambda: warm_up(gazetteer=gaz)


def _items(args: argparse.Namespace) -> Iterator[Document | InputError]:
    published = getattr(args, "published", None)
    return read_documents(args.inputs, jsonl=args.jsonl, lang=args.lang, published=published)


def run_extract(args: argparse.Namespace) -> int:
    """Extract incidents from every good input and write them as each document finishes.

    Each Feature carries the ``event_id`` of its event: incidents of this run's documents that tell of
    one real-world event share it (grouped incrementally, so streaming still writes per document).
    """
    import gazetteer
    from incidents.events import Grouper, Report, report_of
    from incidents.export.geojson import feature_text, to_features, with_event_id, write_collection
    from incidents.workers import map_ordered

    jobs = _jobs(args)
    gaz = gazetteer.load()
    extract = _extractor(gaz, args.time_limit)
    sequence = args.format == "geojsonseq"

    def work(item: Document | InputError) -> tuple[list[Report], list[tuple[str, str]]] | Exception:
        # runs in a worker: extraction, and each Feature encoded with its event id left open (null);
        # events are grouped in this process, in input order, and fill it in
        if isinstance(item, InputError):
            return item
        try:
            incidents = extract(item)
        except IncidentsError as err:
            return err
        reports = [report_of(i, published=item.published, seq=0) for i in incidents]
        features = to_features(incidents, event_ids={})
        return reports, [(f["properties"]["incident_id"], feature_text(f, sequence=sequence))
                         for f in features]

    failures: list[Exception] = []
    events = Grouper(keep_reports=False)  # one run's events, grouped as each document finishes

    def texts() -> Iterator[str]:
        for done in map_ordered(work, _items(args), jobs=jobs, before_fork=_warm_up(gaz)):
            if isinstance(done, Exception):
                _report(done)
                failures.append(done)
                continue
            reports, encoded = done
            event_ids = events.add_arrival(reports)
            for incident_id, text in encoded:
                yield with_event_id(text, event_ids.get(incident_id))

    def write(out: IO[str]) -> None:
        (_write_sequence if sequence else write_collection)(out, texts())

    _write(args.output, write)
    return 1 if failures else 0


def run_batch(args: argparse.Namespace) -> int:
    """Run extraction on a Dask cluster; report progress and failures on stderr."""
    from incidents.batch import PARTITION_DOCUMENTS, Options, PartitionReport, run_batch

    if args.scheduler and args.workers:
        msg = "--workers sizes the local cluster; a cluster at --scheduler has its own workers"
        raise InputError(msg)
    tty = sys.stderr.isatty()

    def progress(report: PartitionReport, done: int, total: int) -> None:
        for message in report.failures:
            _report(InputError(message))
        line = f"batch: {done}/{total} partitions"
        print(("\r" + line) if tty else line, end="" if tty and done < total else "\n", file=sys.stderr,
              flush=True)

    report = run_batch(
        args.inputs, out=args.out, scheduler=args.scheduler, workers=args.workers,
        options=Options(out=args.out, index=args.index, lang=args.lang, published=args.published),
        geojson=args.geojson, size=args.partition_size or PARTITION_DOCUMENTS, on_progress=progress,
        notify=lambda message: print(f"batch: {message}", file=sys.stderr, flush=True))
    print(f"batch: {report.documents} document(s), {report.features} Feature(s) in {args.out}; "
          f"{len(report.failures)} failed", file=sys.stderr)
    return 1 if report.failures else 0


def toponym_record(toponym: Any) -> dict[str, Any]:
    """Return the contract's JSON object for one resolved toponym.

    ``kind`` extends the contract: ``place``, or ``demonym`` for an adjectival reference ("Russian",
    "Israëlische") resolved to its country, which the geoparsing corpora annotate as toponyms too.
    """
    place = toponym.place
    return {
        "start": toponym.start,
        "end": toponym.end,
        "text": toponym.text,
        "name": place.name,
        "lat": place.lat,
        "lon": place.lon,
        "place_id": place.id,
        "country_code": place.country_code,
        "feature_code": place.feature,
        "kind": str(toponym.kind),
    }


def run_geoparse(args: argparse.Namespace) -> int:
    """Write one JSON line of resolved place names per good input document."""
    import gazetteer
    from gazetteer.online import (
        NominatimFallback,
        add_fallback_toponyms,
        default_cache_path,
        fallback_enabled,
    )
    from gazetteer.settings import default_index_dir
    from incidents.workers import map_ordered

    failures: list[Exception] = []
    gaz = gazetteer.load()
    online = args.online or fallback_enabled(os.environ)
    fallback = _nominatim(NominatimFallback, default_cache_path(default_index_dir())) if online else None
    # the fallback's rate limit and cache belong to one process
    jobs = 1 if fallback is not None else _jobs(args)

    def work(item: Document | InputError) -> str | InputError:
        if isinstance(item, InputError):
            return item
        found = gazetteer.geoparse(item.text, gazetteer=gaz, lang=item.lang)
        if fallback is not None:
            found = add_fallback_toponyms(item.text, found, fallback, lang=item.lang)
        toponyms = [toponym_record(t) for t in found]
        return json.dumps({"id": item.id, "toponyms": toponyms}, ensure_ascii=False) + "\n"

    def write(out: IO[str]) -> None:
        for done in map_ordered(work, _items(args), jobs=jobs):
            if isinstance(done, InputError):
                _report(done)
                failures.append(done)
            else:
                out.write(done)

    _write(args.output, write)
    return 1 if failures else 0


def _nominatim(factory: Any, cache: Path) -> Any:
    """Make the Nominatim fallback; INCIDENTS_NOMINATIM_URL points it at another server (self-hosted)."""
    from urllib.parse import urlsplit

    from gazetteer.fetch import policy_from_environ

    policy = policy_from_environ(os.environ)
    url = os.environ.get("INCIDENTS_NOMINATIM_URL")
    if not url:
        return factory(cache, enabled=True, fetch_policy=policy)
    parts = urlsplit(url)
    return factory(cache, enabled=True, scheme=parts.scheme or "https", domain=parts.netloc + parts.path,
                   fetch_policy=policy)


def corpus_paths(corpus: str) -> tuple[Path, Path]:
    """Return (docs, gold) paths for a corpus file or name; names are looked up in the benchmarks folder."""
    docs = Path(corpus)
    if not docs.exists() and os.sep not in corpus and not corpus.endswith(".jsonl"):
        root = Path(os.environ.get(BENCHMARKS_ENV, Path.cwd().parent / "shared" / "benchmarks"))
        docs = root / "geoparsing" / f"{corpus}.docs.jsonl"
    gold = docs.with_name(docs.name.replace(".docs.jsonl", ".gold.jsonl"))
    for path in (docs, gold):
        if not path.is_file():
            msg = f"{path}: no such corpus file"
            raise InputError(msg)
    return docs, gold


def run_eval(args: argparse.Namespace) -> int:
    """Score geoparsing or extraction against gold data and print the report."""
    import gazetteer
    from incidents.evaluate import ExtractReport

    gaz = gazetteer.load()
    reports: list[Any] = []
    if args.what == "geoparse":
        from gazetteer.evaluate import evaluate_geoparse

        for corpus in args.corpus:
            docs, gold = corpus_paths(corpus)
            reports.append(evaluate_geoparse(
                docs, gold, lambda text, lang: gazetteer.geoparse(text, gazetteer=gaz, lang=lang)))
    else:
        from incidents.evaluate import evaluate_extract_with
        from incidents.evaluate_merge import evaluate_merge_with
        from incidents.export.geojson import to_features
        from incidents.extract.pipeline import extract_document

        gold_path = Path(args.gold)
        if not gold_path.is_file():
            msg = f"{gold_path}: no such gold file"
            raise InputError(msg)
        if args.what == "merge":
            reports.append(evaluate_merge_with(gold_path, lambda doc: extract_document(doc, gazetteer=gaz)))
        else:
            reports.append(evaluate_extract_with(
                gold_path, lambda doc: to_features(extract_document(doc, gazetteer=gaz))))
    for report in reports:
        if args.json:
            print(json.dumps(report.as_dict(), indent=1))
        elif isinstance(report, ExtractReport):
            print(report.format(verbose=args.verbose))
        else:
            print(report.format())
    return 0


def run_store(args: argparse.Namespace) -> int:
    """Add to, list, export from, or delete from the local store."""
    from incidents.store import Store

    store = Store(args.store)
    if args.action == "add":
        import gazetteer
        from incidents.ingest.collect import ingest

        gaz = gazetteer.load()
        report = ingest(store, _store_items(args), _extractor(gaz, args.time_limit), jobs=_jobs(args),
                        before_fork=_warm_up(gaz))
        for message in report.failed:
            print(f"incidents: {message}", file=sys.stderr)
        print(f"added {len(report.added)} document(s) with {report.incidents} incident(s); "
              f"{len(report.duplicates)} already stored; {len(report.failed)} failed", file=sys.stderr)
        return 1 if report.failed else 0
    if args.action == "list":
        for stored in store.documents():
            doc = stored.document
            print(json.dumps({"id": doc.id, "source": doc.source, "lang": doc.lang,
                              "published": doc.published.isoformat() if doc.published else None,
                              "incidents": stored.incident_count, "added_at": stored.added_at},
                             ensure_ascii=False))
        return 0
    if args.action == "delete":
        missing = [doc_id for doc_id in args.doc_ids if not store.delete_document(doc_id)]
        for doc_id in missing:
            print(f"incidents: {doc_id}: no such document in {store.path}", file=sys.stderr)
        return 1 if missing else 0
    return _export_store(store, args)


def _store_items(args: argparse.Namespace) -> Iterator[Document | InputError]:
    """Yield the documents to add: files (stdin only when no URL or feed is given), pages, feed entries."""
    from gazetteer.fetch import policy_from_environ
    from incidents.ingest.collect import Defaults, fetch_article, fetch_feed

    if args.inputs or not (args.url or args.feed):
        yield from read_documents(args.inputs, jsonl=args.jsonl, lang=args.lang, published=args.published)
    defaults = Defaults(lang=args.lang, published=args.published)
    policy = policy_from_environ(os.environ)
    for url in args.url:
        try:
            yield fetch_article(url, defaults=defaults, policy=policy)
        except InputError as err:
            yield err
    for url in args.feed:
        try:
            yield from fetch_feed(url, defaults=defaults, policy=policy)
        except InputError as err:
            yield err


def _export_store(store: Any, args: argparse.Namespace) -> int:
    from incidents.export import tables as export

    if args.events:
        if args.format != "geojson":
            msg = "store export --events writes GeoJSON only"
            raise InputError(msg)
        from incidents.export.geojson import event_collection_bytes

        events_text = event_collection_bytes(store.events()).decode("utf-8") + "\n"

        def write_events(out: IO[str]) -> None:
            out.write(events_text)

        _write(args.output, write_events)
        return 0
    incidents = store.incidents()
    if args.format == "gpkg":
        if not args.output or args.output == "-":
            msg = "store export --format gpkg needs -o OUT.gpkg"
            raise InputError(msg)
        export.write_geopackage(incidents, args.output)
        return 0
    if args.format == "geojson":
        text = export.geojson_bytes(incidents).decode("utf-8")
    else:
        text = export.csv_bytes(incidents).decode("utf-8")  # keeps its byte-order mark
    def write(out: IO[str]) -> None:
        out.write(text)

    _write(args.output, write)
    return 0


#: The collector's pace for a run (gc.set_threshold): extraction makes millions of small records and
#: none in a cycle; at the default pace (every 700 new objects) collecting took a tenth of a long text.
COLLECTOR_THRESHOLDS = (50_000, 20, 100)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    args = build_parser().parse_args(argv)
    gc.set_threshold(*COLLECTOR_THRESHOLDS)
    commands: dict[str, Callable[[argparse.Namespace], int]] = {
        "extract": run_extract,
        "batch": run_batch,
        "geoparse": run_geoparse,
        "eval": run_eval,
        "store": run_store,
    }
    from gazetteer.errors import GazetteerError

    try:
        return commands[args.command](args)
    except (IncidentsError, GazetteerError) as err:
        _report(err)
        return 1
    except BrokenPipeError:
        return 1
    except KeyboardInterrupt:
        return 130
