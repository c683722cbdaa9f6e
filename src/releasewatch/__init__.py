"""releasewatch: a ledger of hostage diplomacy read from raw news."""

__version__ = "0.1.0"
