#!/usr/bin/env bash
# Run the README's tour of the commands on the bundled examples (in a temporary folder, with a
# fresh ledger) and print it as Markdown. With --update-readme, replace the tour in README.md
# (between the "tour:start" and "tour:end" markers) with the fresh output.
set -euo pipefail
cd "$(dirname "$0")/.."
repo="$(pwd)"
bin="$repo/.venv/bin/releasewatch"
[ -x "$bin" ] || { echo "error: run bash scripts/demo.sh first (no .venv/bin/releasewatch)" >&2; exit 1; }
work="$(mktemp -d)"
cp -r examples "$work/examples"
export COLUMNS=100 RELEASEWATCH_DB="$work/releasewatch.sqlite"

step() {  # step "what it shows" args...: one fenced block with the command and its output
    local title="$1"
    shift
    printf '%s\n\n```console\n$ releasewatch %s\n' "$title" "$*"
    (cd "$work" && "$bin" "$@" 2>&1) || printf '(exit status %s)\n' "$?"
    printf '```\n\n'
}

feed_pid=""
trap '[ -n "$feed_pid" ] && kill "$feed_pid" 2>/dev/null; rm -rf "$work"' EXIT

watch_tour() {  # a local site serves a feed (a new article of ours, an example) and a webhook
    "$repo/.venv/bin/python" "$repo/scripts/tour_feed.py" 8765 "$work/examples" "$work/hooks.jsonl" &
    feed_pid=$!
    "$repo/.venv/bin/python" - <<'PY'
import socket, time
for _ in range(100):
    try:
        socket.create_connection(("127.0.0.1", 8765), timeout=0.2).close()
        break
    except OSError:
        time.sleep(0.05)
PY
    step "Follow what matters to you: an alert rule (here with a webhook), then a watch of a news feed (served on 127.0.0.1 by \`scripts/tour_feed.py\`, hence \`--allow-private\`; a real feed needs no flag). The feed holds a new article and one already ingested:" \
        alerts add --party BLR --type release --webhook http://127.0.0.1:8765/hook
    step "" watch --once --allow-private http://127.0.0.1:8765/feed.xml
    printf 'The webhook received the happening, the matching report with its evidence and source URL, and the rule:\n\n```json\n'
    head -n 1 "$work/hooks.jsonl" | "$repo/.venv/bin/python" -m json.tool --indent 2 --no-ensure-ascii
    printf '```\n\n'
    step "What the watch has done (a long-running \`watch\` shows this live on a terminal):" watch --status
    kill "$feed_pid" 2>/dev/null || true
    feed_pid=""
}

tour() {
    step "Ingest the examples (a second run finds nothing new):" ingest examples/
    step "" ingest examples/
    step "What was ingested:" articles
    step "Releases between March and June 2025 (an undated event is placed by its article's date, in brackets):" \
        events --type release --since 2025-03 --until 2025-06
    local id
    id="$(cd "$work" && "$bin" events --type sanctions_imposed --format json \
        | "$repo/.venv/bin/python" -c 'import json, sys; print(json.load(sys.stdin)[0]["id"])')"
    step "One event with its evidence (highlighted on a terminal) in its paragraph:" show "$id"
    step "Machine formats: \`--format json\` and \`--format csv\`:" \
        events --party BLR --status discussed --format json
    step "" events --type sanctions_eased --format csv
    step "Records in the SCHEMA.md form, without a database (a JSONL file of two records gives two):" \
        extract --out records/ examples/2025-09-wire-digest.jsonl examples/2025-06-18-us-venezuela-talks.html
    watch_tour
    printf '\x00\x01 not text' >"$work/examples/picture.txt"
    : >"$work/examples/empty.txt"
    step "A bad input is named with its reason, the rest go on, and the exit status says so:" \
        ingest examples/
}

if [ "${1:-}" = "--update-readme" ]; then
    tour | sed "s#$work/##g" >"$work/tour.md"
    "$repo/.venv/bin/python" - "$work/tour.md" <<'PY'
import re, sys
from pathlib import Path
readme = Path("README.md")
tour = Path(sys.argv[1]).read_text(encoding="utf-8").replace("\n\n\n", "\n\n")
text = readme.read_text(encoding="utf-8")
new, n = re.subn(r"(<!-- tour:start -->\n).*?(<!-- tour:end -->)", lambda m: m.group(1) + "\n" + tour + m.group(2), text, flags=re.S)
if n != 1:
    sys.exit("README.md has no <!-- tour:start --> ... <!-- tour:end --> block")
readme.write_text(new, encoding="utf-8")
PY
    echo "README.md tour refreshed"
else
    tour | sed "s#$work/##g"
fi
