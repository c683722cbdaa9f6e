"""Every exception releasewatch raises, in one place (as httpx keeps its own)."""

from __future__ import annotations


class ReleasewatchError(Exception):
    """Base of every error the library raises on purpose."""


class InputError(ReleasewatchError):
    """An input (file, record, page) could not be read; names the source and the reason."""

    def __init__(self, source: str, reason: str) -> None:
        super().__init__(f"{source}: {reason}")
        self.source = source
        self.reason = reason


class LexiconError(ReleasewatchError):
    """A lexicon or pattern file is malformed; names the file and the key."""


class StoreError(ReleasewatchError):
    """The ledger database could not be opened, migrated or written."""


class NotFoundError(ReleasewatchError):
    """A requested event, article or person does not exist in the ledger."""


class FetchError(InputError):
    """A URL could not be fetched; names the URL and the reason.

    `transient` says whether a later try may succeed (a time-out, a server error, a host that
    asked us to wait); `retry_after` is how long the server asked us to wait, in seconds.
    """

    transient = False

    def __init__(
        self, url: str, reason: str, *, status: int | None = None, retry_after: float | None = None
    ) -> None:
        super().__init__(url, reason)
        self.url = url
        self.status = status
        self.retry_after = retry_after


class AddressRefused(FetchError):
    """A URL that is not http(s), or whose host is (or resolves to) a private address."""


class ResponseTooLarge(FetchError):
    """A response over the size limit (as stated, as received or as decompressed)."""


class TooManyRedirects(FetchError):
    """A redirect loop, or more redirects than allowed."""


class UnwantedContent(FetchError):
    """A response of a content type (or content encoding) the fetcher does not read."""


class RobotsRefused(FetchError):
    """The site's robots.txt does not let releasewatch fetch the URL."""


class FetchTimeout(FetchError):
    """A connection, a read or the whole download took too long."""

    transient = True


class HTTPStatusError(FetchError):
    """The server answered with an error status (4xx, 5xx)."""

    def __init__(
        self, url: str, reason: str, *, status: int, retry_after: float | None = None
    ) -> None:
        super().__init__(url, reason, status=status, retry_after=retry_after)
        self.transient = status >= 500 or status in (408, 425, 429)


class NetworkError(FetchError):
    """The host could not be reached (DNS, connection refused or reset), or asked us to wait."""

    transient = True


class WithheldError(NotFoundError):
    """The thing asked for exists but is withheld from this caller (a protected person).

    Its message is the one a caller who may not know gets (the same as for nothing there);
    `hint` says what the operator can do.
    """

    def __init__(self, message: str, hint: str) -> None:
        super().__init__(message)
        self.hint = hint
