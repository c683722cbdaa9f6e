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


class WithheldError(NotFoundError):
    """The thing asked for exists but is withheld from this caller (a protected person).

    Its message is the one a caller who may not know gets (the same as for nothing there);
    `hint` says what the operator can do.
    """

    def __init__(self, message: str, hint: str) -> None:
        super().__init__(message)
        self.hint = hint
