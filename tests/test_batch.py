"""Extraction on Dask: partitions named like the whole file, failures per document, a GeoParquet dataset
equal to what `extract --jsonl` writes (a LocalCluster of two workers)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from incidents.batch import Options, extract_partition, plan_partitions, read_partition
from incidents.errors import InputError
from incidents.ingest.inputs import read_documents

SENTENCES = [
    ("en", "A drone strike on Kharkiv killed {n} people on Monday, the governor said."),
    ("nl", "Bij een raketaanval op Odesa zijn {n} mensen gedood."),
    ("de", "Bei einem Angriff auf Saporischschja wurden {n} Menschen verletzt."),
    ("fr", "Une frappe de drone sur Soumy a fait {n} morts dimanche."),
    ("uk", "Унаслідок удару по Дніпру загинули {n} людей."),
]


def _records(count: int) -> list[dict[str, Any]]:
    records: list[dict[str, Any]] = []
    for i in range(count):
        lang, sentence = SENTENCES[i % len(SENTENCES)]
        records.append({"id": f"b-{i}", "lang": lang, "published": "2024-03-04",
                        "text": sentence.format(n=i % 7 + 2) + " Sirens sounded again at night."})
    return records


def _corpus(path: Path, count: int) -> Path:
    lines = [json.dumps(r, ensure_ascii=False) for r in _records(count)]
    lines[3] = "{broken"
    lines[5] = json.dumps({"text": "Shelling of Kherson wounded two people.", "lang": "en"})  # no id
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_partitions_name_documents_and_errors_by_the_whole_file_s_lines(tmp_path: Path) -> None:
    docs = _corpus(tmp_path / "docs.jsonl", 25)
    parts = plan_partitions([str(docs)], size=10)
    assert [(p.first_line, p.number) for p in parts] == [(1, 0), (11, 1), (21, 2)]
    whole = [str(item) if isinstance(item, InputError) else item.id
             for item in read_documents([str(docs)], jsonl=True)]
    pieces = [str(item) if isinstance(item, InputError) else item.id
              for part in parts for item in read_partition(part)]
    assert pieces == whole
    assert f"{docs}:6" in pieces and any(p.startswith(f"{docs}:4: invalid JSON") for p in pieces)


def test_a_failing_document_is_reported_by_its_id_and_its_partition_written(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from incidents.extract import pipeline

    real = pipeline.extract_document

    def fail_one(doc: Any, **kwargs: Any) -> Any:
        if doc.id == "b-1":
            msg = "a bug met in one document"
            raise RuntimeError(msg)
        return real(doc, **kwargs)

    monkeypatch.setattr(pipeline, "extract_document", fail_one)
    docs = tmp_path / "docs.jsonl"
    docs.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in _records(4)), encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    [part] = plan_partitions([str(docs)])
    report = extract_partition(part, Options(out=str(out)))
    assert report.failures == ("b-1: RuntimeError: a bug met in one document",)
    assert report.documents == 4
    import geopandas as gpd

    frame = gpd.read_parquet(out / "part-00000.parquet")
    assert set(frame["doc_id"]) == {"b-0", "b-2", "b-3"}


def test_parquet_input_with_id_and_text_columns(tmp_path: Path) -> None:
    records = _records(6)
    table = pa.table({"id": [r["id"] for r in records], "text": [r["text"] for r in records],
                      "lang": [r["lang"] for r in records]})
    pq.write_table(table, tmp_path / "docs.parquet", row_group_size=4)
    parts = plan_partitions([str(tmp_path / "docs.parquet")])
    assert len(parts) == 2
    out = tmp_path / "out"
    out.mkdir()
    reports = [extract_partition(part, Options(out=str(out))) for part in parts]
    assert sum(r.documents for r in reports) == 6 and not any(r.failures for r in reports)
    import geopandas as gpd

    frame = gpd.read_parquet(out)
    assert list(dict.fromkeys(frame["doc_id"])) == [r["id"] for r in records]


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "incidents", *args], capture_output=True, text=True,
                          timeout=600, check=False)


def _same(value: Any, expected: Any) -> bool:
    if expected is None:
        return bool(pd.isna(value))
    return bool(value == expected)


@pytest.mark.slow
def test_batch_on_a_local_cluster_equals_extract_jsonl(tmp_path: Path) -> None:
    docs = _corpus(tmp_path / "docs.jsonl", 30)
    expected = _cli("extract", "--jsonl", str(docs), "--jobs", "1", "-o", str(tmp_path / "extract.geojson"))
    assert expected.returncode == 1  # the broken line
    out = tmp_path / "dataset"
    done = _cli("batch", str(docs), "--out", str(out), "--workers", "2", "--partition-size", "8",
                "--geojson", str(tmp_path / "batch.geojson"))
    assert done.returncode == 1, done.stderr
    assert f"{docs}:4: invalid JSON" in done.stderr and "4/4 partitions" in done.stderr
    # The same Features; `extract` also groups its run's incidents into events (event_id), which a
    # batch spread over a cluster does not.
    features = json.loads((tmp_path / "extract.geojson").read_text(encoding="utf-8"))["features"]
    for feature in features:
        feature["properties"].pop("event_id")
    batch = json.loads((tmp_path / "batch.geojson").read_text(encoding="utf-8"))["features"]
    assert batch == features

    import dask_geopandas
    import geopandas as gpd

    frame = gpd.read_parquet(out)
    assert len(frame) == len(features) > 20
    assert frame.crs.to_epsg() == 4326
    for (_, row), feature in zip(frame.iterrows(), features, strict=True):
        assert row["feature_id"] == feature["id"]
        assert [row.geometry.x, row.geometry.y] == feature["geometry"]["coordinates"]
        for key, value in feature["properties"].items():
            assert _same(row[key], value), (key, row[key], value)
    assert len(dask_geopandas.read_parquet(out).compute()) == len(features)


def test_an_output_folder_in_use_is_refused_before_any_cluster_starts(tmp_path: Path) -> None:
    from incidents.batch import BatchError, run_batch

    docs = _corpus(tmp_path / "docs.jsonl", 10)
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "mine.txt").write_text("keep", encoding="utf-8")
    with pytest.raises(BatchError, match="must be new or empty"):
        run_batch([str(docs)], out=tmp_path / "out", scheduler="tcp://127.0.0.1:1")
    with pytest.raises(InputError, match="no such file"):
        run_batch([str(tmp_path / "missing.jsonl")], out=tmp_path / "new")
    assert not (tmp_path / "new").exists()
