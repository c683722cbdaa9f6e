-- 0013_event_bodies: each ledger event in full (its values with their sources, conflicts,
-- history and members with their evidence paragraphs), stored with its row as the token
-- holder sees it (the same SQL on both dialects). An event's JSON or page was nine statements
-- (the row, its values, its member mentions with their parties and persons, their articles'
-- texts, its deals); on PostgreSQL each is a round trip and most of the request's CPU
-- (benchmarks/web_profile.py: 2.2 ms of client CPU per event on PostgreSQL, 0.3 on SQLite). With
-- the body stored when the ledger is rebuilt or updated, an event is its row and its deals.
-- Deals stay read live: they are replaced whole when any deal changes, without their parts'
-- rows being rewritten.
--
-- The derived rows are rewritten by every rebuild: until the next one an event's body is ''
-- and is read from its tables as before.

ALTER TABLE ledger_events ADD COLUMN body TEXT NOT NULL DEFAULT '';
