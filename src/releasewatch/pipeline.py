"""The stages glued together: what the CLI (and later the API) calls. Never prints.

`ingest_paths` cuts its inputs into work units, reads each (here, or on a Dask cluster:
`backfill`), and stores the results in batches; one failing file or article is recorded as a
problem and the rest go on. Before an article is parsed, a cheap on-topic decision
(`on_topic`) sets aside the pages no event can come from: only their id and URL are kept.
`extract_to_dir` writes SCHEMA.md records without a database.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from . import ledger, lexicon
from .errors import InputError, StoreError
from .extract import extract
from .extract.explain import Explanation, explain
from .ingest import iter_files, read_sources
from .ingest.partition import ByteRange, WorkUnit, plan, read_unit
from .model import ArticleRecord, RawDocument
from .naming import file_stem, record_stem
from .parse import article_id, parse
from .record import to_record
from .store import OffTopicRow, ProblemRow, Store

ProgressCallback = Callable[[int, int, Path], None]
"""Called before each file as on_progress(files_done, files_total, path)."""


@dataclass(frozen=True)
class Problem:
    """An input (file, record, article) that could not be used, and why."""

    source: str
    reason: str

    def __str__(self) -> str:
        return f"{self.source}: {self.reason}"


@dataclass(frozen=True)
class IngestReport:
    """What an ingest did."""

    files: int
    articles_new: int
    articles_known: int
    events: int
    problems: tuple[Problem, ...]
    ledger: dict[str, Any] | None = None  # the rebuild summary, when the ingest added articles
    articles_offtopic: int = 0  # new articles set aside as off-topic (id and URL kept)
    units: int = 0  # work units read

    @property
    def ok(self) -> bool:
        """True when every input was read and stored."""
        return not self.problems


@dataclass(frozen=True)
class ExtractReport:
    """What an extract-to-folder run did."""

    files: int
    written: tuple[Path, ...]
    events: int
    problems: tuple[Problem, ...]

    @property
    def ok(self) -> bool:
        """True when every input gave a record."""
        return not self.problems


def _failure(source: str, exc: Exception) -> Problem:
    """A problem from an unexpected exception in parse or extract, naming the exception."""
    reason = str(exc) or type(exc).__name__
    if not isinstance(exc, InputError):
        reason = f"{type(exc).__name__}: {reason}"
    return Problem(source, reason)


def read_article(doc: RawDocument) -> ArticleRecord:
    """Parse one document and extract its events."""
    article = parse(doc)
    return ArticleRecord(article=article, events=tuple(extract(article)))


def _documents(path: Path) -> Iterator[RawDocument | Problem]:
    """Documents of one file; every unreadable input (or reader crash) as a Problem."""
    try:
        for item in read_sources([path]):
            if isinstance(item, InputError):
                yield Problem(item.source, item.reason)
            else:
                yield item
    except Exception as exc:  # a reader bug must not stop the other files
        yield _failure(str(path), exc)


# ---------------------------------------------------------------- the on-topic decision


@cache
def _scope() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """The on-topic pattern and the HTML elements it looks at (data/scope.toml)."""
    data = lexicon.load("scope")
    tags = "|".join(re.escape(t) for t in data["html_elements"])
    elements = re.compile(rf"<({tags})\b[^>]*>(.*?)</\1\s*>", re.S | re.I)
    return re.compile(data["pattern"], re.I), elements


_MARKUP = re.compile(r"<(script|style|noscript)\b.*?</\1\s*>|<!--.*?-->|<[^>]+>", re.S | re.I)


def scope_text(doc: RawDocument) -> str:
    """The text the on-topic decision reads: a dump whole, a page's headline and paragraphs."""
    if doc.kind != "html":
        return doc.text
    _, elements = _scope()
    parts = [inner for _, inner in elements.findall(doc.text)]
    return _MARKUP.sub(" ", " ".join(parts) if parts else doc.text)


def on_topic(text: str) -> bool:
    """Whether an article may report an event: the cheap decision made before parsing.

    The seam for the extractor's own article-level prefilter: point it there when it exists.
    """
    pattern, _ = _scope()
    return pattern.search(text) is not None


# ---------------------------------------------------------------- work units


@dataclass(frozen=True)
class Known:
    """An article already in the ledger (found so before it was extracted)."""

    source: str


@dataclass(frozen=True)
class UnitResult:
    """What reading one work unit gave, compactly: on-topic articles with their mentions,
    off-topic identities, articles known already and problems, in reading order."""

    items: tuple[ArticleRecord | OffTopicRow | Known | Problem, ...]

    @property
    def on_topic(self) -> int:
        """The on-topic articles read."""
        return sum(isinstance(i, ArticleRecord) for i in self.items)


