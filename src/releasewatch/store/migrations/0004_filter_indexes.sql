-- 0004_filter_indexes: indexes the ledger's list filters need (the same SQL on both dialects).
-- The party filters ask "has this event (mention) a party with this code?" for each row in
-- date order; an index on the code alone made SQLite walk every row of that party for each
-- row tested (94 ms per page of a 10,000-event ledger). (code, id) answers it in one probe.

DROP INDEX ledger_parties_code;

CREATE INDEX ledger_parties_code ON ledger_parties (code, event_id);

DROP INDEX mention_parties_code;

CREATE INDEX mention_parties_code ON mention_parties (code, mention_id);

-- Conflicts are rare: without this, the has-conflict filter reads every event to fill a page.
CREATE INDEX ledger_events_conflict ON ledger_events (has_conflict, sort_date, id);
