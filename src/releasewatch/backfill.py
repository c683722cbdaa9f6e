"""Reading work units on a Dask cluster: a LocalCluster on this machine, or a running scheduler.

The client (this process) submits the units of an ingest a few at a time, takes their compact
results as they finish and hands them back in unit order, so that the one writer stores them
exactly as a serial ingest would. A task that raises is retried by Dask (`TASK_RETRIES`), and a
task whose worker died is rescheduled on another; a result is stored only once, when the task
returns, so neither loses or duplicates an article. A unit that still fails becomes a problem
naming it (its byte range or files), and the ingest goes on.

The workers need releasewatch installed and the input paths readable under the same names
(a shared or copied folder).
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Iterator, Sequence
from importlib.util import find_spec
from typing import Any

from .errors import InputError
from .ingest.partition import WorkUnit, unit_key
from .pipeline import Problem, UnitResult

TASK_RETRIES = 2  # a task that raises runs up to three times before its unit is a problem
# Units submitted ahead of the oldest one not yet stored, per worker thread: enough that no
# worker waits while one slow unit holds up storing, few enough that results waiting to be
# stored stay a few units' worth of memory in the client.
AHEAD_PER_THREAD = 4
# Dask workers sample their own call stacks and keep an hour of those profiles: with the deep
# stacks of parsing and extraction that grew a worker by ~2 MB a work unit (250 MB to 317 MB in
# 33 units, flat at 230 MB without it; measured on the back-fill benchmark's archive). Off.
#
# Dask's other defaults suit sub-second tasks watched on a dashboard; a unit here is seconds of
# CPU (`partition.RANGE_BYTES`), one at a time per worker, and on a machine whose every core
# runs a worker each poll is taken from the workers. With the defaults an idle 2-worker
# LocalCluster used 0.046 CPU s/s in the client (scheduler and nannies) and 0.021 in each
# worker; with the event loop's health tick every 1 s (not 20 ms), the system monitor every 5 s
# (not 0.5 s), the memory monitor every 1 s (not 0.1 s; the nanny still ends a worker past 95 %
# of its memory limit), the cluster's repr every 5 s and no work stealing (units are queued on
# the scheduler and given out one by one, so there is nothing to steal): 0.010 and 0.004
# (measured over 30 s on this 2-core machine, load ~4 from other sessions).
CLUSTER_CONFIG: dict[str, object] = {
    "distributed.worker.profile.enabled": False,
    "distributed.admin.tick.interval": "1s",
    "distributed.admin.system-monitor.interval": "5s",
    "distributed.worker.memory.monitor-interval": "1s",
    "distributed.deploy.cluster-repr-interval": "5s",
    "distributed.scheduler.work-stealing": False,
}
# The nanny starts each worker with MALLOC_TRIM_THRESHOLD_=65536, which fixes glibc's mmap
# threshold at 128 kB: every parsed page's large buffers are mapped and unmapped anew. Reading
# 4 units of the benchmark's archive so took 1.2 system CPU s (430,000 page faults) against
# 0.25 s (69,000) with glibc's own adaptive thresholds, as a serial ingest has them; a worker's
# peak memory stays flat without it (290 MB at 2,000 records, 286-294 MB at 5,000; a serial
# ingest's 277 MB).
UNSET_WORKER_ENV = ("MALLOC_TRIM_THRESHOLD_",)


def cluster_config() -> dict[str, object]:
    """The Dask settings of an ingest's cluster (CLUSTER_CONFIG, and the workers' environment
    without UNSET_WORKER_ENV)."""
    import dask

    spawn = dask.config.get("distributed.nanny.pre-spawn-environ", {}) or {}
    environ = {k: v for k, v in spawn.items() if k not in UNSET_WORKER_ENV}
    return {**CLUSTER_CONFIG, "distributed.nanny.pre-spawn-environ": environ}


def cluster_environ() -> dict[str, str]:
    """`cluster_config` as the environment variables that set it in a `dask scheduler` or
    `dask worker` started by hand."""
    return {
        "DASK_" + key.upper().replace(".", "__").replace("-", "_"):
        value if isinstance(value, str) else repr(value)
        for key, value in cluster_config().items()
    }  # fmt: skip


def local_cluster(workers: int) -> Any:
    """A new LocalCluster of `workers` processes (1 thread each) with `cluster_config`."""
    import dask
    from distributed import LocalCluster

    with dask.config.set(cluster_config()):  # the nannies keep it for the workers they start
        return LocalCluster(
            n_workers=workers,
            threads_per_worker=1,  # parsing and extracting are pure Python
            processes=True,
            # a dashboard only where bokeh is installed, on a free port
            dashboard_address=":0" if find_spec("bokeh") else None,
            silence_logs=logging.ERROR,
        )


class Cluster:
    """A Dask client for one ingest: on a new LocalCluster of `workers` processes, or on the
    running cluster whose scheduler is at `scheduler` (tcp://host:8786)."""

    def __init__(self, *, workers: int | None = None, scheduler: str | None = None) -> None:
        import dask
        from distributed import Client

        if (workers is None) == (scheduler is None):
            raise InputError("--workers/--scheduler", "give one of them, not both")
        self._local: Any = None
        try:
            if scheduler is not None:
                self.client = Client(scheduler, timeout="10s")
            else:
                if workers is None or workers < 1:
                    raise InputError("--workers", f"needs at least 1 worker, got {workers}")
                self._local = local_cluster(workers)
                with dask.config.set(cluster_config()):
                    self.client = Client(self._local)
        except (OSError, TimeoutError, ValueError) as exc:  # ValueError: a malformed address
            self.close()
            where = scheduler or "a local cluster"
            raise InputError("--scheduler" if scheduler else "--workers",
                             f"cannot reach {where}: {exc}") from exc  # fmt: skip

    @property
    def dashboard(self) -> str | None:
        """The cluster's dashboard address, when it serves one."""
        if self._local is not None and not find_spec("bokeh"):
            return None  # a LocalCluster serves none without bokeh
        try:
            return str(self.client.dashboard_link)
        except (AttributeError, KeyError):
            return None

    def threads(self) -> int:
        """Worker threads in the cluster (at least 1)."""
        return max(1, sum(self.client.nthreads().values()))

    def results(
        self, units: Sequence[WorkUnit], work: Callable[[WorkUnit], UnitResult]
    ) -> Iterator[tuple[WorkUnit, UnitResult]]:
        """Each unit with its result, in unit order, while the cluster works ahead."""
        from distributed import as_completed

        token = uuid.uuid4().hex[:8]
        ahead = AHEAD_PER_THREAD * self.threads()
        waiting: dict[Any, int] = {}
        finished: dict[int, UnitResult] = {}
        pending = as_completed()
        submitted = stored = 0
        while stored < len(units):
            while submitted < len(units) and submitted - stored < ahead:
                unit = units[submitted]
                future = self.client.submit(
                    work, unit, key=f"releasewatch-{token}-{submitted:06d}-{unit_key(unit)}",
                    retries=TASK_RETRIES, pure=False,
                )  # fmt: skip
                waiting[future.key] = submitted
                pending.add(future)
                submitted += 1
            if stored not in finished:
                future = next(pending)
                index = waiting.pop(future.key)
                finished[index] = _outcome(future, units[index])
                future.release()
                continue
            yield units[stored], finished.pop(stored)
            stored += 1

    def close(self) -> None:
        """Close the client (and the LocalCluster this made)."""
        client = getattr(self, "client", None)
        if client is not None:
            client.close()
        if self._local is not None:
            self._local.close()


def _outcome(future: Any, unit: WorkUnit) -> UnitResult:
    """A finished task's result; a task that failed for good, as a problem naming its unit."""
    try:
        result = future.result()
    except Exception as exc:  # the task's own error, or KilledWorker
        reason = str(exc) or type(exc).__name__
        return UnitResult(
            (Problem(unit.label, f"work unit failed after {TASK_RETRIES + 1} tries: "
                                 f"{type(exc).__name__}: {reason}"),)
        )  # fmt: skip
    if not isinstance(result, UnitResult):
        return UnitResult((Problem(unit.label, f"work unit gave {type(result).__name__}"),))
    return result
