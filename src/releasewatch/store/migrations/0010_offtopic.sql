-- 0010_offtopic: articles the on-topic prefilter set aside, kept as identity and address only
-- (the same SQL on both dialects). A back-fill reads thousands of archives of which about 1 % is
-- on topic: storing the other pages whole would make the ledger mostly unrelated news. Their
-- id (the hash of the raw document and its URL) is kept so that a second ingest skips them.

CREATE TABLE offtopic_articles (
    id TEXT PRIMARY KEY,
    url TEXT,
    source TEXT NOT NULL,
    ingested_at TEXT NOT NULL
);
