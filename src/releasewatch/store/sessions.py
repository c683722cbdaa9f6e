"""The web server's sign-in sessions: the shared SQL of every backend (migration 0007)."""

from __future__ import annotations

from ..errors import StoreError
from .core import Core


class SessionOps(Core):
    """Sessions by the hash of their cookie value, with an expiry."""

    def add_session(self, key: str, token_tag: str, created: int, expires: int) -> None:
        """Record a new session (and forget the sessions that have expired)."""
        try:
            with self._transaction(write=True):
                self._write("DELETE FROM sessions WHERE expires_at <= ?", (created,))
                self._write(
                    "INSERT INTO sessions (id, token_tag, created_at, expires_at)"
                    " VALUES (?, ?, ?, ?)",
                    (key, token_tag, created, expires),
                )
        except self._db_errors as exc:
            raise StoreError(f"{self.label}: cannot record a session: {exc}") from exc

    def session_tag(self, key: str, at: int) -> str | None:
        """The token tag of the session `key` if it is alive at time `at`, else None."""
        rows = self._rows(
            "SELECT token_tag FROM sessions WHERE id = ? AND expires_at > ?", (key, at)
        )
        return str(rows[0][0]) if rows else None

    def end_session(self, key: str) -> None:
        """Forget a session (signing out); nothing when it is unknown."""
        try:
            with self._transaction(write=True):
                self._write("DELETE FROM sessions WHERE id = ?", (key,))
        except self._db_errors as exc:
            raise StoreError(f"{self.label}: cannot end a session: {exc}") from exc
