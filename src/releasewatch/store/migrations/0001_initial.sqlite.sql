-- 0001_initial (SQLite): the first ledger schema (the PostgreSQL file has the same tables).
-- TEXT/INTEGER/REAL types, explicit keys, no AUTOINCREMENT. Statements end with ";" (the runner splits them
-- with sqlite3.complete_statement, so a ";" inside a literal or a trigger body is safe).
-- Lists (cited_sources, tags, problems) are stored as JSON text.

CREATE TABLE articles (
    id TEXT PRIMARY KEY,
    source TEXT NOT NULL,
    url TEXT,
    kind TEXT NOT NULL,
    encoding TEXT NOT NULL,
    title TEXT,
    published TEXT,
    outlet TEXT,
    author TEXT,
    dateline TEXT,
    cited_sources TEXT NOT NULL,
    tags TEXT NOT NULL,
    raw_text TEXT NOT NULL,
    clean_text TEXT NOT NULL,
    body_hash TEXT,
    problems TEXT NOT NULL,
    ingested_at TEXT NOT NULL
);

CREATE UNIQUE INDEX articles_body_hash ON articles (body_hash);

CREATE TABLE event_mentions (
    id TEXT PRIMARY KEY,
    article_id TEXT NOT NULL REFERENCES articles (id),
    mention_index INTEGER NOT NULL,
    event_type TEXT NOT NULL,
    status TEXT NOT NULL,
    count_value INTEGER,
    count_qualifier TEXT,
    sector TEXT,
    event_date TEXT,
    evidence TEXT NOT NULL,
    start_offset INTEGER NOT NULL,
    end_offset INTEGER NOT NULL,
    attribution TEXT,
    confidence REAL NOT NULL,
    background INTEGER NOT NULL,
    UNIQUE (article_id, mention_index)
);

CREATE INDEX event_mentions_type ON event_mentions (event_type);

CREATE INDEX event_mentions_date ON event_mentions (event_date);

CREATE TABLE mention_parties (
    mention_id TEXT NOT NULL REFERENCES event_mentions (id),
    role TEXT NOT NULL,
    position INTEGER NOT NULL,
    code TEXT NOT NULL,
    PRIMARY KEY (mention_id, role, position)
);

CREATE INDEX mention_parties_code ON mention_parties (code);

CREATE TABLE mention_persons (
    mention_id TEXT NOT NULL REFERENCES event_mentions (id),
    position INTEGER NOT NULL,
    name TEXT NOT NULL,
    PRIMARY KEY (mention_id, position)
);

CREATE TABLE ingest_problems (
    source TEXT NOT NULL,
    reason TEXT NOT NULL,
    first_seen TEXT NOT NULL,
    PRIMARY KEY (source, reason)
);
