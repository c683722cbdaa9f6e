-- 0003_search (SQLite): full-text search over article titles and clean bodies, with FTS5
-- (the PostgreSQL file uses a generated tsvector column and a GIN index instead).
-- One row per article, keyed by the article id (not the rowid, which VACUUM may renumber).
-- Back-filled here for the articles already stored; from then on the triggers below keep the
-- index in step with every writer (the CLI's ingest, the web API, anything using the store).

CREATE VIRTUAL TABLE article_search USING fts5(
    article_id UNINDEXED,
    title,
    body,
    tokenize = 'unicode61 remove_diacritics 2'
);

INSERT INTO article_search (article_id, title, body)
SELECT id, COALESCE(title, ''), clean_text FROM articles;

CREATE TRIGGER article_search_insert AFTER INSERT ON articles BEGIN
    INSERT INTO article_search (article_id, title, body)
    VALUES (new.id, COALESCE(new.title, ''), new.clean_text);
END;

CREATE TRIGGER article_search_delete AFTER DELETE ON articles BEGIN
    DELETE FROM article_search WHERE article_id = old.id;
END;

CREATE TRIGGER article_search_update AFTER UPDATE OF title, clean_text ON articles BEGIN
    DELETE FROM article_search WHERE article_id = old.id;
    INSERT INTO article_search (article_id, title, body)
    VALUES (new.id, COALESCE(new.title, ''), new.clean_text);
END;
