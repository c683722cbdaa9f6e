"""Who may see protected names and write: the holder of the operator's token.

A token is presented as a Bearer header (API writes, scripts) or once on the login form, which
starts a session: a random cookie value whose hash is stored in the ledger with an expiry,
ended by signing out. Failed tokens are throttled per client.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
import time
from collections import OrderedDict, deque
from collections.abc import Callable

from fastapi import HTTPException, Request

from ..store import Store

COOKIE = "rw_session"
SESSION_SECONDS = 8 * 3600  # a sign-in lasts a working day; signing out ends it sooner
# Failed tokens one client may present within FAILURE_WINDOW_S before it must wait: a person
# mistyping gets five tries, a guesser a few hundred a day instead of thousands a second.
MAX_FAILURES = 5
FAILURE_WINDOW_S = 300.0
MAX_CLIENTS = 10_000  # clients whose failures are remembered; the oldest are forgotten first
HOLDER_STATE = "releasewatch.holder"  # where the request guard leaves its verdict on a request


class Throttled(Exception):
    """A client presented too many wrong tokens: no token is checked until `retry_after`."""

    def __init__(self, retry_after: float) -> None:
        super().__init__(f"too many wrong tokens: try again in {int(retry_after) + 1} s")
        self.retry_after = int(retry_after) + 1


class Throttle:
    """Failed token attempts per client in a sliding window (per server process)."""

    def __init__(
        self,
        max_failures: int = MAX_FAILURES,
        window: float = FAILURE_WINDOW_S,
        clock: Callable[[], float] = time.monotonic,
        max_clients: int = MAX_CLIENTS,
    ) -> None:
        self.max_failures = max_failures
        self.window = window
        self.clock = clock
        self.max_clients = max_clients
        self._failures: OrderedDict[str, deque[float]] = OrderedDict()
        self._lock = threading.Lock()

    def _recent(self, client: str, now: float) -> deque[float] | None:
        """The client's failures inside the window (older ones dropped)."""
        times = self._failures.get(client)
        if times is None:
            return None
        while times and times[0] <= now - self.window:
            times.popleft()
        if not times:
            del self._failures[client]
            return None
        return times

    def check(self, client: str) -> None:
        """Raise Throttled while the client has used up its failures."""
        with self._lock:
            now = self.clock()
            times = self._recent(client, now)
            if times is not None and len(times) >= self.max_failures:
                raise Throttled(times[0] + self.window - now)

    def failed(self, client: str) -> None:
        """Count a wrong token from the client."""
        with self._lock:
            now = self.clock()
            times = self._recent(client, now) or deque()
            times.append(now)
            self._failures[client] = times
            self._failures.move_to_end(client)
            while len(self._failures) > self.max_clients:
                self._failures.popitem(last=False)

    def succeeded(self, client: str) -> None:
        """Forget the client's failures (it holds the token)."""
        with self._lock:
            self._failures.pop(client, None)


def client_of(request: Request) -> str:
    """The address a request came from (the socket's peer: proxy headers are not trusted)."""
    return request.client.host if request.client else "unknown"


def _session_key(value: str) -> str:
    """What the ledger stores of a cookie value: its SHA-256."""
    return hashlib.sha256(value.encode()).hexdigest()


class Access:
    """The operator's token, the sessions it starts, and checks of a request against both."""

    def __init__(
        self,
        token: str | None,
        store: Store | None = None,
        *,
        clock: Callable[[], float] = time.time,
        throttle: Throttle | None = None,
    ) -> None:
        self.token = token or None
        self.store = store
        self.clock = clock
        self.throttle = throttle or Throttle()

    def token_matches(self, candidate: str | None) -> bool:
        """Whether `candidate` is the operator's token (constant-time)."""
        if self.token is None or not candidate:
            return False
        return hmac.compare_digest(str(candidate).encode(), self.token.encode())

    def check_token(self, client: str, candidate: str | None) -> bool:
        """Whether `candidate` is the token, counting a wrong one against the client;
        Throttled (and nothing checked) while the client has used up its failures."""
        self.throttle.check(client)
        if self.token_matches(candidate):
            self.throttle.succeeded(client)
            return True
        self.throttle.failed(client)
        return False

    def bearer(self, request: Request) -> str | None:
        """The Bearer token of the request's Authorization header, if any."""
        scheme, _, value = request.headers.get("authorization", "").partition(" ")
        return value.strip() if scheme.lower() == "bearer" else None

    # ------------------------------------------------------------ sessions

    def _tag(self, key: str) -> str:
        """The session's tie to the current token (a new token voids older sessions)."""
        assert self.token is not None
        return hmac.new(self.token.encode(), key.encode(), hashlib.sha256).hexdigest()

    def start_session(self) -> str:
        """A new session for the token holder: the cookie value (random; only its hash kept)."""
        if self.token is None or self.store is None:
            raise RuntimeError("sessions need a token and a ledger")
        value = secrets.token_urlsafe(32)
        key = _session_key(value)
        now = int(self.clock())
        self.store.add_session(key, self._tag(key), now, now + SESSION_SECONDS)
        return value

    def session_valid(self, value: str | None) -> bool:
        """Whether a cookie value names a live session made under the current token."""
        if not value or self.token is None or self.store is None or len(value) > 200:
            return False
        key = _session_key(value)
        tag = self.store.session_tag(key, int(self.clock()))
        return tag is not None and hmac.compare_digest(tag, self._tag(key))

    def end_session(self, value: str | None) -> None:
        """End the session a cookie value names (signing out)."""
        if value and self.store is not None and len(value) <= 200:
            self.store.end_session(_session_key(value))

    # ------------------------------------------------------------ requests

    def is_holder(self, request: Request) -> bool:
        """Whether the request carries the token (Bearer header or a live session cookie).

        Behind the request guard this is its verdict (reached once, throttled).
        """
        if self.token is None:
            return False
        verdict = request.scope.get("state", {}).get(HOLDER_STATE)
        if verdict is not None:
            return bool(verdict)
        bearer = self.bearer(request)
        if bearer is not None:
            return self.token_matches(bearer)
        return self.session_valid(request.cookies.get(COOKIE))

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
