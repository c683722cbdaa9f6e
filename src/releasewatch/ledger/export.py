"""Exports: SCHEMA.md records with happening ids, and the ledger as CSV or JSON."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

from ..errors import InputError
from ..naming import record_names
from ..record import to_record
from ..store import EventQuery, Store
from .privacy import WITHHELD, Privacy, privacy_for
from .query import select_events


def export_records(
    store: Store, out_dir: str | Path, *, include_protected: bool = False
) -> list[Path]:
    """Write one SCHEMA.md record per ingested article; each event's `happening` is its ledger id.

    Files are named as `releasewatch extract` names them (`<stem>.json`, `<stem>-LINE.json`).
    """
    out = Path(out_dir)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(str(out), f"cannot create the output folder: {exc}") from exc
    written = []
    with store.snapshot():
        privacy = privacy_for(store, include_protected)
        rows = {a.id: a for a in store.articles()}
        articles = sorted((a.source, a.id) for a in rows.values())
        names = record_names([source for source, _ in articles])
        happening = store.mention_events()
        for (_, article_id), name in zip(articles, names, strict=True):
            record = store.article_record(article_id)
            labels = [happening.get(f"{article_id}-{i}") for i in range(len(record.events))]
            data = to_record(record, name, labels)
            # null for an article stored before the confidence was kept (migration 0006)
            data["article"]["encoding_confidence"] = rows[article_id].encoding_confidence
            if not privacy.show and privacy.pattern is not None:
                _redact_record(data, record.article.text, privacy)
            target = out / f"{name}.json"
            try:
                target.write_text(
                    json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
                )
            except OSError as exc:
                raise InputError(str(target), f"cannot write: {exc}") from exc
            written.append(target)
    return written


def _redact_record(data: dict[str, Any], text: str, privacy: Privacy) -> None:
    """Withhold protected names in a record, keeping evidence offsets true to the new text."""
    for event in data["events"]:
        start, end = event["start"], event["end"]
        if 0 <= start <= end <= len(text):
            event["start"] = len(privacy.text(text[:start]) or "")
            event["end"] = event["start"] + len(privacy.text(text[start:end]) or "")
        event["persons"] = [WITHHELD if privacy.text(p) != p else p for p in event["persons"]]
    scrubbed = privacy.scrub({k: v for k, v in data.items() if k != "events"})
    scrubbed["events"] = [
        {k: v if k in ("start", "end") else privacy.scrub(v) for k, v in e.items()}
        for e in data["events"]
    ]
    data.clear()
    data.update(scrubbed)


_LEDGER_CSV = (
    "id", "type", "status", "date", "date_precision", "by", "to", "count", "qualifier",
    "sector", "persons", "persons_released", "has_conflict", "conflicts", "n_sources",
    "n_mentions", "source_articles", "source_outlets", "source_published", "source_urls",
    "evidence",
)  # fmt: skip


def _csv_row(item: dict[str, Any]) -> dict[str, Any]:
    """A ledger event as one spreadsheet row (lists joined with ';')."""
    sources = item["sources"]
    return {
        **{k: item[k] for k in ("id", "type", "status", "date", "date_precision", "sector")},
        "by": ";".join(item["by"]),
        "to": ";".join(item["to"]),
        "count": item["count"]["value"] if item["count"] else None,
        "qualifier": item["count"]["qualifier"] if item["count"] else None,
        "persons": ";".join(p["name"] for p in item["persons"]),
        "persons_released": item["persons_released"],
        "has_conflict": item["has_conflict"],
        "conflicts": ";".join(item["conflicts"]),
        "n_sources": item["n_sources"],
        "n_mentions": item["n_mentions"],
        "source_articles": ";".join(s["article_id"] for s in sources),
        "source_outlets": ";".join(s["outlet"] or "" for s in sources),
        "source_published": ";".join(s["published"] or "" for s in sources),
        "source_urls": ";".join(s["url"] or "" for s in sources),
        "evidence": item["evidence"],
    }


def export_ledger(store: Store, fmt: str, *, include_protected: bool = False) -> str:
    """The ledger as CSV or JSON text: one row per ledger event, with its sources."""
    if fmt not in ("csv", "json"):
        raise InputError("format", f"expected csv or json, got {fmt!r}")
    with store.snapshot():
        items = select_events(store, EventQuery(), privacy_for(store, include_protected))
    if fmt == "json":
        return json.dumps(items, ensure_ascii=False, indent=2) + "\n"
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(_LEDGER_CSV), lineterminator="\n")
    writer.writeheader()
    writer.writerows(_csv_row(item) for item in items)
    return buffer.getvalue()
