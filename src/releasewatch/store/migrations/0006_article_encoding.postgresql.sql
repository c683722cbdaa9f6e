-- 0006_article_encoding (PostgreSQL): how sure the reader was of an article's encoding (0-1),
-- beside the encoding it chose (articles.encoding, since 0001). Articles stored before this step
-- have NULL: their confidence was not kept. DOUBLE PRECISION, as event_mentions.confidence: a
-- REAL (4 bytes) would not give back the value SQLite's 8-byte REAL keeps.

ALTER TABLE articles ADD COLUMN encoding_confidence DOUBLE PRECISION;
