"""Back-fill throughput and memory: a WARC.gz of 20,000 articles ingested serially and on Dask.

Not a test. Builds a WARC.gz (one gzip member per record, as crawlers write them) of --articles
HTML responses: about 1 % are the shared corpus's articles (../shared/corpus/*/*.txt, set as
pages), the rest the 181 pages of ../shared/bench/article-extraction/html, each copy with a
sentence of its own at the end of a paragraph its parsed body keeps and an address of its own,
so every record is a distinct article (a sentence put in a paragraph the parser drops made
copies of 57 of the 181 pages the same article, which a serial ingest skips as known and a
worker, which cannot ask the ledger, extracts). Then, each run in a fresh process, into a
fresh SQLite ledger:

- serial: `ingest_paths` in this process, at the small size (--small, default 5,000);
- 2 workers: a Dask LocalCluster of 2 worker processes (1 thread each), at both sizes;
- scheduler: a `dask scheduler` and `dask worker --nworkers 2` started separately on 127.0.0.1
  (the `--scheduler` path), at the small size.

It prints articles/s, the speed-up over serial, the peak memory (resident set) of each worker
and of the client (MB), the CPU seconds each process used (`sch+n.`: those of the separately
started scheduler and of the `dask worker` process holding the nannies; a LocalCluster's are
the client's), the time of the ledger rebuild at the end and the 1-minute load average when
the run ended. The machine has 2 cores, so with 2 workers the client (planning, storing,
the scheduler) shares them; and other work on a shared machine bends wall-clock figures, so
it also prints how much work 2 processes of pure Python got done against 1 (before and after
the runs), and `cpu-x`: the speed-up the CPU times allow on two free cores (see `_row`).

Run: .venv/bin/python benchmarks/backfill_bench.py [--articles 20000] [--small 5000] [--keep DIR]
"""

from __future__ import annotations

import argparse
import gzip
import io
import json
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
PAGES = SHARED / "bench" / "article-extraction" / "html"
CORPUS = SHARED / "corpus"
CORPUS_SHARE = 100  # one record in this many is a corpus article (~1 %)
_PARA_END = re.compile(r"<p\b[^>]*>(.*?)</p\s*>", re.S | re.I)


def peak_rss_mb() -> float:
    """Peak resident set size of this process in MB (ru_maxrss is KB on Linux)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _in_body(html: str) -> int | None:
    """An offset in the page where a sentence lands in its parsed body: the end of the
    longest body paragraph that takes one (tried by parsing); None if none does."""
    from releasewatch.model import RawDocument
    from releasewatch.parse import parse

    def body(page: str) -> str:
        return parse(RawDocument(source="bench", text=page, kind="html")).text

    probe = " Archive copy 0 of the back-fill benchmark."
    for para in sorted(body(html).split("\n\n"), key=len, reverse=True)[:8]:
        tail = para.strip()[-30:]
        if len(tail) < 12:
            continue
        for found in re.finditer(re.escape(tail), html):  # also in metadata, scripts, ...
            at = found.end()
            if probe.strip() in body(html[:at] + probe + html[at:]):
                return at
    return None


def _bench_pages() -> list[tuple[str, int]]:
    """Each benchmark page, with the offset where a sentence of its own goes: the end of a
    paragraph its parsed body keeps (else of its longest paragraph, else of the page), so
    that each copy is a distinct article, not one a serial ingest skips as a known body."""
    found = []
    for path in sorted(PAGES.glob("*.html.gz")):
        html = gzip.decompress(path.read_bytes()).decode("utf-8", "replace")
        at = _in_body(html)
        if at is None:
            best = max(_PARA_END.finditer(html), key=lambda m: len(m.group(1)), default=None)
            at = best.end(1) if best else len(html)
        found.append((html, at))
    if not found:
        raise SystemExit(f"no pages in {PAGES}")
    return found


def _corpus_pages() -> list[str]:
    """The shared corpus's articles as simple pages (title, then one <p> a paragraph)."""
    pages = []
    for path in sorted(CORPUS.glob("*/*.txt")):
        text = path.read_text(encoding="utf-8")
        title, _, body = text.strip().partition("\n")
        paras = "".join(f"<p>{p.strip()}</p>\n" for p in body.split("\n\n") if p.strip())
        pages.append(
            f"<html><head><title>{title}</title></head><body><article><h1>{title}</h1>"
            f"{paras}</article></body></html>"
        )
    if not pages:
        raise SystemExit(f"no articles in {CORPUS}")
    return pages


