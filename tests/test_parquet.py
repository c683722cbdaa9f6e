"""The Parquet export: four files with typed columns that pandas and DuckDB read as they are,
on every backend, with protected persons withheld."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from releasewatch import ledger
from releasewatch.ledger.parquet import export_parquet
from releasewatch.pipeline import ingest_paths
from releasewatch.store import open_store

pd = pytest.importorskip("pandas")
pa = pytest.importorskip("pyarrow")


@pytest.fixture
def exported(
    db_url: str, write_articles: Callable[..., Path], stub_stages: None, tmp_path: Path
) -> Path:
    """A ledger of 4 stories reporting one release (by the stand-in extractor), exported."""
    with open_store(db_url) as store:
        ingest_paths([write_articles(4)], store)
        written = export_parquet(store, tmp_path / "parquet")
    assert {name: n for name, (_, n) in written.items()} == {
        "events": 1, "mentions": 4, "articles": 4, "persons": 1,
    }  # fmt: skip
    return tmp_path / "parquet"


def test_the_files_read_back_in_pandas_with_their_types(exported: Path) -> None:
    events = pd.read_parquet(exported / "events.parquet", dtype_backend="pyarrow")
    arrow = pd.ArrowDtype
    assert events["id"].dtype == arrow(pa.string())
    assert events["by"].dtype == arrow(pa.list_(pa.string()))
    assert events["count"].dtype == arrow(pa.int64())  # nullable: no figure in these stories
    assert events["has_conflict"].dtype == arrow(pa.bool_())
    assert events["n_sources"].dtype == arrow(pa.int32())
    assert events["persons"].dtype.pyarrow_dtype.value_type.names == ["id", "name", "protected"]
    row = events.iloc[0]
    assert list(row["by"]) == ["BLR"] and list(row["to"]) == ["LTU"]
    assert row["persons"][0]["name"] == "Ales Example" and row["n_sources"] == 4
    assert row["sources"][0]["article_id"] and "freed" in row["evidence"]

    mentions = pd.read_parquet(exported / "mentions.parquet")  # numpy-backed, the default
    assert str(mentions["confidence"].dtype) == "float64"
    assert str(mentions["background"].dtype) == "bool"
    assert str(mentions["start"].dtype) == "int32"
    assert set(mentions["event_id"]) == set(events["id"])  # every report in its happening
    articles = pd.read_parquet(exported / "articles.parquet")
    assert str(articles["ingested_at"].dtype) == "datetime64[ms, UTC]"
    assert not {"raw_text", "clean_text", "text"} & set(articles.columns)  # no texts
    assert list(articles["events"]) == [1, 1, 1, 1]
    persons = pd.read_parquet(exported / "persons.parquet")
    assert list(persons["name"]) == ["Ales Example"] and list(persons["n_events"]) == [1]


def test_the_files_open_in_duckdb(exported: Path) -> None:
    duckdb = pytest.importorskip("duckdb")
    con = duckdb.connect()
    events = str(exported / "events.parquet")
    mentions = str(exported / "mentions.parquet")
    ((n, parties),) = con.execute(
        f"SELECT COUNT(*), list_distinct(flatten(list(\"by\"))) FROM '{events}'"
    ).fetchall()
    assert n == 1 and parties == ["BLR"]
    joined = con.execute(
        f"SELECT COUNT(*) FROM '{mentions}' m JOIN '{events}' e ON e.id = m.event_id"
    ).fetchone()
    assert joined == (4,)


def test_protected_persons_are_withheld(
    db_url: str, write_articles: Callable[..., Path], stub_stages: None, tmp_path: Path
) -> None:
    with open_store(db_url) as store:
        ingest_paths([write_articles(2)], store)
        ledger.set_protected(store, "Ales Example", True)
        export_parquet(store, tmp_path / "out")
    events = pd.read_parquet(tmp_path / "out" / "events.parquet")
    mentions = pd.read_parquet(tmp_path / "out" / "mentions.parquet")
    persons = pd.read_parquet(tmp_path / "out" / "persons.parquet")
    assert {p["name"] for ps in events["persons"] for p in ps} == {ledger.WITHHELD}
    assert {n for ns in mentions["persons"] for n in ns} == {ledger.WITHHELD}
    assert list(persons["name"]) == [ledger.WITHHELD] and list(persons["spellings"][0]) == []
