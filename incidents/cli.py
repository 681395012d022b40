"""The ``incidents`` command: argument parsing, output writing and error text, over the library.

Exit status: 0 when every input was processed, 1 when some input was bad (the rest is still
processed and written), 2 for a usage error.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from importlib.metadata import version
from pathlib import Path
from typing import IO, Any

from incidents.errors import IncidentsError, InputError
from incidents.ingest.inputs import parse_date, read_documents
from incidents.records import Document

BENCHMARKS_ENV = "INCIDENTS_BENCHMARKS"


def _date_arg(value: str) -> dt.date:
    try:
        return parse_date(value, what="--published")
    except InputError as err:
        raise argparse.ArgumentTypeError(str(err)) from err


def _lang_arg(value: str) -> str | None:
    value = value.strip().lower()
    return None if value in ("", "auto") else value


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser of the ``incidents`` command."""
    parser = argparse.ArgumentParser(prog="incidents", description="Map strikes and alerts in news text.")
    parser.add_argument("--version", action="version", version=f"%(prog)s {version('incidents')}")
    sub = parser.add_subparsers(dest="command", required=True)

    def add_inputs(p: argparse.ArgumentParser) -> None:
        p.add_argument("inputs", nargs="*", metavar="INPUT", help="text or HTML files; '-' or none: stdin")
        p.add_argument("--jsonl", action="store_true", help="each input line is a JSON document")
        p.add_argument("--lang", type=_lang_arg, default=None,
                       help="nl, en, de, fr, uk, ru or 'auto' (default)")

    ex = sub.add_parser("extract", help="extract incidents as a GeoJSON FeatureCollection")
    add_inputs(ex)
    ex.add_argument("--published", type=_date_arg, default=None, help="publication date YYYY-MM-DD")
    ex.add_argument("-o", "--output", metavar="OUT", help="write to OUT instead of stdout")

    gp = sub.add_parser("geoparse", help="find and resolve place names (JSON Lines)")
    add_inputs(gp)
    gp.add_argument("--online", action="store_true",
                    help="ask Nominatim (rate-limited, cached) for names the local gazetteer lacks; "
                         "also on with INCIDENTS_NOMINATIM=1")
    gp.add_argument("-o", "--output", metavar="OUT", help="write to OUT instead of stdout")

    ev = sub.add_parser("eval", help="score against gold data")
    evsub = ev.add_subparsers(dest="what", required=True)
    eg = evsub.add_parser("geoparse", help="score geoparsing on a benchmark corpus")
    eg.add_argument("--corpus", required=True, action="append",
                    help="a <name>.docs.jsonl file, or a corpus name (lgl, gwn, trnews, geovirus)")
    eg.add_argument("--json", action="store_true", help="print the report as JSON")
    ee = evsub.add_parser("extract", help="score incident extraction on a gold file")
    ee.add_argument("--gold", required=True, help="gold JSONL (benchmarks/news/dev.jsonl format)")
    ee.add_argument("--json", action="store_true", help="print the report as JSON")
    st = sub.add_parser("store", help="the local store the app uses: add documents, list, export, delete")
    st.add_argument("--store", metavar="PATH", help="store file (default: $INCIDENTS_HOME/store.sqlite3)")
    stsub = st.add_subparsers(dest="action", required=True)
    sa = stsub.add_parser("add", help="extract documents and add them (a document already stored is skipped)")
    add_inputs(sa)
    sa.add_argument("--published", type=_date_arg, default=None, help="publication date YYYY-MM-DD")
    stsub.add_parser("list", help="list the stored documents (JSON Lines)")
    se = stsub.add_parser("export", help="export the stored incidents")
    se.add_argument("--format", choices=("geojson", "csv", "gpkg"), default="geojson")
    se.add_argument("-o", "--output", metavar="OUT", help="output file (required for gpkg)")
    sd = stsub.add_parser("delete", help="delete a document and its incidents")
    sd.add_argument("doc_ids", nargs="+", metavar="DOC_ID")
    return parser


def _report(err: Exception) -> None:
    print(f"incidents: {err}", file=sys.stderr)


