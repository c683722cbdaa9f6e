-- 0005_list_order: the event list filtered by type, in date order (the same SQL on both
-- dialects). With only (type, status), SQLite fetched every event of the type and sorted them
-- all to return one page: 3.9 ms a page of a 10,000-event ledger (2,500 releases); walking
-- (type, sort_date, id) stops after the page, 0.3 ms (measured with benchmarks/load.py's ledger).

CREATE INDEX ledger_events_type_order ON ledger_events (type, sort_date, id);
