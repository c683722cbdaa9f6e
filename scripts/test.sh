#!/usr/bin/env bash
# Set up (.venv with the dev extras) and run the checks: ruff, mypy on src/, then the whole test
# suite. PostgreSQL cases run when $RELEASEWATCH_TEST_PG names a server (.ci/run starts one),
# and are skipped, saying why, otherwise.
# Extra arguments go to pytest (e.g. bash scripts/test.sh -k store -x).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
setup_venv dev

echo "==> ruff check"
.venv/bin/ruff check src tests benchmarks
echo "==> mypy src"
.venv/bin/mypy
echo "==> pytest"
status=0
.venv/bin/python -m pytest tests "$@" || status=$?
if [ "$status" -eq 5 ]; then
    echo "error: pytest collected no tests" >&2
    exit 1
fi
exit "$status"