def _good_documents(args: argparse.Namespace, failures: list[Exception]) -> Iterator[Document]:
    published = getattr(args, "published", None)
    for item in read_documents(args.inputs, jsonl=args.jsonl, lang=args.lang, published=published):
        if isinstance(item, InputError):
            _report(item)
            failures.append(item)
        else:
            yield item


def _write(output: str | None, write: Callable[[IO[str]], None]) -> None:
    if output is None or output == "-":
        write(sys.stdout)
        sys.stdout.flush()
        return
    target = Path(output)
    tmp = target.with_name(f".{target.name}.part")
    with tmp.open("w", encoding="utf-8") as handle:
        write(handle)
    os.replace(tmp, target)


def run_extract(args: argparse.Namespace) -> int:
    """Extract incidents from every good input and write one FeatureCollection."""
    import gazetteer
    from incidents.export.geojson import to_features
    from incidents.extract.pipeline import extract_document

    failures: list[Exception] = []
    features: list[dict[str, Any]] = []
    gaz = gazetteer.load()
    for doc in _good_documents(args, failures):
        features.extend(to_features(extract_document(doc, gazetteer=gaz)))
    collection = {"type": "FeatureCollection", "features": features}

    def write(out: IO[str]) -> None:
        json.dump(collection, out, ensure_ascii=False, indent=1)
        out.write("\n")

    _write(args.output, write)
    return 1 if failures else 0


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

    failures: list[Exception] = []
    gaz = gazetteer.load()
    online = args.online or fallback_enabled(os.environ)
    fallback = _nominatim(NominatimFallback, default_cache_path(default_index_dir())) if online else None

    def write(out: IO[str]) -> None:
        for doc in _good_documents(args, failures):
            found = gazetteer.geoparse(doc.text, gazetteer=gaz, lang=doc.lang)
            if fallback is not None:
                found = add_fallback_toponyms(doc.text, found, fallback, lang=doc.lang)
            toponyms = [toponym_record(t) for t in found]
            out.write(json.dumps({"id": doc.id, "toponyms": toponyms}, ensure_ascii=False) + "\n")

    _write(args.output, write)
    return 1 if failures else 0


def _nominatim(factory: Any, cache: Path) -> Any:
    """Make the Nominatim fallback; INCIDENTS_NOMINATIM_URL points it at another server (self-hosted)."""
    from urllib.parse import urlsplit

    url = os.environ.get("INCIDENTS_NOMINATIM_URL")
    if not url:
        return factory(cache, enabled=True)
    parts = urlsplit(url)
    return factory(cache, enabled=True, scheme=parts.scheme or "https", domain=parts.netloc + parts.path)


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
        from incidents.export.geojson import to_features
        from incidents.extract.pipeline import extract_document

        gold_path = Path(args.gold)
        if not gold_path.is_file():
            msg = f"{gold_path}: no such gold file"
            raise InputError(msg)
        reports.append(evaluate_extract_with(
            gold_path, lambda doc: to_features(extract_document(doc, gazetteer=gaz))))
    for report in reports:
        print(json.dumps(report.as_dict(), indent=1) if args.json else report.format())
    return 0


def run_store(args: argparse.Namespace) -> int:
    """Add to, list, export from, or delete from the local store."""
    from incidents.store import Store

    store = Store(args.store)
    if args.action == "add":
        import gazetteer
        from incidents.extract.pipeline import extract_document
        from incidents.ingest.collect import ingest

        gaz = gazetteer.load()
        items = read_documents(args.inputs, jsonl=args.jsonl, lang=args.lang, published=args.published)
        report = ingest(store, items, lambda doc: extract_document(doc, gazetteer=gaz))
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


def _export_store(store: Any, args: argparse.Namespace) -> int:
    from incidents.export import tables as export

    incidents = store.incidents()
    if args.format == "gpkg":
        if not args.output or args.output == "-":
            msg = "store export --format gpkg needs -o OUT.gpkg"
            raise InputError(msg)
        export.write_geopackage(incidents, args.output)
        return 0
    data = export.geojson_bytes(incidents) if args.format == "geojson" else export.csv_bytes(incidents)
    if not args.output or args.output == "-":
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    else:
        Path(args.output).write_bytes(data)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    args = build_parser().parse_args(argv)
    commands: dict[str, Callable[[argparse.Namespace], int]] = {
        "extract": run_extract,
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
