"""The stages glued together: what the CLI (and later the API) calls. Never prints.

`ingest_paths` cuts its inputs into work units, reads each (here, or on a Dask cluster:
`backfill`), and stores the results in batches; one failing file or article is recorded as a
problem and the rest go on. Before an article is parsed, the extractor's own prefilter
(`on_topic`) sets aside the pages no event can come from: only their id and URL are kept. The
others are extracted EXTRACT_BATCH at a time (`extract_many`). `extract_to_dir` writes
SCHEMA.md records without a database.
"""

from __future__ import annotations

import html
import json
import re
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import InputError, StoreError
from .extract import extract, extract_many, prefilter
from .extract.explain import Explanation, explain
from .ingest import iter_files, read_sources
from .ingest.partition import ByteRange, WorkUnit, plan, read_unit
from .model import Article, ArticleRecord, EventMention, RawDocument
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

# A page's text before it is parsed: its title and the text of its body, without scripts,
# styles and comments. The whole body, not only its <p> elements: stories told in <div>s and
# <br>-separated blog posts hold their topic words outside any <p> (on the 181 pages of
# ../shared/bench/article-extraction and the 67 of ../shared/corpus, the extractor's prefilter
# on this text sets aside 4 pages it would read on the parsed text, none with an event: briefs
# of one topic word, longer as pages; on <title>, <h1> and <p> alone it set aside 6, one with
# an event).
_TITLE = re.compile(r"<title\b[^>]*>(.*?)</title\s*>", re.S | re.I)
_BODY = re.compile(r"<body\b.*", re.S | re.I)
_UNSEEN = re.compile(r"<(script|style|noscript|template|svg)\b.*?</\1\s*>|<!--.*?-->", re.S | re.I)
_TAG = re.compile(r"<[^>]+>")


def scope_text(doc: RawDocument) -> str:
    """The text the on-topic decision reads: a dump whole, a page's title and body text."""
    if doc.kind != "html":
        return doc.text
    title = _TITLE.search(doc.text)
    body = _BODY.search(doc.text)
    text = _TAG.sub(" ", _UNSEEN.sub(" ", body.group(0) if body else doc.text))
    return html.unescape(f"{title.group(1) if title else ''}\n{text}")


def on_topic(doc: RawDocument) -> bool:
    """Whether a document may report an event, decided before it is parsed: the extractor's
    own article prefilter (extract.prefilter.article_scope) on its `scope_text`."""
    return prefilter.article_scope(scope_text(doc)).read


# ---------------------------------------------------------------- work units


@dataclass(frozen=True)
class Known:
    """An article already in the ledger (found so before it was extracted)."""

    source: str


Item = ArticleRecord | OffTopicRow | Known | Problem
"""One result of reading a document."""


@dataclass(frozen=True)
class UnitResult:
    """What reading one work unit gave, compactly: on-topic articles with their mentions,
    off-topic identities, articles known already and problems, in reading order."""

    items: tuple[Item, ...]

    @property
    def on_topic(self) -> int:
        """The on-topic articles read."""
        return sum(isinstance(i, ArticleRecord) for i in self.items)


KnownCheck = Callable[[str, str | None], bool]
"""is_known(article_id, clean_text or None): whether the ledger holds the article already."""

# On-topic articles extracted together (extract_many parses their candidate sentences in one
# spaCy pipe). Set on the 104 articles of ../shared (corpus and body bench) the prefilter
# reads, in CPU seconds: one at a time 9.9 articles/s (6 sentences a pipe), 4 to 32 at a time
# 11.5-11.6/s (16: 96 sentences a pipe, 1.5 of the parser's batches), 64 at a time 11.4/s; 16
# keeps few parsed texts waiting in memory and a crash loses at most 16 extractions.
EXTRACT_BATCH = 16


def _work(doc: RawDocument, known: KnownCheck | None) -> Article | OffTopicRow | Known:
    """One document: skipped when known, set aside when off-topic, else parsed (its events
    are extracted with those of other articles: `iter_chunks`)."""
    raw_id = article_id(doc.text, doc.url)  # a dump's identity; a page's before it is parsed
    if known is not None and known(raw_id, None):
        return Known(doc.source)
    if not on_topic(doc):
        return OffTopicRow(raw_id, doc.url, doc.source)
    article = parse(doc)
    if known is not None and known(article.id, article.text):
        return Known(doc.source)
    return article


def extract_batch(articles: Sequence[Article]) -> list[tuple[EventMention, ...] | Exception]:
    """The events of each article, extracted together; when that fails, each article on its
    own, so that a failing article is its own problem (its exception) and no other's."""
    try:
        return [tuple(events) for events in extract_many(articles)]
    except Exception as exc:  # one bad article must not cost its batch
        if len(articles) == 1:
            return [exc]
    found: list[tuple[EventMention, ...] | Exception] = []
    for article in articles:
        found.extend(extract_batch([article]))
    return found


def _read(unit: WorkUnit, known: KnownCheck | None) -> Iterator[Article | Item]:
    """Every document of a unit read, filtered and parsed; an unreadable input, a failing
    article or a reader bug as a Problem, and the rest go on."""
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


