#!/usr/bin/env bash
# Set everything up and run the main job: ingest the bundled example articles into a local
# SQLite ledger (./releasewatch.sqlite, or $RELEASEWATCH_DB) and print the ledger.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
setup_venv

echo "==> releasewatch ingest examples/"
status=0
.venv/bin/releasewatch ingest examples/ || status=$?  # still print the ledger, then fail
echo
echo "==> releasewatch articles"
.venv/bin/releasewatch articles
echo
echo "==> releasewatch timeline   (the ledger: one row per happening, with its sources)"
.venv/bin/releasewatch timeline
exit "$status"
