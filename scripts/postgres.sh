#!/usr/bin/env bash
# A throw-away PostgreSQL 15 server for the tests and benchmarks: an initdb cluster in a
# temporary folder, listening on 127.0.0.1 only, on a free port. Sourced by .ci/run.
#
#   source scripts/postgres.sh
#   start_postgres      # installs Debian's postgresql-15 when missing; exports RELEASEWATCH_TEST_PG
#   ...                 # tests read RELEASEWATCH_TEST_PG (a server URL they may create schemas in)
#   stop_postgres       # stops the server and removes the folder
#
# initdb and postgres refuse to run as root: as root, the cluster belongs to the `postgres`
# user that Debian's package creates.

PG_BIN="${PG_BIN:-/usr/lib/postgresql/15/bin}"

_pg_as_owner() {
    if [ "$(id -u)" -eq 0 ]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

start_postgres() {
    if [ ! -x "$PG_BIN/initdb" ]; then
        echo "==> installing PostgreSQL 15 (Debian's postgresql-15)"
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql-15
    fi
    PG_DIR="$(mktemp -d /tmp/releasewatch-pg.XXXXXX)"
    chmod 755 "$PG_DIR"
    [ "$(id -u)" -eq 0 ] && chown postgres "$PG_DIR"
    PG_PORT="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
    _pg_as_owner "$PG_BIN/initdb" -D "$PG_DIR/data" -U releasewatch --auth=trust \
        --encoding=UTF8 --locale=C.UTF-8 >"$PG_DIR/initdb.log" 2>&1 \
        || { cat "$PG_DIR/initdb.log" >&2; return 1; }
    # Loopback only, no Unix socket outside the folder; fsync off: a test server holds nothing
    # worth keeping across a crash.
    _pg_as_owner "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w -t 60 \
        -o "-c listen_addresses=127.0.0.1 -p $PG_PORT -c unix_socket_directories=$PG_DIR -c fsync=off -c max_connections=200" \
        start >/dev/null || { cat "$PG_DIR/server.log" >&2; return 1; }
    export PG_DIR PG_PORT
    export RELEASEWATCH_TEST_PG="postgresql://releasewatch@127.0.0.1:$PG_PORT/postgres"
    echo "==> PostgreSQL 15 on 127.0.0.1:$PG_PORT ($PG_DIR)"
}

stop_postgres() {
    if [ -n "${PG_DIR:-}" ] && [ -d "$PG_DIR/data" ]; then
        _pg_as_owner "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m fast -w stop >/dev/null || true
        rm -rf "$PG_DIR"
    fi
}
