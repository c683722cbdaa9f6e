"""Ingesting on a Dask cluster (small archives the tests write): the same ledger as a serial
ingest, a second run changes nothing, a killed or failing task is retried without duplicates,
and a truncated archive is reported with everything before the cut stored."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from functools import partial
from pathlib import Path
from typing import Any

import cloudpickle
import pytest
from archives import pages, write_jsonl, write_warc
from conftest import Databases

from releasewatch import backfill, pipeline
from releasewatch.ingest import partition
from releasewatch.ingest.partition import WorkUnit
from releasewatch.pipeline import UnitResult, ingest_paths, iter_unit
from releasewatch.store import open_store
from releasewatch.store.schema import COPY_TABLES

distributed = pytest.importorskip("distributed")
cloudpickle.register_pickle_by_value(sys.modules[__name__])  # workers need not import tests/

_TIMES = ("ingested_at", "first_seen", "created_at")


def ledger_rows(url: str) -> dict[str, list[tuple[Any, ...]]]:
    """Every stored and resolved row but the times they were written, table by table."""
    rows: dict[str, list[tuple[Any, ...]]] = {}
    with open_store(url) as store:
        for table, names in COPY_TABLES:
            if table == "ledger_meta":
                continue  # when and from what it was built
            keep = [i for i, name in enumerate(names) if name not in _TIMES]
            rows[table] = [tuple(r[i] for i in keep) for r in store.table_rows(table)]
    return rows


@pytest.fixture(scope="module")
def cluster() -> Iterator[str]:
    """A LocalCluster of 2 worker processes for the module, as `ingest --workers 2` makes it;
    its scheduler's address."""
    with backfill.local_cluster(2) as local:
        yield local.scheduler_address


def _worker_settings() -> dict[str, Any]:
    """The settings a worker process runs with."""
    import dask

    return {
        "profile": dask.config.get("distributed.worker.profile.enabled"),
        "monitor": dask.config.get("distributed.admin.system-monitor.interval"),
        "malloc": os.environ.get("MALLOC_TRIM_THRESHOLD_"),
        "threads": os.environ.get("OMP_NUM_THREADS"),
    }


def _scheduler_settings(dask_scheduler: Any) -> dict[str, Any]:
    """The settings the scheduler runs with."""
    return {"stealing": "stealing" in dask_scheduler.extensions}


def test_the_local_cluster_runs_with_the_ingest_settings(cluster: str) -> None:
    with distributed.Client(cluster) as client:
        workers = client.run(_worker_settings)
        scheduler = client.run_on_scheduler(_scheduler_settings)
    assert len(workers) == 2
    for settings in workers.values():  # the nanny's other variables are kept
        assert settings == {"profile": False, "monitor": "5s", "malloc": None, "threads": "1"}
    assert scheduler == {"stealing": False}


def test_the_cluster_settings_as_environment_variables_set_the_same_keys() -> None:
    import dask

    environ = backfill.cluster_environ()
    assert "DASK_DISTRIBUTED__ADMIN__TICK__INTERVAL" in environ
    with dask.config.set(dask.config.collect_env(environ)):
        for key, value in backfill.cluster_config().items():
            assert dask.config.get(key) == value, key
    spawn = backfill.cluster_config()["distributed.nanny.pre-spawn-environ"]
    assert isinstance(spawn, dict) and "MALLOC_TRIM_THRESHOLD_" not in spawn and spawn


