-- 0003_search: full-text search over article titles and clean bodies (SQLite FTS5, SQLite only;
-- a PostgreSQL backend would use a tsvector column instead).
-- One row per article, keyed by the article id (not the rowid, which VACUUM may renumber).
-- Back-filled here for the articles already stored. New articles are indexed by the triggers in
-- releasewatch/web/search.py (CREATE TRIGGER bodies hold ";", which the migration runner's
-- statement splitter cannot carry yet); the web server installs them and catches up on start.

CREATE VIRTUAL TABLE article_search USING fts5(
    article_id UNINDEXED,
    title,
    body,
    tokenize = 'unicode61 remove_diacritics 2'
);

INSERT INTO article_search (article_id, title, body)
SELECT id, COALESCE(title, ''), clean_text FROM articles
