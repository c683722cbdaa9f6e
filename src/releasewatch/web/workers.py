"""Several server processes on one port, each with a listening socket of its own.

uvicorn's own workers share one listening socket: a burst of new keep-alive connections then
goes mostly to whichever process wakes first and accepts them all (seen with
benchmarks/load.py: 43 of its 50 clients on one of two workers, their requests waiting 68 ms
on average against 9 ms on the other). Here each worker binds its own socket into one
SO_REUSEPORT group, and the kernel spreads new connections across the group evenly. The
parent holds a bound socket of the group that never listens (so the port is taken, and
resolved when 0 was asked for, before any worker starts), starts the workers, starts a new
one when one dies, and stops them all when it is told to stop (SIGINT or SIGTERM).

Linux only: elsewhere SO_REUSEPORT does not spread connections (`available()` says so), and
`serve` keeps uvicorn's workers.
"""

from __future__ import annotations

import multiprocessing
import signal
import socket
import sys
import time
from typing import Any

from ..errors import InputError

RESTART_PAUSE_S = 1.0  # a worker that keeps dying is started again at most once a second
STOP_WAIT_S = 10.0  # how long a stopping worker may finish its requests before it is killed


def available() -> bool:
    """Whether this system spreads connections across a SO_REUSEPORT group (Linux)."""
    return sys.platform.startswith("linux") and hasattr(socket, "SO_REUSEPORT")


def _socket(host: str, port: int) -> socket.socket:
    """A TCP socket bound to host:port in the port's SO_REUSEPORT group (not listening)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
        sock.bind((host, port))
    except OSError:
        sock.close()
        raise
    return sock


def _worker(app: str, options: dict[str, Any]) -> None:
    """One server process: its own socket in the group, uvicorn serving `app` (a factory)."""
    import uvicorn

    sock = _socket(options["host"], options["port"])
    config = uvicorn.Config(app, factory=True, **options)
    uvicorn.Server(config).run(sockets=[sock])


def run(app: str, options: dict[str, Any], workers: int) -> None:
    """Serve the app factory `app` (a "module:function" string) with `workers` processes
    until SIGINT or SIGTERM; `options` are uvicorn's (host and port among them)."""
    try:
        reserved = _socket(options["host"], options["port"])
    except OSError as exc:  # the port is taken, the address is not this machine's...
        raise InputError(f"{options['host']}:{options['port']}", f"cannot serve: {exc}") from exc
    options = {**options, "port": reserved.getsockname()[1]}
    context = multiprocessing.get_context("spawn")
    stopping = False

    def stop(_signum: int, _frame: object) -> None:
        nonlocal stopping
        stopping = True

    previous = {s: signal.signal(s, stop) for s in (signal.SIGINT, signal.SIGTERM)}
    running: list[Any] = []
    started_all, last_start = False, 0.0
    try:
        while not stopping:
            running = [p for p in running if p.is_alive()]
            pause = RESTART_PAUSE_S if started_all else 0.0
            if len(running) < workers and time.monotonic() - last_start >= pause:
                process = context.Process(target=_worker, args=(app, options), daemon=True)
                process.start()
                running.append(process)
                last_start = time.monotonic()
                started_all = started_all or len(running) == workers
                continue
            time.sleep(0.2)
    finally:
        for process in running:
            process.terminate()  # uvicorn stops on SIGTERM, finishing what it was doing
        deadline = time.monotonic() + STOP_WAIT_S
        for process in running:
            process.join(max(0.0, deadline - time.monotonic()))
            if process.is_alive():
                process.kill()
                process.join()
        for signum, handler in previous.items():
            signal.signal(signum, handler)
        reserved.close()
