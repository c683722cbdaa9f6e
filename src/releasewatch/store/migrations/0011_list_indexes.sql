-- 0011_list_indexes: the event list's filters under the political scope every view applies
-- (the same SQL on both dialects). Since 0009 every list is `political = ?` plus its filters,
-- and the planner walked (political, sort_date, id), testing each row: a type or has-conflict
-- filter read thousands of rows to fill a page, or every row when none matched (no conflicts:
-- 60-150 ms a page of benchmarks/load.py's 10,000-event ledger). With the filter's column after
-- `political` the walk stops after the page (under 1 ms).

CREATE INDEX ledger_events_political_type_order ON ledger_events (political, type, sort_date, id);

CREATE INDEX ledger_events_political_conflict ON ledger_events (political, has_conflict, sort_date, id);