def _extracted(held: list[Article | Item]) -> list[Item]:
    """The held results with the parsed articles among them extracted (in one batch)."""
    articles = [i for i in held if isinstance(i, Article)]
    events = iter(extract_batch(articles))
    out: list[Item] = []
    for item in held:
        if not isinstance(item, Article):
            out.append(item)
            continue
        found = next(events)
        if isinstance(found, Exception):
            out.append(_failure(item.source, found))
        else:
            out.append(ArticleRecord(article=item, events=found))
    return out


def iter_chunks(unit: WorkUnit, known: KnownCheck | None = None) -> Iterator[list[Item]]:
    """Read, filter, parse and extract every document of a unit; the results in reading
    order, in chunks: each ends with a batch of EXTRACT_BATCH on-topic articles extracted
    together, after BATCH results, or at the unit's end.

    With `known` (a serial ingest asks its ledger), articles already stored are not extracted
    again; without it (on a cluster) the single writer finds them known when it stores them.
    One unreadable input or failing article is a Problem and the rest go on.
    """
    held: list[Article | Item] = []
    pending = 0
    for item in _read(unit, known):
        held.append(item)
        pending += isinstance(item, Article)
        if pending >= EXTRACT_BATCH or len(held) >= BATCH:
            yield _extracted(held)
            held, pending = [], 0
    if held:
        yield _extracted(held)


def iter_unit(unit: WorkUnit, known: KnownCheck | None = None) -> Iterator[Item]:
    """Every result of a unit, in reading order (`iter_chunks`, one at a time)."""
    for chunk in iter_chunks(unit, known):
        yield from chunk


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


def _store(store: Store, items: Sequence[Item], tally: _Tally) -> None:
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
) -> Iterator[tuple[WorkUnit | None, list[Item]]]:
    """Results read here, a chunk of `iter_chunks` at a time, each stored as it comes (a
    crash loses only the batch being extracted); after a unit's chunks, the unit, done."""

    def known(article_id: str, text: str | None) -> bool:
        return store.is_known(article_id, text) or (text is None and store.is_offtopic(article_id))

    for unit in units:
        for chunk in iter_chunks(unit, known):
            yield None, chunk
        yield unit, []


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
    from . import ledger  # on use: an extract-only run needs no resolver

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


@dataclass
class _Written:
    """What an extract-to-folder run has written so far."""

    out: Path
    written: list[Path] = field(default_factory=list)
    used: set[str] = field(default_factory=set)
    events: int = 0
    problems: list[Problem] = field(default_factory=list)

    def flush(self, held: list[Problem | tuple[str, Article]]) -> None:
        """Extract the held articles together and write their records, in reading order."""
        found = iter(extract_batch([h[1] for h in held if isinstance(h, tuple)]))
        for entry in held:
            if isinstance(entry, Problem):
                self.problems.append(entry)
                continue
            name, article = entry
            events = next(found)
            if isinstance(events, Exception):
                self.problems.append(_failure(article.source, events))
                continue
            base, n = name, 1
            while name in self.used:  # a.txt and a.html in one run: keep both
                n += 1
                name = f"{base}-{n}"
            target = self.out / f"{name}.json"
            try:
                record = ArticleRecord(article=article, events=events)
                _write_json(target, to_record(record, name))
            except OSError as exc:
                self.problems.append(Problem(str(target), f"cannot write: {exc}"))
                continue
            self.used.add(name)
            self.written.append(target)
            self.events += len(events)


def extract_to_dir(
    files: Iterable[str | Path], out_dir: str | Path, on_progress: ProgressCallback | None = None
) -> ExtractReport:
    """Write one SCHEMA.md record `<stem>.json` per input article into `out_dir` (no database).

    A file holding several records (JSONL, feeds) gives `<stem>-LINE.json` per record.
    Articles are extracted EXTRACT_BATCH at a time, across files.
    """
    out = Path(out_dir)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(str(out), f"cannot create the output folder: {exc}") from exc
    paths = list(iter_files(list(files)))
    run = _Written(out)
    held: list[Problem | tuple[str, Article]] = []  # in reading order, until extracted
    parsed = 0
    for done, path in enumerate(paths):
        if on_progress is not None:
            on_progress(done, len(paths), path)
        items = list(_documents(path))
        docs = [d for d in items if isinstance(d, RawDocument)]
        held.extend(p for p in items if isinstance(p, Problem))
        stem = file_stem(path)
        for ordinal, doc in enumerate(docs, start=1):
            name = stem if len(docs) == 1 else record_stem(stem, path, doc.source, ordinal)
            try:
                held.append((name, parse(doc)))
                parsed += 1
            except Exception as exc:  # one bad article must not stop the run
                held.append(_failure(doc.source, exc))
            if parsed >= EXTRACT_BATCH:
                run.flush(held)
                held, parsed = [], 0
    run.flush(held)
    if on_progress is not None and paths:
        on_progress(len(paths), len(paths), paths[-1])
    return ExtractReport(len(paths), tuple(run.written), run.events, tuple(run.problems))


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
