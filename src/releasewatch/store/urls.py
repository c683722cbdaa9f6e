"""Ledger URLs as messages show them (apart from the PostgreSQL backend, so that naming a
ledger imports no database driver)."""

from __future__ import annotations

import re

_PASSWORD = re.compile(r"(://[^:/@]*):[^@/]*@")


def redact_url(url: str) -> str:
    """A database URL without its password, fit for messages."""
    return _PASSWORD.sub(r"\1:***@", url)
