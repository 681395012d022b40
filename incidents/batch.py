"""Extraction of large archives on a Dask cluster: JSON Lines or Parquet in, a partitioned GeoParquet
dataset out (one file per partition, readable by geopandas, dask-geopandas, DuckDB and QGIS).

The client only plans: it splits each input into partitions (byte ranges of JSON Lines files, row
groups of Parquet files) and sends the plan. Each worker loads the gazetteer once (``IndexLoader``, a
worker plugin, fills a per-process cache), reads its partitions from the paths it is given, extracts,
and writes its own file into the output folder: inputs, the index and the output folder must be
reachable by every worker (shared storage) on a cluster of several machines. A document that fails is
reported by its id and the rest of its partition is still written.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import shutil
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from distributed import WorkerPlugin

from incidents.errors import IncidentsError, InputError

PARTITION_DOCUMENTS = 2000
"""Documents per partition: a few seconds to a minute of work, a few MB of input."""
PART_NAME = "part-{:05d}.parquet"
FEATURES_FOLDER = ".features"
"""Where workers leave each partition's Features as GeoJSON text for ``--geojson`` (removed after)."""
_RECORD_SEPARATOR = "\x1e"  # never inside JSON text (control characters are escaped there)


class BatchError(IncidentsError):
    """The batch cannot start or finish: a bad output folder, no scheduler at the address."""


@dataclass(frozen=True, slots=True)
class Partition:
    """One piece of one input: bytes ``start``..``end`` of a JSON Lines file, or one Parquet row group."""

    number: int
    path: str
    """Absolute path the worker opens."""
    name: str
    """The path as given, which names documents without an id and errors."""
    kind: str
    """``jsonl`` or ``parquet``."""
    start: int = 0
    end: int = 0
    first_line: int = 1
    """JSON Lines: the number of the first line; Parquet: the row group."""


@dataclass(frozen=True, slots=True)
class Options:
    """What every partition is extracted with."""

    out: str
    index: str | None = None
    lang: str | None = None
    published: dt.date | None = None
    geojson: bool = False


@dataclass(frozen=True, slots=True)
class PartitionReport:
    """What one partition gave: documents read, Features written, and the failures' messages."""

    number: int
    documents: int
    features: int
    failures: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class BatchReport:
    """What the whole batch gave, partitions in input order."""

    partitions: tuple[PartitionReport, ...] = field(default_factory=tuple)

    @property
    def documents(self) -> int:
        """Return the number of documents read."""
        return sum(p.documents for p in self.partitions)

    @property
    def features(self) -> int:
        """Return the number of Features written."""
        return sum(p.features for p in self.partitions)

    @property
    def failures(self) -> tuple[str, ...]:
        """Return every failure's message, in input order."""
        return tuple(message for p in self.partitions for message in p.failures)


# -- planning (on the client) ------------------------------------------------------------------------


def plan_partitions(inputs: Sequence[str], *, size: int = PARTITION_DOCUMENTS) -> list[Partition]:
    """Split the inputs into partitions of about ``size`` lines (JSON Lines) or one row group (Parquet)."""
    parts: list[Partition] = []
    for name in inputs:
        path = Path(name)
        if not path.is_file():
            msg = f"{name}: no such file"
            raise InputError(msg)
        absolute = str(path.resolve())
        if path.suffix.lower() in (".parquet", ".pq"):
            for group in range(_row_groups(path)):
                parts.append(Partition(len(parts), absolute, name, "parquet", first_line=group))
            continue
        for start, end, first in _line_ranges(path, size):
            parts.append(Partition(len(parts), absolute, name, "jsonl", start, end, first))
    return parts


def _row_groups(path: Path) -> int:
    import pyarrow.parquet as pq

    try:
        return int(pq.ParquetFile(path).metadata.num_row_groups)
    except (OSError, ValueError) as err:
        msg = f"{path}: cannot read as Parquet ({err})"
        raise InputError(msg) from err