def build_warc(path: Path, count: int) -> dict[str, int]:
    """Write the archive; how many records of each origin it holds."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    bench, corpus = _bench_pages(), _corpus_pages()
    made = {"corpus": 0, "bench": 0}
    with path.open("wb") as out:
        writer = WARCWriter(out, gzip=True)
        for i in range(count):
            note = f" Archive copy {i + 1} of the back-fill benchmark."
            if i % CORPUS_SHARE == CORPUS_SHARE // 2:
                page = corpus[made["corpus"] % len(corpus)]
                html = page.replace("</article>", f"<p>{note.strip()}</p></article>")
                made["corpus"] += 1
            else:
                page, at = bench[made["bench"] % len(bench)]
                html = page[:at] + note + page[at:]
                made["bench"] += 1
            headers = StatusAndHeaders(
                "200 OK", [("Content-Type", "text/html; charset=utf-8")], "HTTP/1.1"
            )
            record = writer.create_warc_record(
                f"https://archive.example.org/{i:06d}", "response",
                payload=io.BytesIO(html.encode("utf-8")), http_headers=headers,
            )  # fmt: skip
            writer.write_record(record)
    return made


# ---------------------------------------------------------------- one run (in its own process)


def _cpu() -> float:
    """CPU seconds (user and system) this process has used."""
    use = resource.getrusage(resource.RUSAGE_SELF)
    return use.ru_utime + use.ru_stime


def _worker_use() -> tuple[float, float]:
    """Peak resident set (MB) and CPU seconds of the calling worker process."""
    import resource as res

    use = res.getrusage(res.RUSAGE_SELF)
    return use.ru_maxrss / 1024, use.ru_utime + use.ru_stime


def one_run(mode: str, archive: Path, db: Path, scheduler: str | None) -> dict[str, Any]:
    """Ingest the archive in one mode; the figures of the run."""
    from releasewatch import ledger, pipeline
    from releasewatch.store import SQLiteStore

    timed: dict[str, float] = {}
    rebuild = ledger.rebuild

    def timed_rebuild(store: Any) -> Any:
        start = time.perf_counter()
        result = rebuild(store)
        timed["rebuild"] = time.perf_counter() - start
        return result

    ledger.rebuild = timed_rebuild  # pipeline imports the module on use: patch the module
    workers: list[tuple[float, float]] = []
    local = client = None
    cpu_before = _cpu()
    if mode == "local":
        from releasewatch.backfill import local_cluster

        local = local_cluster(2)  # as `ingest --workers 2` makes it
        scheduler = local.scheduler_address
    if scheduler is not None:
        import dask
        from distributed import Client

        from releasewatch.backfill import cluster_config

        with dask.config.set(cluster_config()):
            client = Client(scheduler)
    start = time.perf_counter()
    with SQLiteStore(db) as store:
        report = pipeline.ingest_paths([archive], store, scheduler=scheduler)
        counts = store.counts()
    wall = time.perf_counter() - start
    client_cpu = _cpu() - cpu_before
    if client is not None:
        workers = sorted(client.run(_worker_use).values())
        client.close()
    if local is not None:
        local.close()
    articles = report.articles_new + report.articles_offtopic + report.articles_known
    return {
        "mode": mode,
        "wall": wall,
        "articles": articles,
        "rate": articles / wall,
        "on_topic": report.articles_new,
        "offtopic": report.articles_offtopic,
        "events": report.events,
        "problems": len(report.problems),
        "units": report.units,
        "mentions": counts.mentions,
        "rebuild": timed.get("rebuild"),
        "client_mb": peak_rss_mb(),
        "client_cpu": client_cpu,
        "workers_mb": [mb for mb, _ in workers],
        "workers_cpu": [cpu for _, cpu in workers],
        "others_cpu": [],  # processes of a cluster started apart (see `_process_cpu`)
        "load": os.getloadavg()[0],
    }


def _spawn(mode: str, archive: Path, db: Path, scheduler: str | None = None) -> dict[str, Any]:
    """One run in a fresh process (so each peak is that run's)."""
    cmd = [sys.executable, __file__, "--run", mode, "--archive", str(archive), "--db", str(db)]
    if scheduler:
        cmd += ["--scheduler", scheduler]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def _external_cluster(folder: Path) -> tuple[str, list[subprocess.Popen[bytes]]]:
    """A `dask scheduler` and a `dask worker` (2 processes, 1 thread each) on 127.0.0.1, with
    the settings `ingest --workers` gives its LocalCluster (`backfill.cluster_environ`)."""
    from releasewatch.backfill import cluster_environ

    env = {**os.environ, **cluster_environ()}
    dask = shutil.which("dask", path=str(Path(sys.executable).parent)) or "dask"
    file = folder / "scheduler.json"
    log = (folder / "cluster.log").open("wb")
    scheduler = subprocess.Popen(
        [dask, "scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
         "--scheduler-file", str(file)],
        stdout=log, stderr=log, env=env,
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while not file.exists() and time.monotonic() < deadline:
        time.sleep(0.2)
    address = json.loads(file.read_text())["address"]
    worker = subprocess.Popen(
        [dask, "worker", address, "--nworkers", "2", "--nthreads", "1", "--no-dashboard",
         "--host", "127.0.0.1"],
        stdout=log, stderr=log, env=env,
    )  # fmt: skip
    from distributed import Client

    with Client(address, timeout="60s") as client:
        client.wait_for_workers(2, timeout=120)
    return address, [worker, scheduler]


def _process_cpu(proc: subprocess.Popen[bytes]) -> float:
    """CPU seconds (user and system) a running process has used, not its children's."""
    import psutil

    times = psutil.Process(proc.pid).cpu_times()
    return float(times.user + times.system)


def _spin(n: int) -> float:
    """Seconds of a pure-Python loop of n steps."""
    start = time.perf_counter()
    total = 0
    for i in range(n):
        total += i * i
    return time.perf_counter() - start


def capacity(steps: int = 30_000_000) -> float:
    """How much more work 2 processes did than 1 in the same time, just now (2.0 on two free
    cores; less when the cores are shared, as they are with other sessions on this machine)."""
    from concurrent.futures import ProcessPoolExecutor

    alone = _spin(steps)
    with ProcessPoolExecutor(2) as pool:
        start = time.perf_counter()
        list(pool.map(_spin, [steps, steps]))
        together = time.perf_counter() - start
    return 2 * alone / together


def _row(name: str, r: dict[str, Any], serial: dict[str, Any] | None) -> str:
    """One printed line of results.

    Besides the wall-clock speed-up, which a shared machine bends, the speed-up the CPU time
    allows on two free cores: serial CPU time over the longer of the busiest worker's CPU time
    and half of all CPU time of the run (workers, client, and the scheduler and nannies of a
    cluster started apart; a LocalCluster's run in the client), per article.
    """
    speed = bound = "-"
    if serial:
        speed = f"{r['rate'] / serial['rate']:.2f}x"
        if r["workers_cpu"]:
            total = sum(r["workers_cpu"]) + r["client_cpu"] + sum(r["others_cpu"])
            used = max(max(r["workers_cpu"]), total / 2)
            per = serial["client_cpu"] / serial["articles"]
            bound = f"{per * r['articles'] / used:.2f}x"
    workers = ", ".join(f"{w:.0f}" for w in r["workers_mb"]) or "-"
    cpu = "+".join(f"{c:.0f}" for c in r["workers_cpu"]) or "-"
    others = "+".join(f"{c:.0f}" for c in r["others_cpu"]) or "-"
    rebuild = f"{r['rebuild']:.1f}" if r["rebuild"] is not None else "-"
    return (
        f"{name:<22} {r['articles']:>7,} {r['wall']:>7.1f} {r['rate']:>6.1f} {speed:>6} "
        f"{bound:>6} {r['client_mb']:>6.0f} {workers:>9} {r['client_cpu']:>6.0f} {cpu:>9} "
        f"{others:>6} {rebuild:>7} {r['load']:>5.1f}  {r['on_topic']:,} on-topic, "
        f"{r['mentions']:,} mentions, {r['units']} units"
    )


def main() -> None:
    """Build the archives, run every mode, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=20_000)
    parser.add_argument("--small", type=int, default=5_000)
    parser.add_argument("--keep", type=Path, help="folder for the archives (kept afterwards)")
    parser.add_argument("--serial-only", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--run", help=argparse.SUPPRESS)
    parser.add_argument("--archive", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--db", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--scheduler", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.run:
        print(json.dumps(one_run(args.run, args.archive, args.db, args.scheduler)))
        return
    if not PAGES.is_dir() or not CORPUS.is_dir():
        raise SystemExit(f"needs ../shared beside the repository ({SHARED})")
    folder = args.keep or Path(tempfile.mkdtemp(prefix="rw-backfill-"))
    folder.mkdir(parents=True, exist_ok=True)
    archives = {}
    for n in sorted({args.small, args.articles}):
        archives[n] = folder / f"archive-{n}.warc.gz"
        if not archives[n].exists():
            start = time.perf_counter()
            made = build_warc(archives[n], n)
            size = archives[n].stat().st_size / 1024 / 1024
            took = time.perf_counter() - start
            print(
                f"built {archives[n].name}: {made['corpus']} corpus + {made['bench']} bench "
                f"records, {size:,.0f} MB, {took:.0f} s",
                flush=True,
            )
    print(f"{os.cpu_count()} cores; ledger: a fresh SQLite file per run", flush=True)
    print(f"2 processes did {capacity():.2f}x the work of 1 (the ceiling of any speed-up)")
    header = (
        f"{'run':<22} {'records':>7} {'wall s':>7} {'art/s':>6} {'speed':>6} {'cpu-x':>6} "
        f"{'cl. MB':>6} {'wk. MB':>9} {'cl. s':>6} {'wk. cpu s':>9} {'sch+n.':>6} "
        f"{'resolve':>7} {'load':>5}"
    )
    print(header, flush=True)
    small = archives[args.small]
    serial = _spawn("serial", small, folder / "serial.sqlite")
    print(_row(f"serial {args.small:,}", serial, None), flush=True)
    if args.serial_only:
        return
    for n, archive in archives.items():
        r = _spawn("local", archive, folder / f"local-{n}.sqlite")
        print(_row(f"2 workers {n:,}", r, serial), flush=True)
    address, procs = _external_cluster(folder)
    try:
        r = _spawn("scheduler", small, folder / "external.sqlite", address)
        r["others_cpu"] = [_process_cpu(proc) for proc in procs]  # the nannies', scheduler's
        print(_row(f"dask scheduler {args.small:,}", r, serial), flush=True)
    finally:
        for proc in procs:
            proc.terminate()
            proc.wait(timeout=60)
    print(f"2 processes did {capacity():.2f}x the work of 1 (at the end)")
    for db in folder.glob("*.sqlite*"):
        db.unlink()
    if args.keep is None:
        shutil.rmtree(folder)


if __name__ == "__main__":
    main()
