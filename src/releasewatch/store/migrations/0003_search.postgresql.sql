-- 0003_search (PostgreSQL): full-text search over article titles and clean bodies, as a
-- tsvector column kept by the database itself (a generated column: every writer's inserts and
-- updates are indexed, as the SQLite file's triggers do) and a GIN index over it.
-- The 'simple' configuration lowercases and does not stem, as FTS5's unicode61 tokenizer;
-- unlike it, it keeps diacritics (unaccent is an extension a server may not have).
-- Only the first 400,000 characters of a body are indexed: a tsvector holds at most 1 MB,
-- and a longer body would make the article unstorable (a dev-corpus article is 2,000 or so).

ALTER TABLE articles ADD COLUMN search tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('simple', COALESCE(title, '')), 'A')
    || setweight(to_tsvector('simple', left(clean_text, 400000)), 'B')
) STORED;

CREATE INDEX articles_search ON articles USING GIN (search);
