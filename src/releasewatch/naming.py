"""Names of SCHEMA.md record files: `<stem>.json`, `<stem>-LINE.json` for many-record files."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path

_STEM_SUFFIXES = (".gz", ".txt", ".text", ".html", ".htm", ".xhtml", ".jsonl", ".ndjson")
_RECORD_NUMBER = re.compile(r"(\d+)$")
_PART = re.compile(r"^(?P<file>.+?)(?::\d+|#.*)$")  # "path:LINE", "path#entryN", "path#URI"


def file_stem(path: Path) -> str:
    """A file's name without its .txt/.html/.jsonl/.gz suffixes ("a.html.gz" -> "a")."""
    name = path.name
    stripped = True
    while stripped:
        stripped = False
        for suffix in _STEM_SUFFIXES:
            if name.lower().endswith(suffix) and len(name) > len(suffix):
                name = name[: -len(suffix)]
                stripped = True
    return name


def record_stem(stem: str, path: Path, source: str, ordinal: int) -> str:
    """The stem of one record of a many-record file: stem-LINE (or stem-N for feed entries)."""
    rest = source[len(str(path)) :] if source.startswith(str(path)) else source
    match = _RECORD_NUMBER.search(rest)
    return f"{stem}-{match.group(1) if match else ordinal}"


def record_names(sources: Sequence[str]) -> list[str]:
    """A distinct record name per article source, as `releasewatch extract` names them."""
    files = [m.group("file") if (m := _PART.match(s)) else s for s in sources]
    per_file: dict[str, list[int]] = defaultdict(list)
    for i, file in enumerate(files):
        per_file[file].append(i)
    names = [""] * len(sources)
    used: set[str] = set()
    for file, members in per_file.items():
        stem = file_stem(Path(file))
        for ordinal, i in enumerate(members, start=1):
            name = stem
            if len(members) > 1 or sources[i] != file:
                name = record_stem(stem, Path(file), sources[i], ordinal)
            base, n = name, 1
            while name in used:
                n += 1
                name = f"{base}-{n}"
            used.add(name)
            names[i] = name
    return names
