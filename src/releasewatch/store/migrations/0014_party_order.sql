-- 0014_party_order: each ledger event under each of its parties, in list order (the same SQL
-- on both dialects). A party filter was an EXISTS test on every event the list index walked:
-- with a dozen parties it read a dozen rows per row shown, with a type filter as well four
-- dozen (0.5-0.9 ms a page of benchmarks/load.py's 10,000-event ledger, on either backend,
-- most of an uncached list request). Walked from the party, a page reads its own rows.
--
-- Derived from ledger_events and ledger_parties by the store whenever it writes them
-- (replace_ledger, patch_ledger): nothing else writes it.

CREATE TABLE ledger_event_parties (
    code TEXT NOT NULL,
    political INTEGER NOT NULL,
    sort_date TEXT NOT NULL,
    event_id TEXT NOT NULL REFERENCES ledger_events (id),
    PRIMARY KEY (code, political, sort_date, event_id)
);

CREATE INDEX ledger_event_parties_order ON ledger_event_parties (code, sort_date, event_id);

CREATE INDEX ledger_event_parties_event ON ledger_event_parties (event_id);

INSERT INTO ledger_event_parties (code, political, sort_date, event_id)
SELECT DISTINCT p.code, e.political, e.sort_date, e.id
FROM ledger_parties p JOIN ledger_events e ON e.id = p.event_id;
