-- 0008_watch (SQLite): what `releasewatch watch` remembers, and the alerts it raises (the
-- PostgreSQL file has the same tables, with its types, COLLATE "C" and an identity column).
-- Times of the watch are epoch seconds (REAL), as the poll loop keeps them; rule times are ISO.

-- One row per followed feed: its validators for conditional GETs, its last poll and error, its
-- schedule (next_poll, with failures for the backoff) and how many items it has given.
CREATE TABLE watch_feeds (
    url TEXT PRIMARY KEY,
    etag TEXT,
    last_modified TEXT,
    last_poll REAL,
    last_ok REAL,
    last_status INTEGER,
    last_error TEXT,
    failures INTEGER NOT NULL,
    next_poll REAL NOT NULL,
    items_seen INTEGER NOT NULL
);

-- One row per feed item ever taken, by its normalised URL: what became of it (ingested, known,
-- failed, retry), after how many attempts, the article it gave.
CREATE TABLE watch_items (
    url TEXT PRIMARY KEY,
    feed TEXT NOT NULL,
    outcome TEXT NOT NULL,
    attempts INTEGER NOT NULL,
    article_id TEXT,
    error TEXT,
    seen_at REAL
);

CREATE INDEX watch_items_feed ON watch_items (feed, seen_at);

-- The watchlist: every given filter must hold (person through the person registry, party on
-- either side, event type, status, words); webhook is where matching alerts are POSTed.
CREATE TABLE alert_rules (
    id INTEGER PRIMARY KEY,
    person TEXT,
    party TEXT,
    event_type TEXT,
    status TEXT,
    words TEXT,
    webhook TEXT,
    created_at TEXT NOT NULL
);

-- Alerts and their outbox: one per (rule, happening, article), its JSON body, and its delivery
-- (attempts, next try, delivered at, last error). An alert with a webhook stays undelivered
-- (delivered_at NULL) until a 2xx answer; one without is delivered when written.
CREATE TABLE alerts (
    id TEXT PRIMARY KEY,
    rule_id INTEGER NOT NULL,
    event_id TEXT NOT NULL,
    article_id TEXT NOT NULL,
    mention_id TEXT NOT NULL,
    created_at REAL NOT NULL,
    line TEXT NOT NULL,
    payload TEXT NOT NULL,
    webhook TEXT,
    attempts INTEGER NOT NULL,
    next_try REAL NOT NULL,
    delivered_at REAL,
    last_error TEXT
);

CREATE INDEX alerts_due ON alerts (next_try) WHERE delivered_at IS NULL;

CREATE INDEX alerts_recent ON alerts (created_at, id);
