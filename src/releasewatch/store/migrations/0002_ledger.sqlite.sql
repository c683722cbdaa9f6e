-- 0002_ledger (SQLite): the resolved ledger (happenings merged across articles, persons, deals).
-- As in 0001; the PostgreSQL file has the same tables.
-- Every table but person_overrides and person_flags is derived:
-- `releasewatch resolve` (and every ingest that adds an article) recomputes them all from the
-- stored mentions and the user's decisions, in one transaction.
-- Lists and nested values are stored as JSON text.

CREATE TABLE ledger_events (
    id TEXT PRIMARY KEY,
    type TEXT NOT NULL,
    status TEXT NOT NULL,
    date TEXT,
    date_precision TEXT,
    sort_date TEXT NOT NULL,
    count_value INTEGER,
    count_qualifier TEXT,
    sector TEXT,
    has_conflict INTEGER NOT NULL,
    n_sources INTEGER NOT NULL,
    n_mentions INTEGER NOT NULL,
    persons_released INTEGER NOT NULL,
    search_text TEXT NOT NULL,
    summary TEXT NOT NULL
);

CREATE INDEX ledger_events_order ON ledger_events (sort_date, id);

CREATE INDEX ledger_events_type ON ledger_events (type, status);

CREATE TABLE ledger_parties (
    event_id TEXT NOT NULL REFERENCES ledger_events (id),
    role TEXT NOT NULL,
    position INTEGER NOT NULL,
    code TEXT NOT NULL,
    PRIMARY KEY (event_id, role, position)
);

CREATE INDEX ledger_parties_code ON ledger_parties (code);

CREATE TABLE ledger_members (
    mention_id TEXT PRIMARY KEY,
    event_id TEXT NOT NULL REFERENCES ledger_events (id),
    article_id TEXT NOT NULL,
    position INTEGER NOT NULL
);

CREATE INDEX ledger_members_event ON ledger_members (event_id, position);

CREATE INDEX ledger_members_article ON ledger_members (article_id);

CREATE TABLE ledger_values (
    event_id TEXT NOT NULL REFERENCES ledger_events (id),
    field TEXT NOT NULL,
    position INTEGER NOT NULL,
    value TEXT NOT NULL,
    sources TEXT NOT NULL,
    conflict INTEGER NOT NULL,
    PRIMARY KEY (event_id, field, position)
);

CREATE INDEX ledger_values_conflict ON ledger_values (conflict, event_id);

CREATE TABLE persons (
    id TEXT PRIMARY KEY,
    public_id TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    sort_key TEXT NOT NULL,
    protected INTEGER NOT NULL
);

CREATE INDEX persons_order ON persons (sort_key, public_id);

CREATE TABLE person_spellings (
    person_id TEXT NOT NULL REFERENCES persons (id),
    spelling TEXT NOT NULL,
    spelling_key TEXT NOT NULL,
    PRIMARY KEY (person_id, spelling)
);

CREATE INDEX person_spellings_key ON person_spellings (spelling_key);

CREATE TABLE person_history (
    person_id TEXT NOT NULL REFERENCES persons (id),
    position INTEGER NOT NULL,
    status TEXT NOT NULL,
    date TEXT,
    event_id TEXT NOT NULL,
    sources TEXT NOT NULL,
    PRIMARY KEY (person_id, position)
);

CREATE TABLE person_events (
    person_id TEXT NOT NULL REFERENCES persons (id),
    event_id TEXT NOT NULL REFERENCES ledger_events (id),
    position INTEGER NOT NULL,
    PRIMARY KEY (person_id, event_id)
);

CREATE INDEX person_events_event ON person_events (event_id, position);

CREATE TABLE deals (
    id TEXT PRIMARY KEY,
    status TEXT NOT NULL,
    summary TEXT NOT NULL
);

CREATE TABLE deal_parts (
    deal_id TEXT NOT NULL REFERENCES deals (id),
    event_id TEXT NOT NULL REFERENCES ledger_events (id),
    position INTEGER NOT NULL,
    type TEXT NOT NULL,
    gives TEXT NOT NULL,
    gets TEXT NOT NULL,
    PRIMARY KEY (deal_id, event_id)
);

CREATE INDEX deal_parts_event ON deal_parts (event_id);

CREATE TABLE ledger_meta (
    name TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE person_overrides (
    id INTEGER PRIMARY KEY,
    action TEXT NOT NULL,
    a TEXT NOT NULL,
    b TEXT,
    created_at TEXT NOT NULL
);

CREATE TABLE person_flags (
    spelling_key TEXT PRIMARY KEY,
    protected INTEGER NOT NULL
);
