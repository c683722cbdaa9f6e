"""The stages glued together: what the CLI (and later the API) calls. Never prints.

`ingest_paths` reads, parses, extracts and stores, one article per transaction; one failing
file or article is recorded as a problem and the rest go on. `extract_to_dir` writes SCHEMA.md
records without a database.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import ledger
from .errors import InputError, StoreError
from .extract import extract
from .extract.explain import Explanation, explain
from .ingest import iter_files, read_sources
from .model import ArticleRecord, RawDocument
from .naming import file_stem, record_stem
from .parse import parse
from .record import to_record
from .store import Store

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


def ingest_paths(
    paths: Iterable[str | Path], store: Store, on_progress: ProgressCallback | None = None
) -> IngestReport:
    """Read, parse, extract and store every article under `paths`; report what happened.

    Each article is committed on its own, so an interruption loses nothing already stored.
    When anything was added, the resolved ledger (happenings, persons, deals) is rebuilt at
    the end, in one transaction. A store failure (the ledger itself is broken) is raised as
    StoreError.
    """
    files = list(iter_files(list(paths)))
    new = known = events = 0
    problems: list[Problem] = []
    for done, path in enumerate(files):
        if on_progress is not None:
            on_progress(done, len(files), path)
        for item in _documents(path):
            if isinstance(item, Problem):
                problems.append(item)
                store.add_problem(item.source, item.reason)
                continue
            try:
                article = parse(item)
                if store.is_known(article.id, article.text):
                    known += 1
                    continue
                record = ArticleRecord(article=article, events=tuple(extract(article)))
            except StoreError:
                raise
            except Exception as exc:  # one bad article must not stop the ingest
                problem = _failure(item.source, exc)
                problems.append(problem)
                store.add_problem(problem.source, problem.reason)
                continue
            if store.add(record, encoding=item.encoding):
                new += 1
                events += len(record.events)
            else:
                known += 1
    if on_progress is not None and files:
        on_progress(len(files), len(files), files[-1])
    summary = ledger.rebuild(store) if new else None
    return IngestReport(len(files), new, known, events, tuple(problems), summary)


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