KnownCheck = Callable[[str, str | None], bool]
"""is_known(article_id, clean_text or None): whether the ledger holds the article already."""


def _work(doc: RawDocument, known: KnownCheck | None) -> ArticleRecord | OffTopicRow | Known:
    """One document: skipped when known, set aside when off-topic, else parsed and extracted."""
    raw_id = article_id(doc.text, doc.url)  # a dump's identity; a page's before it is parsed
    if known is not None and known(raw_id, None):
        return Known(doc.source)
    if not on_topic(scope_text(doc)):
        return OffTopicRow(raw_id, doc.url, doc.source)
    article = parse(doc)
    if known is not None and known(article.id, article.text):
        return Known(doc.source)
    return ArticleRecord(article=article, events=tuple(extract(article)))


def iter_unit(
    unit: WorkUnit, known: KnownCheck | None = None
) -> Iterator[ArticleRecord | OffTopicRow | Known | Problem]:
    """Read, filter, parse and extract every document of a unit, one at a time.

    With `known` (a serial ingest asks its ledger), articles already stored are not extracted
    again; without it (on a cluster) the single writer finds them known when it stores them.
    One unreadable input or failing article is a Problem and the rest go on.
    """
    try:
        for doc in read_unit(unit):
            if isinstance(doc, InputError):
                yield Problem(doc.source, doc.reason)
                continue
            try:
                item = _work(doc, known)
            except StoreError:
                raise
            except Exception as exc:  # one bad article must not stop the ingest
                yield _failure(doc.source, exc)
                continue
            yield item
    except StoreError:
        raise
    except Exception as exc:  # a reader bug must not stop the other units
        yield _failure(unit.label, exc)


def process_unit(unit: WorkUnit) -> UnitResult:
    """Everything one unit gives, compactly (what a cluster's worker runs)."""
    return UnitResult(tuple(iter_unit(unit)))


# ---------------------------------------------------------------- ingest


@dataclass(frozen=True)
class IngestProgress:
    """How far an ingest is: work units done, articles read, on-topic, problems."""

    units_done: int
    units_total: int
    articles: int
    on_topic: int
    problems: int
    elapsed: float
    unit: str = ""  # the unit just done ("" for a batch stored within a unit)
    dashboard: str | None = None  # the cluster's dashboard, when one is running

    @property
    def rate(self) -> float:
        """Articles read per second."""
        return self.articles / self.elapsed if self.elapsed > 0 else 0.0


IngestProgressCallback = Callable[[IngestProgress], None]

BATCH = 500  # entries committed in one transaction at most; a unit is one batch or a few


@dataclass
class _Tally:
    """Running counts of an ingest."""

    new: int = 0
    offtopic: int = 0
    known: int = 0
    events: int = 0
    articles: int = 0
    on_topic: int = 0
    units: int = 0
    problems: list[Problem] = field(default_factory=list)


def _store(
    store: Store, items: Sequence[ArticleRecord | OffTopicRow | Known | Problem], tally: _Tally
) -> None:
    """Commit results in batches, each in its own transaction, and count them."""
    entries = [i for i in items if not isinstance(i, Known)]
    tally.known += len(items) - len(entries)
    tally.articles += sum(not isinstance(i, Problem) for i in items)
    tally.on_topic += sum(isinstance(i, ArticleRecord) for i in items)
    for first in range(0, len(entries), BATCH):
        batch = entries[first : first + BATCH]
        rows = [ProblemRow(i.source, i.reason, "") if isinstance(i, Problem) else i for i in batch]
        for entry, added in zip(batch, store.add_batch(rows), strict=True):
            if isinstance(entry, Problem):
                tally.problems.append(entry)
            elif not added:
                tally.known += 1
            elif isinstance(entry, OffTopicRow):
                tally.offtopic += 1
            else:
                tally.new += 1
                tally.events += len(entry.events)


def _serial(
    units: Sequence[WorkUnit], store: Store
) -> Iterator[tuple[WorkUnit | None, list[ArticleRecord | OffTopicRow | Known | Problem]]]:
    """Results read here, in batches: each on-topic article closes one (it cost the most to
    make, so a crash loses none that was done), else every BATCH entries and each unit's end
    (paired with the unit it ends)."""

    def known(article_id: str, text: str | None) -> bool:
        return store.is_known(article_id, text) or (text is None and store.is_offtopic(article_id))

    for unit in units:
        batch: list[ArticleRecord | OffTopicRow | Known | Problem] = []
        for item in iter_unit(unit, known):
            batch.append(item)
            if isinstance(item, ArticleRecord) or len(batch) >= BATCH:
                yield None, batch
                batch = []
        yield unit, batch


