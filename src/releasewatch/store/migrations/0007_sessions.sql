-- 0007_sessions: the web server's sign-in sessions (the same SQL on both dialects), kept in the
-- ledger so every server process sharing it knows them, and so signing out ends one for good.
-- `id` is the SHA-256 of the random value in the browser's cookie (the value itself is never
-- stored); `token_tag` an HMAC of the id under the operator's token, so a session made under
-- one token is void under another. Times are Unix seconds (BIGINT: past 2038).
-- A copy does not move sessions: they belong to the server that made them.

CREATE TABLE sessions (
    id TEXT PRIMARY KEY,
    token_tag TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);

CREATE INDEX sessions_expiry ON sessions (expires_at);