def _line_ranges(path: Path, size: int) -> Iterator[tuple[int, int, int]]:
    """Yield (start byte, end byte, first line number) for every ``size`` lines of a file.

    A UTF-16 file (its lines cannot be found byte-wise) is one range.
    """
    with path.open("rb") as stream:
        head = stream.read(4)
        total = path.stat().st_size
        if head.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\0" in head:
            yield 0, total, 1
            return
        stream.seek(0)
        start, first, count, offset = 0, 1, 0, 0
        while block := stream.read(1 << 20):
            position = 0
            while (newline := block.find(b"\n", position)) >= 0:
                position = newline + 1
                count += 1
                if count == size:
                    end = offset + position
                    yield start, end, first
                    start, first, count = end, first + size, 0
            offset += len(block)
    if offset > start:
        yield start, offset, first


# -- the work (on the workers) -----------------------------------------------------------------------


@cache
def _gazetteer(index: str | None) -> Any:
    """Return the gazetteer from ``index`` (None: the worker's own setting), loaded once per process."""
    import gazetteer

    return gazetteer.load(index)


def read_partition(part: Partition, *, lang: str | None = None,
                   published: dt.date | None = None) -> Iterator[Any]:
    """Yield the documents of one partition, or the InputError that replaces a bad one."""
    if part.kind == "parquet":
        yield from _parquet_documents(part, lang=lang, published=published)
        return
    from incidents.ingest.inputs import read_jsonl

    with open(part.path, "rb") as stream:
        stream.seek(part.start)
        data = stream.read(part.end - part.start)
    yield from read_jsonl(io.BufferedReader(io.BytesIO(data)), name=part.name, lang=lang, published=published,
                          first_line=part.first_line)


def _parquet_documents(part: Partition, *, lang: str | None, published: dt.date | None) -> Iterator[Any]:
    import pyarrow.parquet as pq

    from incidents.ingest.inputs import document_from_record

    source = pq.ParquetFile(part.path)
    wanted = [c for c in ("id", "text", "lang", "published", "source") if c in source.schema_arrow.names]
    table = source.read_row_group(part.first_line, columns=wanted)
    before = sum(source.metadata.row_group(g).num_rows for g in range(part.first_line))
    for row_number, row in enumerate(table.to_pylist(), start=before + 1):
        if isinstance(row.get("published"), dt.date):
            row["published"] = row["published"].isoformat()
        try:
            yield document_from_record(row, name=f"{part.name}:{row_number}", lang=lang, published=published)
        except InputError as err:
            yield err


def extract_partition(part: Partition, options: Options) -> PartitionReport:
    """Extract one partition and write its GeoParquet file (and its GeoJSON text when asked)."""
    from incidents.export.geojson import feature_text, to_features
    from incidents.export.tables import write_geoparquet
    from incidents.extract.pipeline import extract_document

    gaz = _gazetteer(options.index)
    features: list[dict[str, Any]] = []
    failures: list[str] = []
    documents = 0
    for item in read_partition(part, lang=options.lang, published=options.published):
        if isinstance(item, InputError):
            failures.append(str(item))
            continue
        documents += 1
        try:
            features.extend(to_features(extract_document(item, gazetteer=gaz)))
        except Exception as err:  # one document's failure, whatever it is, is reported
            failures.append(f"{item.id}: {type(err).__name__}: {err}")
    out = Path(options.out)
    final = out / PART_NAME.format(part.number)
    partial = out / f".{final.name}.part"
    write_geoparquet(features, partial)
    os.replace(partial, final)
    if options.geojson:
        text = _RECORD_SEPARATOR.join(feature_text(f, sequence=False) for f in features)
        (out / FEATURES_FOLDER / f"{part.number:05d}.txt").write_text(text, encoding="utf-8")
    return PartitionReport(part.number, documents, len(features), tuple(failures))


class IndexLoader(WorkerPlugin):
    """A Dask worker plugin: loads the gazetteer into the worker's cache as the worker starts."""

    name = "incidents-index"
    idempotent = True

    def __init__(self, index: str | None) -> None:
        self.index = index

    def setup(self, worker: Any) -> None:
        """Load the index once, before the first task (a later task finds it in the cache)."""
        _gazetteer(self.index)

    def teardown(self, worker: Any) -> None:
        """Nothing to give back: the index goes with the process."""


