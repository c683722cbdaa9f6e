-- 0001_initial (PostgreSQL): the same tables as the SQLite file, with PostgreSQL's types.
-- Text columns compare and sort bytewise (COLLATE "C", as SQLite does), whatever the
-- database's locale: date filters compare ISO dates with '-' and '~', and every list is
-- ordered as on SQLite. Floats are DOUBLE PRECISION (REAL is 4 bytes here, 8 in SQLite).

CREATE TABLE articles (
    id TEXT COLLATE "C" PRIMARY KEY,
    source TEXT COLLATE "C" NOT NULL,
    url TEXT COLLATE "C",
    kind TEXT COLLATE "C" NOT NULL,
    encoding TEXT COLLATE "C" NOT NULL,
    title TEXT COLLATE "C",
    published TEXT COLLATE "C",
    outlet TEXT COLLATE "C",
    author TEXT COLLATE "C",
    dateline TEXT COLLATE "C",
    cited_sources TEXT COLLATE "C" NOT NULL,
    tags TEXT COLLATE "C" NOT NULL,
    raw_text TEXT COLLATE "C" NOT NULL,
    clean_text TEXT COLLATE "C" NOT NULL,
    body_hash TEXT COLLATE "C",
    problems TEXT COLLATE "C" NOT NULL,
    ingested_at TEXT COLLATE "C" NOT NULL
);

CREATE UNIQUE INDEX articles_body_hash ON articles (body_hash);

CREATE TABLE event_mentions (
    id TEXT COLLATE "C" PRIMARY KEY,
    article_id TEXT COLLATE "C" NOT NULL REFERENCES articles (id),
    mention_index INTEGER NOT NULL,
    event_type TEXT COLLATE "C" NOT NULL,
    status TEXT COLLATE "C" NOT NULL,
    count_value INTEGER,
    count_qualifier TEXT COLLATE "C",
    sector TEXT COLLATE "C",
    event_date TEXT COLLATE "C",
    evidence TEXT COLLATE "C" NOT NULL,
    start_offset INTEGER NOT NULL,
    end_offset INTEGER NOT NULL,
    attribution TEXT COLLATE "C",
    confidence DOUBLE PRECISION NOT NULL,
    background INTEGER NOT NULL,
    UNIQUE (article_id, mention_index)
);

CREATE INDEX event_mentions_type ON event_mentions (event_type);

CREATE INDEX event_mentions_date ON event_mentions (event_date);

CREATE TABLE mention_parties (
    mention_id TEXT COLLATE "C" NOT NULL REFERENCES event_mentions (id),
    role TEXT COLLATE "C" NOT NULL,
    position INTEGER NOT NULL,
    code TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (mention_id, role, position)
);

CREATE INDEX mention_parties_code ON mention_parties (code);

CREATE TABLE mention_persons (
    mention_id TEXT COLLATE "C" NOT NULL REFERENCES event_mentions (id),
    position INTEGER NOT NULL,
    name TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (mention_id, position)
);

CREATE TABLE ingest_problems (
    source TEXT COLLATE "C" NOT NULL,
    reason TEXT COLLATE "C" NOT NULL,
    first_seen TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (source, reason)
);
