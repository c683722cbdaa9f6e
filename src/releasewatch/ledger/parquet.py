"""The ledger as Parquet files (pyarrow), for pandas, DuckDB and Spark users.

`export_parquet(store, folder)` writes four files with typed columns: `events.parquet` (one row
per happening, its parties and persons as list columns, its sources as a list of structs),
`mentions.parquet` (one row per report, with the happening it went into), `articles.parquet`
(the articles, without their texts) and `persons.parquet`. Dates stay strings, since a date
may be a month or a year ("2025-03"); times are UTC timestamps. Protected persons are withheld
as in every other export unless include_protected.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

from ..errors import InputError
from ..store import EventQuery, Store
from .privacy import WITHHELD, Privacy, privacy_for
from .query import MAX_LIMIT, list_persons, select_events

ROW_GROUP = 50_000  # rows a Parquet row group holds: bounds what a reader loads at once


# Each table's columns and their types (named here, made Arrow types by `_schemas`).
COLUMNS: dict[str, tuple[tuple[str, str], ...]] = {
    "events": (
        ("id", "text"), ("type", "text"), ("status", "text"), ("date", "text"),
        ("date_precision", "text"), ("sort_date", "text"), ("by", "codes"), ("to", "codes"),
        ("count", "int64"), ("qualifier", "text"), ("sector", "text"), ("persons", "persons"),
        ("persons_released", "int64"), ("has_conflict", "bool"), ("conflicts", "codes"),
        ("n_sources", "int32"), ("n_mentions", "int32"), ("sources", "sources"),
        ("evidence", "text"),
    ),
    "mentions": (
        ("id", "text"), ("event_id", "text"), ("article_id", "text"), ("index", "int32"),
        ("type", "text"), ("status", "text"), ("by", "codes"), ("to", "codes"),
        ("count", "int64"), ("qualifier", "text"), ("persons", "codes"), ("sector", "text"),
        ("date", "text"), ("evidence", "text"), ("start", "int32"), ("end", "int32"),
        ("attribution", "text"), ("confidence", "float64"), ("background", "bool"),
    ),
    "articles": (
        ("id", "text"), ("source", "text"), ("url", "text"), ("kind", "text"),
        ("encoding", "text"), ("title", "text"), ("published", "text"), ("outlet", "text"),
        ("author", "text"), ("dateline", "text"), ("cited_sources", "codes"), ("tags", "codes"),
        ("problems", "codes"), ("ingested_at", "time"), ("events", "int32"),
    ),
    "persons": (
        ("id", "text"), ("name", "text"), ("protected", "bool"), ("spellings", "codes"),
        ("n_events", "int32"),
    ),
}  # fmt: skip


def _schemas() -> dict[str, Any]:
    """The four tables' Arrow schemas."""
    import pyarrow as pa

    text = pa.string()
    types = {
        "text": text, "codes": pa.list_(text), "int32": pa.int32(), "int64": pa.int64(),
        "float64": pa.float64(), "bool": pa.bool_(), "time": pa.timestamp("ms", tz="UTC"),
        "persons": pa.list_(pa.struct([("id", text), ("name", text), ("protected", pa.bool_())])),
        "sources": pa.list_(pa.struct([(k, text) for k in _SOURCE_FIELDS])),
    }  # fmt: skip
    return {
        table: pa.schema([(name, types[kind]) for name, kind in columns])
        for table, columns in COLUMNS.items()
    }


_SOURCE_FIELDS = ("article_id", "title", "outlet", "published", "url")


def _event_rows(store: Store, privacy: Privacy) -> Iterator[dict[str, Any]]:
    """Happenings as rows of events.parquet."""
    for item in select_events(store, EventQuery(), privacy):
        count = item["count"] or {}
        yield {
            **{k: item[k] for k in ("id", "type", "status", "date", "date_precision", "sort_date",
                                    "by", "to", "sector", "persons", "persons_released",
                                    "has_conflict", "conflicts", "n_sources", "n_mentions",
                                    "evidence")},
            "count": count.get("value"),
            "qualifier": count.get("qualifier"),
            "sources": [{k: s.get(k) for k in _SOURCE_FIELDS} for s in item["sources"]],
        }  # fmt: skip


def _mention_rows(store: Store, privacy: Privacy) -> Iterator[dict[str, Any]]:
    """Reports as rows of mentions.parquet."""
    happening = store.mention_events()
    for m in store.mentions():
        yield {
            "id": m.id, "event_id": happening.get(m.id), "article_id": m.article_id,
            "index": m.index, "type": m.type, "status": m.status, "by": list(m.by),
            "to": list(m.to), "count": m.count.value if m.count else None,
            "qualifier": m.count.qualifier if m.count else None,
            "persons": [WITHHELD if privacy.text(p) != p else p for p in m.persons],
            "sector": m.sector, "date": m.date, "evidence": privacy.text(m.evidence),
            "start": m.start, "end": m.end, "attribution": m.attribution,
            "confidence": m.confidence, "background": m.background,
        }  # fmt: skip


def _article_rows(store: Store, privacy: Privacy) -> Iterator[dict[str, Any]]:
    """Articles (no texts) as rows of articles.parquet."""
    for a in store.articles():
        row = a.to_dict()
        row["title"] = privacy.text(a.title)
        row["ingested_at"] = datetime.fromisoformat(a.ingested_at)
        for key in ("cited_sources", "tags", "problems"):
            row[key] = list(row[key])
        yield row


def _person_rows(store: Store, include_protected: bool) -> Iterator[dict[str, Any]]:
    """Persons as rows of persons.parquet, a page at a time."""
    cursor: str | None = None
    while True:
        page = list_persons(
            store, cursor=cursor, limit=MAX_LIMIT, include_protected=include_protected
        )
        for p in page["items"]:
            yield {k: p[k] for k in ("id", "name", "protected", "spellings", "n_events")}
        cursor = page["next_cursor"]
        if cursor is None:
            return


def _write(path: Path, rows: Iterator[dict[str, Any]], schema: Any) -> int:
    """Write rows to one Parquet file, a row group at a time; how many were written."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    written = 0
    with pq.ParquetWriter(path, schema, compression="zstd") as writer:
        batch: list[dict[str, Any]] = []
        for row in rows:
            batch.append(row)
            if len(batch) >= ROW_GROUP:
                writer.write_table(pa.Table.from_pylist(batch, schema=schema))
                written, batch = written + len(batch), []
        if batch or not written:
            writer.write_table(pa.Table.from_pylist(batch, schema=schema))
            written += len(batch)
    return written


def export_parquet(
    store: Store, out_dir: str | Path, *, include_protected: bool = False
) -> dict[str, tuple[Path, int]]:
    """Write events, mentions, articles and persons as Parquet files into `out_dir`, from one
    snapshot of the ledger; each table's file and row count."""
    out = Path(out_dir)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(str(out), f"cannot create the output folder: {exc}") from exc
    schemas = _schemas()
    written: dict[str, tuple[Path, int]] = {}
    with store.snapshot():
        privacy = privacy_for(store, include_protected)
        tables = {
            "events": _event_rows(store, privacy),
            "mentions": _mention_rows(store, privacy),
            "articles": _article_rows(store, privacy),
            "persons": _person_rows(store, include_protected),
        }
        for name, rows in tables.items():
            path = out / f"{name}.parquet"
            try:
                written[name] = (path, _write(path, rows, schemas[name]))
            except OSError as exc:
                raise InputError(str(path), f"cannot write: {exc}") from exc
    return written
