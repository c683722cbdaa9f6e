-- 0012_list_items: each ledger event as the event list shows it, stored with its row (the same
-- SQL on both dialects). A page of the list was its rows' summaries decoded, their persons read,
-- each item built and the page encoded again (about half of an uncached list request's CPU in
-- benchmarks/web_profile.py); with the item's JSON stored when the ledger is rebuilt or updated,
-- a page is one indexed query and the items joined.
--
-- The derived rows are rewritten by every rebuild: until the next one, an event's item is ''
-- and is built from its row as before.

ALTER TABLE ledger_events ADD COLUMN item TEXT NOT NULL DEFAULT '';
