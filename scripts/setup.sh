#!/usr/bin/env bash
# Sourced by demo.sh and test.sh: make ./.venv (Python >= 3.11) and install releasewatch into it,
# pinned by pyproject.toml. Re-installs only when pyproject.toml changed since the last install.
# Usage (from the repository root): source scripts/setup.sh; setup_venv [dev]

setup_venv() {
    local extras="${1:-}"
    local python="${PYTHON:-}"
    if [ -z "$python" ]; then
        for candidate in python3.11 python3 python; do
            if command -v "$candidate" >/dev/null 2>&1 \
                && "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
                python="$candidate"
                break
            fi
        done
    fi
    if [ ! -x .venv/bin/python ]; then
        if [ -z "$python" ]; then
            echo "error: releasewatch needs Python 3.11 or newer (set PYTHON=/path/to/python3.11)" >&2
            return 1
        fi
        echo "==> creating .venv with $python"
        "$python" -m venv .venv
    fi
    local want stamp=.venv/.releasewatch-installed
    want="$(.venv/bin/python -c 'import hashlib; print(hashlib.sha256(open("pyproject.toml", "rb").read()).hexdigest())')"
    if [ -f "$stamp" ] && grep -qx "$want ${extras:-base}" "$stamp" \
        && .venv/bin/python -c 'import releasewatch' 2>/dev/null; then
        return 0
    fi
    if [ -z "$extras" ] && [ -f "$stamp" ] && grep -qx "$want dev" "$stamp" \
        && .venv/bin/python -c 'import releasewatch' 2>/dev/null; then
        return 0  # a dev install holds everything the demo needs
    fi
    local target="."
    [ -n "$extras" ] && target=".[$extras]"
    echo "==> installing releasewatch ($target) and its pinned dependencies into .venv"
    .venv/bin/python -m pip install --disable-pip-version-check --quiet --upgrade pip
    .venv/bin/python -m pip install --disable-pip-version-check --quiet -e "$target"
    echo "$want ${extras:-base}" >"$stamp"
}
