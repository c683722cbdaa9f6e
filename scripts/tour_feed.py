"""A local news site for the README tour: serves scripts/tour-feed/ (a feed and an article of
ours) and the examples under /examples/, on 127.0.0.1 only, and takes webhook POSTs at /hook,
appending each body to a JSON-lines file.

Run: python scripts/tour_feed.py PORT EXAMPLES_DIR HOOKS_FILE   (until killed)
"""

from __future__ import annotations

import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).with_name("tour-feed")
TYPES = {".xml": "application/rss+xml", ".html": "text/html; charset=utf-8",
         ".txt": "text/plain; charset=utf-8"}  # fmt: skip


def main(port: int, examples: Path, hooks: Path) -> None:
    """Serve until killed."""

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            pass

        def do_GET(self) -> None:
            name = self.path.split("?", 1)[0].lstrip("/")
            base, rest = (examples, name[len("examples/") :]) if name.startswith(
                "examples/") else (ROOT, name)  # fmt: skip
            path = (base / rest).resolve()
            if rest in ("", ".") or base.resolve() not in path.parents or not path.is_file():
                self.send_error(404)
                return
            body = path.read_bytes()
            self.send_response(200)
            self.send_header("Content-Type", TYPES.get(path.suffix, "application/octet-stream"))
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("content-length") or 0))
            with hooks.open("ab") as out:
                out.write(body + b"\n")
            self.send_response(204)
            self.end_headers()

    ThreadingHTTPServer(("127.0.0.1", port), Handler).serve_forever()


if __name__ == "__main__":
    main(int(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3]))
