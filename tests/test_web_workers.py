"""`releasewatch serve --workers N`: N processes, each listening on the port with a socket of
its own (so the kernel spreads connections across them), stopped together."""

from __future__ import annotations

import http.client
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from http_server import free_port

from releasewatch.web import sample, workers

pytestmark = pytest.mark.skipif(not workers.available(), reason="SO_REUSEPORT groups: Linux only")


def _listening(port: int) -> int:
    """How many sockets listen on 127.0.0.1:`port` (/proc/net/tcp, state 0A)."""
    rows = Path("/proc/net/tcp").read_text().splitlines()[1:]
    local = f"0100007F:{port:04X}"
    return sum(1 for r in rows if r.split()[1] == local and r.split()[3] == "0A")


def _children(pid: int) -> list[int]:
    """The live child processes of `pid`."""
    found = []
    for entry in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = entry.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid and fields[0] != "Z":
            found.append(int(entry.parent.name))
    return found


def _get(port: int, path: str) -> int:
    """The status of a GET on a new connection."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request("GET", path)
        return conn.getresponse().status
    finally:
        conn.close()


def test_two_workers_listen_apart_answer_and_stop_together(tmp_path: Path) -> None:
    db = tmp_path / "ledger.sqlite"
    sample.build(db, tmp_path / "news")
    port = free_port()
    command = [sys.executable, "-c", "from releasewatch.cli import main; main()", "--db",
               str(db), "serve", "--port", str(port), "--workers", "2"]  # fmt: skip
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 60
        while _listening(port) < 2 and time.monotonic() < deadline and server.poll() is None:
            time.sleep(0.1)
        assert _listening(port) == 2, "two worker sockets, not one shared"
        assert len(_children(server.pid)) >= 2
        assert {_get(port, "/api/events") for _ in range(20)} == {200}
        workers_seen = _children(server.pid)
        os.kill(workers_seen[0], signal.SIGKILL)  # a worker dies: another takes its place
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and (
            _listening(port) < 2 or workers_seen[0] in _children(server.pid)
        ):
            time.sleep(0.1)
        assert _listening(port) == 2
        assert _get(port, "/api/events") == 200
        workers_seen = _children(server.pid)
        server.send_signal(signal.SIGTERM)
        assert server.wait(timeout=30) == 0
        assert _listening(port) == 0
        assert not any(Path(f"/proc/{p}").exists() for p in workers_seen)
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()


def test_a_taken_port_is_a_clear_error(tmp_path: Path) -> None:
    db = tmp_path / "ledger.sqlite"
    sample.build(db, tmp_path / "news")
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run(
            [sys.executable, "-c", "from releasewatch.cli import main; main()", "--db", str(db),
             "serve", "--port", str(port), "--workers", "2"],
            capture_output=True, text=True, timeout=60,
        )  # fmt: skip
    assert result.returncode != 0
    assert f"127.0.0.1:{port}: cannot serve" in result.stderr
    assert "Traceback" not in result.stderr