def ingest_paths(
    paths: Iterable[str | Path],
    store: Store,
    on_progress: IngestProgressCallback | None = None,
    *,
    workers: int | None = None,
    scheduler: str | None = None,
    work: Callable[[WorkUnit], UnitResult] | None = None,
) -> IngestReport:
    """Read, parse, extract and store every article under `paths`; report what happened.

    The inputs are cut into work units (`ingest.partition`). Serially (the default) each is
    read here; with `workers` (a Dask LocalCluster of that many processes) or `scheduler` (the
    address of a running Dask cluster) they are read on the cluster, and this process, the one
    writer, stores their results in unit order, so the ledger is the same either way. Each
    unit's results are committed in batches, each batch in its own transaction: an
    interruption loses nothing already stored. When anything was added, the resolved ledger
    (happenings, persons, deals) is rebuilt once at the end, in one transaction. `work`
    replaces the function a cluster runs on each unit (a seam for tests). A store failure (the
    ledger itself is broken) is raised as StoreError.
    """
    names = [str(p) for p in paths]
    units = list(plan(names))
    files = len({name for unit in units for name in _files(unit)})
    tally = _Tally()
    started = time.perf_counter()
    dashboard: str | None = None

    def progress(unit: str) -> None:
        if on_progress is not None:
            on_progress(
                IngestProgress(
                    tally.units, len(units), tally.articles, tally.on_topic,
                    len(tally.problems), time.perf_counter() - started, unit, dashboard,
                )
            )  # fmt: skip

    progress("")
    if workers is None and scheduler is None:
        for unit, items in _serial(units, store):
            _store(store, items, tally)
            tally.units += unit is not None
            progress(unit.label if unit is not None else "")
    else:
        from .backfill import Cluster

        cluster = Cluster(workers=workers, scheduler=scheduler)
        dashboard = cluster.dashboard
        try:
            for unit, result in cluster.results(units, work or process_unit):
                _store(store, result.items, tally)
                tally.units += 1
                progress(unit.label)
        finally:
            cluster.close()
    summary = ledger.rebuild(store) if tally.new else None
    return IngestReport(
        files, tally.new, tally.known, tally.events, tuple(tally.problems), summary,
        articles_offtopic=tally.offtopic, units=len(units),
    )  # fmt: skip


def _files(unit: WorkUnit) -> tuple[str, ...]:
    """The files a unit reads."""
    return (unit.path,) if isinstance(unit, ByteRange) else unit.files


def _write_json(path: Path, data: dict[str, Any]) -> None:
    """Write one record as pretty UTF-8 JSON."""
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def extract_to_dir(
    files: Iterable[str | Path], out_dir: str | Path, on_progress: ProgressCallback | None = None
) -> ExtractReport:
    """Write one SCHEMA.md record `<stem>.json` per input article into `out_dir` (no database).

    A file holding several records (JSONL, feeds) gives `<stem>-LINE.json` per record.
    """
    out = Path(out_dir)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(str(out), f"cannot create the output folder: {exc}") from exc
    paths = list(iter_files(list(files)))
    written: list[Path] = []
    used: set[str] = set()
    events = 0
    problems: list[Problem] = []
    for done, path in enumerate(paths):
        if on_progress is not None:
            on_progress(done, len(paths), path)
        items = list(_documents(path))
        docs = [d for d in items if isinstance(d, RawDocument)]
        problems.extend(p for p in items if isinstance(p, Problem))
        stem = file_stem(path)
        for ordinal, doc in enumerate(docs, start=1):
            name = stem if len(docs) == 1 else record_stem(stem, path, doc.source, ordinal)
            base, n = name, 1
            while name in used:  # a.txt and a.html in one run: keep both
                n += 1
                name = f"{base}-{n}"
            try:
                record = read_article(doc)
            except Exception as exc:  # one bad article must not stop the run
                problems.append(_failure(doc.source, exc))
                continue
            target = out / f"{name}.json"
            try:
                _write_json(target, to_record(record, name))
            except OSError as exc:
                problems.append(Problem(str(target), f"cannot write: {exc}"))
                continue
            used.add(name)
            written.append(target)
            events += len(record.events)
    if on_progress is not None and paths:
        on_progress(len(paths), len(paths), paths[-1])
    return ExtractReport(len(paths), tuple(written), events, tuple(problems))


def explain_paths(paths: Iterable[str | Path]) -> Iterator[Explanation | Problem]:
    """Why each article of the inputs yields the events it does (see extract.explain)."""
    for path in iter_files(list(paths)):
        for item in _documents(path):
            if isinstance(item, Problem):
                yield item
                continue
            try:
                yield explain(parse(item))
            except Exception as exc:  # one bad article must not stop the others
                yield _failure(item.source, exc)
