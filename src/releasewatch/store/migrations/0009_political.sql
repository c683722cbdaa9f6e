-- 0009_political: whether an event is of the kind these users follow (the same SQL on both
-- dialects). The extractor marks every mention `political` (swaps, talks, sanctions; releases
-- and detentions of political prisoners, journalists, activists, opposition figures, hostages,
-- POWs, foreigners held by a state) or not (an ordinary criminal arrest); a ledger event is
-- political when any of its mentions is. The views show political events unless asked for all.
--
-- Mentions stored before this step were never classed: they count as political (DEFAULT 1),
-- so an existing ledger shows what it showed before; every mention stored from now on carries
-- the extractor's value. The ledger events are derived: the next rebuild recomputes them (and
-- until then, made of mentions that count as political, they are political too).

ALTER TABLE event_mentions ADD COLUMN political INTEGER NOT NULL DEFAULT 1;

ALTER TABLE ledger_events ADD COLUMN political INTEGER NOT NULL DEFAULT 1;

-- Every list filters on it: walking (political, sort_date, id) stops after the page, as the
-- date-order index does for an unfiltered list (0005).
CREATE INDEX ledger_events_political_order ON ledger_events (political, sort_date, id);

-- An alert rule matches political happenings only, unless it asks for every event (1).
-- Rules made before this step follow the same default.
ALTER TABLE alert_rules ADD COLUMN all_events INTEGER NOT NULL DEFAULT 0;