@pytest.fixture
def news(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder: a WARC.gz of 60 pages (one in four on topic, one page twice under another
    address), a plain WARC, a JSONL file with a bad line and two text files; cut in small
    byte ranges so that each archive is several work units."""
    monkeypatch.setattr(partition, "RANGE_BYTES", 6_000)
    folder = tmp_path / "news"
    folder.mkdir()
    items = pages(60)
    items.append(("https://mirror.example.org/0", items[0][1]))  # the same story, elsewhere
    write_warc(folder / "a.warc.gz", items)
    write_warc(folder / "b.warc", pages(70)[60:], gzip=False)
    write_jsonl(folder / "c.jsonl", 40, bad=(9,))
    (folder / "d.txt").write_text(
        "Court jails editor\n\nA court in Minsk sentenced the editor Ales Example to three "
        "years in prison on Friday, his lawyer said.\n",
        encoding="utf-8",
    )
    (folder / "e.txt").write_text("Rain\n\nRain fell all day on Friday.\n", encoding="utf-8")
    return folder


def test_two_workers_give_the_serial_ledger_and_a_second_run_changes_nothing(
    module_databases: Databases, cluster: str, news: Path
) -> None:
    serial, parallel = module_databases.new("serial"), module_databases.new("parallel")
    with open_store(serial) as store:
        one = ingest_paths([news], store)
    with open_store(parallel) as store:
        two = ingest_paths([news], store, scheduler=cluster)
    assert one.units == two.units > 6
    assert (two.articles_new, two.articles_offtopic, two.articles_known, two.events) == (
        one.articles_new, one.articles_offtopic, one.articles_known, one.events,
    )  # fmt: skip
    assert one.articles_new >= 25 and one.articles_offtopic >= 50 and one.events >= 25
    assert one.articles_known == 1  # the mirrored page: the same body
    assert [str(p) for p in two.problems] == [str(p) for p in one.problems]
    assert [p.source for p in one.problems] == [f"{news / 'c.jsonl'}:9"]
    assert one.ledger is not None and two.ledger is not None
    assert {**two.ledger, "built_at": None} == {**one.ledger, "built_at": None}
    before = ledger_rows(parallel)
    assert before == ledger_rows(serial)
    assert before["ledger_events"] and before["offtopic_articles"]
    with open_store(parallel) as store:
        again = ingest_paths([news], store, scheduler=cluster)
    assert (again.articles_new, again.articles_offtopic, again.events) == (0, 0, 0)
    assert again.articles_known == one.articles_new + one.articles_offtopic + 1
    assert ledger_rows(parallel) == before


def dying(unit: WorkUnit, folder: str) -> UnitResult:
    """Read a unit, but the first time a unit holding an on-topic article is half read, kill
    the worker process (each attempt is noted in `folder`)."""
    marks = Path(folder)
    items = []
    with (marks / "attempts").open("a") as log:
        log.write(unit.label + "\n")
    claimed = False
    for item in iter_unit(unit):
        items.append(item)
        if isinstance(item, pipeline.ArticleRecord) and not claimed:
            try:  # one death only: two workers may reach here at once (O_EXCL decides)
                fd = os.open(marks / "died", os.O_WRONLY | os.O_CREAT | os.O_EXCL)
            except FileExistsError:
                claimed = True  # another attempt died already: read on
                continue
            os.write(fd, unit.label.encode())
            os.close(fd)
            os._exit(1)  # no exception, no result: the worker is gone mid-task
    return UnitResult(tuple(items))


def test_a_task_killed_midway_is_retried_without_duplicates(
    tmp_path: Path, cluster: str, news: Path
) -> None:
    marks = tmp_path / "marks"
    marks.mkdir()
    with open_store(tmp_path / "serial.sqlite") as store:
        serial = ingest_paths([news], store)
    with open_store(tmp_path / "killed.sqlite") as store:
        report = ingest_paths(
            [news], store, scheduler=cluster, work=partial(dying, folder=str(marks))
        )
    died = (marks / "died").read_text()
    attempts = (marks / "attempts").read_text().splitlines()
    assert attempts.count(died) == 2  # killed once, then run again to the end
    assert len(attempts) == report.units + 1
    assert (report.articles_new, report.articles_offtopic, report.events) == (
        serial.articles_new, serial.articles_offtopic, serial.events,
    )  # fmt: skip
    assert ledger_rows(str(tmp_path / "killed.sqlite")) == ledger_rows(
        str(tmp_path / "serial.sqlite")
    )


def flaky(unit: WorkUnit, folder: str, poison: str) -> UnitResult:
    """Raise on the first try of every unit, and on every try of the unit named `poison`."""
    seen = Path(folder) / unit_mark(unit)
    if unit.label == poison or not seen.exists():
        seen.write_text("tried")
        raise RuntimeError(f"flaky reader on {unit.label}")
    return pipeline.process_unit(unit)


def unit_mark(unit: WorkUnit) -> str:
    """A file name for a unit."""
    return partition.unit_key(unit)


def test_a_raising_task_is_retried_and_one_that_keeps_failing_is_a_problem(
    tmp_path: Path, cluster: str, news: Path
) -> None:
    units = list(partition.plan([news]))
    poison = units[1].label
    with open_store(tmp_path / "flaky.sqlite") as store:
        report = ingest_paths(
            [news], store, scheduler=cluster,
            work=partial(flaky, folder=str(tmp_path), poison=poison),
        )  # fmt: skip
        assert [(p.source, p.reason.split(":")[0]) for p in report.problems[:1]] == [
            (poison, "work unit failed after 3 tries")
        ]
        assert "flaky reader on" in report.problems[0].reason
    with open_store(tmp_path / "serial.sqlite") as serial:
        ingest_paths([news], serial)
        everything = stored_sources(serial)
    with open_store(tmp_path / "flaky.sqlite") as store:
        kept = stored_sources(store)
    lost = {
        i.article.source if isinstance(i, pipeline.ArticleRecord) else i.source
        for i in iter_unit(units[1])
        if not isinstance(i, pipeline.Problem)
    }
    assert lost and kept == everything - lost  # every other unit's articles, once


def stored_sources(store: Any) -> set[str]:
    """Where every stored article (in full or off-topic) came from."""
    return {a.source for a in store.articles()} | {o.source for o in store.offtopic()}


def test_a_truncated_archive_is_reported_with_everything_before_the_cut(
    tmp_path: Path, cluster: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(partition, "RANGE_BYTES", 5_000)
    path = tmp_path / "cut.warc.gz"
    offsets = write_warc(path, pages(48, every=1), extras=False)
    path.write_bytes(path.read_bytes()[: offsets[41] + 200])
    for name, where in (("serial", None), ("cluster", cluster)):
        with open_store(tmp_path / f"{name}.sqlite") as store:
            report = ingest_paths([path], store, scheduler=where)
            stored = sorted(a.url or "" for a in store.articles())
        assert report.units > 4
        (problem,) = report.problems
        assert problem.source == str(path) and "truncated" in problem.reason
        assert f"from byte {offsets[41]:,}" in problem.reason
        assert stored == sorted(f"https://news.example.org/{n}" for n in range(41))


def test_ingest_with_workers_on_the_command_line(tmp_path: Path, repo_root: Path) -> None:
    from click.testing import CliRunner

    from releasewatch.cli import cli

    def run(db: Path, *args: str) -> str:
        result = CliRunner().invoke(cli, ["--db", str(db), "ingest", *args])
        assert result.exit_code == 0, result.output
        return result.output

    examples = str(repo_root / "examples")
    serial = run(tmp_path / "serial.sqlite", examples)
    assert run(tmp_path / "local.sqlite", examples, "--workers", "2") == serial
    assert "new article(s), 0 already known" in serial and "0 problem(s)" in serial
    result = CliRunner().invoke(
        cli, ["--db", str(tmp_path / "x.sqlite"), "ingest", examples, "--workers", "2",
              "--scheduler", "tcp://127.0.0.1:1"],
    )  # fmt: skip
    assert result.exit_code != 0 and "not both" in result.output
    result = CliRunner().invoke(
        cli, ["--db", str(tmp_path / "x.sqlite"), "ingest", examples, "--scheduler", "nowhere"]
    )
    assert result.exit_code == 2 and "cannot reach nowhere" in result.output
