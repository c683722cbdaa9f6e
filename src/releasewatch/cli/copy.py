"""`releasewatch copy`: move a ledger from one database to another."""

from __future__ import annotations

import click

from ..store import describe, open_store
from ..store.copy import copy_ledger
from .output import EXIT_PROBLEMS, terminal


@click.command()
@click.option("--from", "source", required=True, metavar="PATH|URL", help="The ledger to copy.")
@click.option("--to", "target", required=True, metavar="PATH|URL", help="An empty (or new) ledger.")
def copy(source: str, target: str) -> None:
    """Copy a whole ledger into an empty one (SQLite to PostgreSQL, say), then compare counts.

    Articles, reports, problems, the resolved ledger and the persons' hand merges, splits and
    protections all go across, in one transaction. Exits 1 if the counts differ afterwards.

    \b
    Example:
      releasewatch copy --from sqlite:///srv/ledger.sqlite --to postgresql://rw@dbhost/ledger
    """
    with open_store(source, read_only=True) as src, open_store(target) as dst:
        report = copy_ledger(src, dst)
    out = terminal()
    for name, (before, after) in report.counts.items():
        mark = "" if before == after else "  [bold red]differs[/]"
        out.print(f"{name}: {before} → {after}{mark}")
    out.print(f"copied {describe(source)} to {describe(target)}")
    if not report.ok:
        raise SystemExit(EXIT_PROBLEMS)
