-- 0006_article_encoding (SQLite): how sure the reader was of an article's encoding (0-1), beside
-- the encoding it chose (articles.encoding, since 0001). Articles stored before this step have
-- NULL: their confidence was not kept. The PostgreSQL file differs only in the column type.

ALTER TABLE articles ADD COLUMN encoding_confidence REAL;
