"""Patterns, lexicons and thresholds kept as data (TOML files), apart from code.

Every file lives in `releasewatch/data/NAME.toml`. A user extends them without touching
code by pointing `RELEASEWATCH_LEXICON_DIR` at a folder holding files of the same names:
lists in a user file are appended to the bundled ones, tables are merged key by key,
scalars replace the bundled value.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Callable
from functools import cache, lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar

from .errors import LexiconError

ENV_VAR = "RELEASEWATCH_LEXICON_DIR"
_F = TypeVar("_F", bound=Callable[..., Any])
_DERIVED: list[Any] = []  # caches of what is compiled from lexicons, cleared by reload()


def _merge(base: Any, extra: Any) -> Any:
    """Merge a user's lexicon value into the bundled one."""
    if isinstance(base, dict) and isinstance(extra, dict):
        merged = dict(base)
        for key, value in extra.items():
            merged[key] = _merge(base[key], value) if key in base else value
        return merged
    if isinstance(base, list) and isinstance(extra, list):
        return base + [item for item in extra if item not in base]
    return extra


def _read(path: Path | Any, label: str) -> dict[str, Any]:
    """Parse one TOML file, naming it in the error when it is malformed."""
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise LexiconError(f"{label}: cannot read lexicon: {exc}") from exc


@cache
def load(name: str) -> dict[str, Any]:
    """The lexicon `name` (bundled `data/NAME.toml`, merged with the user's overlay)."""
    bundled = resources.files("releasewatch") / "data" / f"{name}.toml"
    data = _read(bundled, f"data/{name}.toml")
    overlay_dir = os.environ.get(ENV_VAR)
    if overlay_dir:
        overlay = Path(overlay_dir) / f"{name}.toml"
        if overlay.is_file():
            data = _merge(data, _read(overlay, str(overlay)))
    return data


def derived(func: _F) -> _F:
    """Cache a function that compiles lexicon data, and forget it on `reload()`."""
    cached = cache(func)
    _DERIVED.append(cached)
    return cached  # type: ignore[return-value]


def derived_lru(maxsize: int) -> Callable[[_F], _F]:
    """Like `derived`, with a bounded cache (for results per sentence)."""

    def wrap(func: _F) -> _F:
        cached = lru_cache(maxsize=maxsize)(func)
        _DERIVED.append(cached)
        return cached  # type: ignore[return-value]

    return wrap


def reload() -> None:
    """Forget cached lexicons and all that was compiled from them (after an overlay changes)."""
    load.cache_clear()
    for cached in _DERIVED:
        cached.cache_clear()
