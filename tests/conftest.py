"""Shared fixtures: repository paths, ../shared (skipped when absent), stage stand-ins."""

from __future__ import annotations

import os
import re
import uuid
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import pytest
from http_server import Server, serving

from releasewatch import pipeline
from releasewatch.model import Article, EventMention, RawDocument
from releasewatch.parse import article_id

REPO_ROOT = Path(__file__).resolve().parents[1]
SHARED = REPO_ROOT.parent / "shared"
PG_ENV = "RELEASEWATCH_TEST_PG"  # a PostgreSQL server URL the tests may create schemas in
BACKENDS = ("sqlite", "postgresql")
NO_PG = (
    f"PostgreSQL not available: ${PG_ENV} is not set (.ci/run starts a server; by hand:"
    " source scripts/postgres.sh && start_postgres)"
)


@pytest.fixture
def repo_root() -> Path:
    """The repository's root folder."""
    return REPO_ROOT


@pytest.fixture
def shared_dir() -> Path:
    """../shared beside the repository (third-party material); skips when it is absent."""
    if not SHARED.is_dir():
        pytest.skip(f"../shared not present: {SHARED}")
    return SHARED


@pytest.fixture
def dev_corpus(shared_dir: Path) -> Path:
    """../shared/corpus/dev; skips when it is absent."""
    dev = shared_dir / "corpus" / "dev"
    if not dev.is_dir():
        pytest.skip(f"../shared/corpus/dev not present: {dev}")
    return dev


_SENTENCE = re.compile(r"[^.!?\n]+[.!?]")


def stub_parse(doc: RawDocument) -> Article:
    """A stand-in parser: the first line is the title, the rest (trimmed) the body."""
    title, _, body = doc.text.strip().partition("\n")
    body = body.strip() or title
    return Article(
        id=article_id(doc.text, doc.url),
        source=doc.source,
        text=body,
        raw=doc.text,
        kind=doc.kind,
        url=doc.url,
        title=doc.title or title.strip(),
        published=doc.published,
    )


def stub_extract(article: Article) -> tuple[EventMention, ...]:
    """A stand-in extractor: a political `release` by BLR for every sentence saying "freed"."""
    return tuple(
        EventMention(
            type="release",
            status="occurred",
            evidence=m.group().strip(),
            start=m.start() + (len(m.group()) - len(m.group().lstrip())),
            end=m.end(),
            by=("BLR",),
            to=("LTU",),
            persons=("Ales Example",),
            political=True,
        )
        for m in _SENTENCE.finditer(article.text)
        if "freed" in m.group()
    )


@pytest.fixture
def stubs() -> tuple[
    Callable[[RawDocument], Article], Callable[[Article], tuple[EventMention, ...]]
]:
    """The stand-in (parse, extract) pair, for tests that wrap one of them."""
    return stub_parse, stub_extract


def per_article(
    extract: Callable[[Article], tuple[EventMention, ...]],
) -> Callable[[Sequence[Article]], list[tuple[EventMention, ...]]]:
    """A batch extractor (as pipeline.extract_many) made of a one-article one."""
    return lambda articles: [extract(a) for a in articles]


@pytest.fixture
def stub_stages(monkeypatch: pytest.MonkeyPatch) -> None:
    """Run the pipeline with the stand-in parse and extract (tests of the glue, not of NLP)."""
    monkeypatch.setattr(pipeline, "parse", stub_parse)
    monkeypatch.setattr(pipeline, "extract", stub_extract)
    monkeypatch.setattr(pipeline, "extract_many", per_article(stub_extract))


@pytest.fixture
def write_articles(tmp_path: Path) -> Callable[..., Path]:
    """Write `count` distinct short articles (ours, not third-party) into a fresh folder."""

    def write(count: int = 3, folder: str = "news") -> Path:
        target = tmp_path / folder
        target.mkdir(parents=True, exist_ok=True)
        for i in range(count):
            (target / f"story-{i:02d}.txt").write_text(
                f"Belarus frees prisoners, report {i}\n\n"
                f"Belarus freed {i + 2} political prisoners on Saturday, officials said.\n\n"
                f"The talks went on for week {i}. Nothing else was agreed.\n",
                encoding="utf-8",
            )
        return target

    return write


# ---------------------------------------------------------------- both backends


@pytest.fixture(scope="session")
def pg_server() -> str | None:
    """The PostgreSQL server of $RELEASEWATCH_TEST_PG (checked once), or None when unset."""
    url = os.environ.get(PG_ENV)
    if not url:
        return None
    import psycopg

    try:
        psycopg.connect(url, connect_timeout=5).close()
    except psycopg.Error as exc:  # set but unreachable: a broken set-up, not a skip
        pytest.fail(f"${PG_ENV}={url} is not reachable: {exc}")
    return url


class Databases:
    """Fresh, empty ledgers of one backend: SQLite files, or PostgreSQL schemas (dropped after)."""

    def __init__(self, backend: str, folder: Path, server: str | None) -> None:
        self.backend = backend
        self.folder = folder
        self.server = server
        self.schemas: list[str] = []

    def new(self, name: str = "ledger") -> str:
        """The URL (or path) of a new empty ledger."""
        if self.backend == "sqlite":
            return str(self.folder / f"{name}-{uuid.uuid4().hex[:8]}.sqlite")
        assert self.server is not None
        import psycopg

        schema = f"t_{name.replace('-', '_')}_{uuid.uuid4().hex[:10]}"
        with psycopg.connect(self.server, autocommit=True) as conn:
            conn.execute(f"CREATE SCHEMA {schema}")
        self.schemas.append(schema)
        joiner = "&" if "?" in self.server else "?"
        return f"{self.server}{joiner}options=-csearch_path%3D{schema}"

    def drop(self) -> None:
        """Drop the schemas made."""
        if not self.schemas or self.server is None:
            return
        import psycopg

        with psycopg.connect(self.server, autocommit=True) as conn:
            for schema in self.schemas:
                conn.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")


def _databases(request: pytest.FixtureRequest, folder: Path) -> Iterator[Databases]:
    """The Databases of the requested backend (skipping PostgreSQL when absent)."""
    backend = request.param
    server = request.getfixturevalue("pg_server") if backend == "postgresql" else None
    if backend == "postgresql" and server is None:
        pytest.skip(NO_PG)
    made = Databases(backend, folder, server)
    try:
        yield made
    finally:
        made.drop()


@pytest.fixture(params=BACKENDS)
def databases(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Databases]:
    """New empty ledgers on each backend in turn."""
    yield from _databases(request, tmp_path)


@pytest.fixture(params=BACKENDS, scope="module")
def module_databases(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Databases]:
    """New empty ledgers on each backend in turn, for a module's shared fixtures."""
    yield from _databases(request, tmp_path_factory.mktemp("db"))


@pytest.fixture
def db_url(databases: Databases) -> str:
    """A new empty ledger on each backend in turn (a SQLite path or a PostgreSQL URL)."""
    return databases.new()


@pytest.fixture
def server() -> Iterator[Server]:
    """A local HTTP server on 127.0.0.1 (tests/http_server.py), shut down afterwards."""
    with serving() as running:
        yield running
