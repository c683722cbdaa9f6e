"""Who may see protected names and write: the holder of the operator's token."""

from __future__ import annotations

import hashlib
import hmac

from fastapi import HTTPException, Request

COOKIE = "rw_session"


class Access:
    """The operator's token, and checks of a request against it."""

    def __init__(self, token: str | None) -> None:
        self.token = token or None
        self.session = (
            hmac.new(self.token.encode(), b"releasewatch-session", hashlib.sha256).hexdigest()
            if self.token
            else None
        )

    def token_matches(self, candidate: str | None) -> bool:
        """Whether `candidate` is the operator's token (constant-time)."""
        if self.token is None or not candidate:
            return False
        return hmac.compare_digest(str(candidate).encode(), self.token.encode())

    def bearer(self, request: Request) -> str | None:
        """The Bearer token of the request's Authorization header, if any."""
        scheme, _, value = request.headers.get("authorization", "").partition(" ")
        return value.strip() if scheme.lower() == "bearer" else None

    def is_holder(self, request: Request) -> bool:
        """Whether the request carries the token (Bearer header or login cookie)."""
        if self.token is None:
            return False
        if self.token_matches(self.bearer(request)):
            return True
        cookie = request.cookies.get(COOKIE)
        if not cookie:
            return False
        return hmac.compare_digest(cookie.encode(), str(self.session).encode())

    def require_writer(self, request: Request) -> None:
        """Refuse a write unless it carries the token as a Bearer header."""
        if self.token is None:
            raise HTTPException(
                403,
                {"code": "read_only", "message": "this server is read-only: no token configured"},
            )
        if not self.token_matches(self.bearer(request)):
            raise HTTPException(
                401,
                {"code": "unauthorized", "message": "writes need 'Authorization: Bearer <token>'"},
                headers={"WWW-Authenticate": "Bearer"},
            )
