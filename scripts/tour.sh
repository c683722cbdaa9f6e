#!/usr/bin/env bash
# Run the README's tours of the commands on the bundled examples (in a temporary folder, with a
# fresh ledger) and print them as Markdown. With --update-readme, replace them in README.md:
# the tour of the commands between the "tour:start" and "tour:end" markers, the tour of the
# resolved ledger between "ledger-tour:start" and "ledger-tour:end". Every command shown is run
# as shown, on the bundled examples only.
set -euo pipefail
cd "$(dirname "$0")/.."
repo="$(pwd)"
bin="$repo/.venv/bin/releasewatch"
[ -x "$bin" ] || { echo "error: run bash scripts/demo.sh first (no .venv/bin/releasewatch)" >&2; exit 1; }
base="$(mktemp -d)"
work="$base/tour"  # the shared corpus, where it lies beside the repository, is ../shared from here
mkdir "$work"
feed_pid=""
trap '[ -n "$feed_pid" ] && kill "$feed_pid" 2>/dev/null; rm -rf "$base"' EXIT
cp -r examples "$work/examples"
if [ -d "$repo/../shared" ]; then ln -s "$(cd "$repo/.." && pwd)/shared" "$base/shared"; fi
export COLUMNS=100 RELEASEWATCH_DB="$work/releasewatch.sqlite"

quoted() {  # the arguments as a shell would take them back (quotes only where needed)
    local out=() arg
    for arg in "$@"; do
        if [[ "$arg" =~ ^[A-Za-z0-9_./:=@%+-]+$ ]]; then out+=("$arg"); else out+=("\"$arg\""); fi
    done
    printf '%s' "${out[*]}"
}

step() {  # step "what it shows" args...: one fenced block with the command and its output
    local title="$1"
    shift
    printf '%s\n\n```console\n$ releasewatch %s\n' "$title" "$(quoted "$@")"
    (cd "$work" && "$bin" "$@" 2>&1) || printf '(exit status %s)\n' "$?"
    printf '```\n\n'
}

shell_step() {  # shell_step "what it shows" "shell command": a command that is not releasewatch
    printf '%s\n\n```console\n$ %s\n' "$1" "$2"
    (cd "$work" && PATH="$repo/.venv/bin:$PATH" bash -c "$2" 2>&1) || printf '(exit status %s)\n' "$?"
    printf '```\n\n'
}

json_field() {  # json_field PYTHON-EXPRESSION args...: a value picked from a command's JSON
    local expr="$1"
    shift
    (cd "$work" && "$bin" "$@" --format json) \
        | "$repo/.venv/bin/python" -c "import json, sys; data = json.load(sys.stdin); print($expr)"
}

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
    id="$(json_field 'data[0]["id"]' events --type sanctions_imposed)"
    step "One event with its evidence (highlighted on a terminal) in its paragraph:" show "$id"
    step "Machine formats: \`--format json\` and \`--format csv\`:" \
        events --party BLR --status discussed --format json
    step "" events --type sanctions_eased --format csv
    step "Records in the SCHEMA.md form, without a database (a JSONL file of two records gives two):" \
        extract --out records/ examples/2025-09-wire-digest.jsonl examples/2025-06-18-us-venezuela-talks.html
    step "Why a row is there: each candidate sentence, the frame its parse gives (agent, patient, destination, ...), the status and its cause, the parties, and the rule that dropped the rest:" \
        explain examples/2025-09-wire-digest.jsonl
    if [ -f "$repo/../shared/seed/000_74c749cc70190844.txt" ]; then
        shell_step "The same on the page that started the project (the seed, kept beside the repository; its first sentences):" \
            "releasewatch explain ../shared/seed/000_74c749cc70190844.txt | head -n 24"
    fi
    watch_tour
    shell_step "A bad input is named with its reason, the rest go on, and the exit status says so:" \
        "mkdir -p inbox && printf '\\x00\\x01 not text' > inbox/picture.txt && : > inbox/empty.txt"
    step "" ingest inbox/ examples/
}

ledger_tour() {
    step "Belarus's happenings since January 2025, each with its sources (articles and reports):" \
        timeline --party BLR --since 2025-01
    local id
    id="$(json_field '[e["id"] for e in data if e["n_sources"] > 1][0]' timeline --party BLR)"
    step "One happening told by two outlets: every value with its sources, then each report:" \
        happening "$id"
    step "Where the sources disagree:" conflicts
    step "What Belarus gave and got in each trade:" deals --party BLR
    step "A person under every spelling, and the record of one:" persons --name Lavrinovich
    step "" person "Andrei Lavrinovich"
    step "Your decisions about persons, kept across every later ingest: take a spelling apart," \
        persons split "Andrej Lavrinovič"
    step "put it back," persons merge "Andrei Lavrinovich" "Andrej Lavrinovič"
    step "withhold a name everywhere (the operator is told how to see it):" \
        persons protect "Maryna Sadouskaya"
    step "" person "Maryna Sadouskaya"
    step "" persons protect --undo "Maryna Sadouskaya"
    step "Exports: SCHEMA.md records with \`happening\` ids, one row per happening as CSV or JSON:" \
        export --format records --out records/
    step "" export --format csv --out ledger.csv
    step "Rebuild the ledger on demand (every ingest that adds an article does it):" resolve
}

# The README's two blocks, each between its markers.
print_tours() {
    tour | sed "s#$work/##g" >"$work/tour.md"
    ledger_tour | sed "s#$work/##g" >"$work/ledger-tour.md"
}

print_tours
if [ "${1:-}" = "--update-readme" ]; then
    "$repo/.venv/bin/python" - "$work/tour.md" "$work/ledger-tour.md" <<'PY'
import re, sys
from pathlib import Path
readme = Path("README.md")
text = readme.read_text(encoding="utf-8")
for marker, path in (("tour", sys.argv[1]), ("ledger-tour", sys.argv[2])):
    block = Path(path).read_text(encoding="utf-8").replace("\n\n\n", "\n\n")
    text, n = re.subn(
        rf"(<!-- {marker}:start -->\n).*?(<!-- {marker}:end -->)",
        lambda m: m.group(1) + "\n" + block + m.group(2), text, flags=re.S,
    )
    if n != 1:
        sys.exit(f"README.md has no <!-- {marker}:start --> ... <!-- {marker}:end --> block")
readme.write_text(text, encoding="utf-8")
PY
    echo "README.md tours refreshed"
else
    cat "$work/tour.md" "$work/ledger-tour.md"
fi