# -- the run (on the client) -------------------------------------------------------------------------


def _check_output(out: Path) -> None:
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        msg = f"{out}: the output folder must be new or empty"
        raise BatchError(msg)


def _dashboard() -> bool:
    try:
        import bokeh  # noqa: F401 - the dashboard needs it
    except ImportError:
        return False
    return True


def _local_client(workers: int) -> Any:
    from distributed import Client, LocalCluster

    cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,  # type: ignore[no-untyped-call]
                           host="127.0.0.1", dashboard_address="127.0.0.1:0" if _dashboard() else None)
    return Client(cluster)  # type: ignore[no-untyped-call]


def run_batch(
    inputs: Sequence[str],
    *,
    out: str | Path,
    scheduler: str | None = None,
    workers: int | None = None,
    options: Options | None = None,
    geojson: str | Path | None = None,
    size: int = PARTITION_DOCUMENTS,
    on_progress: Callable[[PartitionReport, int, int], None] | None = None,
    notify: Callable[[str], None] | None = None,
) -> BatchReport:
    """Extract every document of the inputs on a Dask cluster (a local one without ``scheduler``).

    Writes ``out/part-NNNNN.parquet`` per partition, in input order, and with ``geojson`` one
    FeatureCollection file, the same as ``incidents extract --jsonl`` writes for the same input.
    ``on_progress(report, done, total)`` is called as each partition finishes; ``notify(message)``
    hears where the cluster's dashboard is.
    """
    from distributed import Client, as_completed

    from incidents.workers import default_jobs

    folder = Path(out)
    parts = plan_partitions(inputs, size=size)
    _check_output(folder)
    settings = options or Options(out=str(folder))
    settings = Options(out=str(folder.resolve()), index=settings.index, lang=settings.lang,
                       published=settings.published, geojson=geojson is not None)
    try:
        client = (Client(scheduler, timeout="30s") if scheduler  # type: ignore[no-untyped-call]
                  else _local_client(workers or default_jobs()))
    except (OSError, TimeoutError) as err:
        msg = f"cannot reach the Dask scheduler at {scheduler!r}: {err}"
        raise BatchError(msg) from err
    reports: dict[int, PartitionReport] = {}
    try:
        (folder / FEATURES_FOLDER if geojson is not None else folder).mkdir(parents=True, exist_ok=True)
        client.register_plugin(IndexLoader(settings.index))
        if notify is not None:
            where = client.dashboard_link if _dashboard() else "none (install bokeh for one)"
            address = client.scheduler_info().get("address")
            notify(f"{len(parts)} partition(s) on {address}; dashboard: {where}")
        futures = client.map(extract_partition, parts, options=settings, pure=False)
        for future in as_completed(futures):  # type: ignore[no-untyped-call]
            report: PartitionReport = future.result()
            reports[report.number] = report
            if on_progress is not None:
                on_progress(report, len(reports), len(parts))
    finally:
        cluster = getattr(client, "cluster", None)
        client.close()
        if cluster is not None and not scheduler:
            cluster.close()
    result = BatchReport(tuple(reports[n] for n in sorted(reports)))
    if geojson is not None:
        _merge_geojson(folder, len(parts), Path(geojson))
    return result


def _merge_geojson(folder: Path, count: int, target: Path) -> None:
    """Write the partitions' Features, in order, as one FeatureCollection; then drop their pieces."""
    from incidents.export.geojson import write_collection

    pieces = folder / FEATURES_FOLDER

    def bodies() -> Iterator[str]:
        for number in range(count):
            text = (pieces / f"{number:05d}.txt").read_text(encoding="utf-8")
            if text:
                yield from text.split(_RECORD_SEPARATOR)

    partial = target.with_name(f".{target.name}.part")
    try:
        with partial.open("w", encoding="utf-8") as handle:
            write_collection(handle, bodies())
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    shutil.rmtree(pieces, ignore_errors=True)
