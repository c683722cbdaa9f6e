-- 0015_party_items: the party order (0014) holds what a list page shows of each event under
-- each party: its type and status (filters) and its list item (0012), so a party's page is
-- read from the party's own rows, in order, without a join to ledger_events (on PostgreSQL a
-- party page was planned and read as a join: about 0.35 ms of server time, 0.13 read alone,
-- benchmarks/load.py's 10,000-event ledger; a dozen parties' walks are most of its list
-- traffic). Derived by the store whenever it writes the ledger, as before.
--
-- This PostgreSQL file is the SQLite one with the columns' "C" collation, which 0014 did not
-- give: the party order then sorts as the event list does (bytewise), whatever the
-- database's default collation.

DROP TABLE ledger_event_parties;

CREATE TABLE ledger_event_parties (
    code TEXT COLLATE "C" NOT NULL,
    political INTEGER NOT NULL,
    sort_date TEXT COLLATE "C" NOT NULL,
    event_id TEXT COLLATE "C" NOT NULL REFERENCES ledger_events (id),
    type TEXT COLLATE "C" NOT NULL,
    status TEXT COLLATE "C" NOT NULL,
    item TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (code, political, sort_date, event_id)
);

CREATE INDEX ledger_event_parties_order ON ledger_event_parties (code, sort_date, event_id);

CREATE INDEX ledger_event_parties_event ON ledger_event_parties (event_id);

INSERT INTO ledger_event_parties (code, political, sort_date, event_id, type, status, item)
SELECT DISTINCT p.code, e.political, e.sort_date, e.id, e.type, e.status, e.item
FROM ledger_parties p JOIN ledger_events e ON e.id = p.event_id;
