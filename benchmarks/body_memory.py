"""Server memory under a large request body (a script, not a test): issue 10, item 9.

Starts `releasewatch serve` with a token on a free loopback port over an empty ledger, then
POSTs a body of --mb megabytes to /api/articles, streamed in 1 MB chunks: once without the
token, once with it. Prints the status of each answer, how many bytes the client got to send
before it, and the server's resident memory (VmRSS, from /proc; Linux only) before and after.

    .venv/bin/python benchmarks/body_memory.py [--mb 200]
"""

from __future__ import annotations

import argparse
import http.client
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HOST = "127.0.0.1"
TOKEN = "body-memory-token"
CHUNK = 1024 * 1024


def rss_mb(pid: int) -> float:
    """The process's resident memory in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def free_port() -> int:
    """A free loopback port."""
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


def post(port: int, mb: int, token: str | None) -> tuple[int, int]:
    """POST `mb` MB to /api/articles in chunks; (status, bytes sent before the answer)."""
    conn = http.client.HTTPConnection(HOST, port, timeout=120)
    conn.putrequest("POST", "/api/articles")
    conn.putheader("Content-Type", "application/json")
    conn.putheader("Transfer-Encoding", "chunked")
    if token:
        conn.putheader("Authorization", f"Bearer {token}")
    conn.endheaders()
    sent = 0
    chunk = b'{"text": "' + b"x" * (CHUNK - 10)
    try:
        for _ in range(mb):
            conn.send(f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n")
            sent += len(chunk)
        conn.send(b"0\r\n\r\n")
    except (BrokenPipeError, ConnectionResetError):
        pass  # the server answered and closed before the end: the point
    try:
        status = conn.getresponse().status
    except (http.client.HTTPException, OSError):
        status = 0
    conn.close()
    return status, sent


def main() -> None:
    """Run the measurement and print it."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=int, default=200, help="body size in MB")
    args = parser.parse_args()
    port = free_port()
    with tempfile.TemporaryDirectory() as tmp:
        bin_dir = Path(sys.executable).parent
        server = subprocess.Popen(
            [str(bin_dir / "releasewatch"), "--db", f"{tmp}/ledger.sqlite", "serve",
             "--port", str(port)],
            env={**os.environ, "RELEASEWATCH_TOKEN": TOKEN},
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        try:
            for _ in range(200):
                try:
                    socket.create_connection((HOST, port), timeout=0.2).close()
                    break
                except OSError:
                    time.sleep(0.1)
            print(f"server RSS at start: {rss_mb(server.pid):.0f} MB")
            for label, token in (("without the token", None), ("with the token", TOKEN)):
                status, sent = post(port, args.mb, token)
                print(
                    f"{args.mb} MB {label}: status {status}, {sent / CHUNK:.0f} MB sent, "
                    f"server RSS {rss_mb(server.pid):.0f} MB"
                )
        finally:
            server.terminate()
            server.wait(timeout=30)


if __name__ == "__main__":
    main()
