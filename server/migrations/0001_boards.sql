-- Coboard's shared store. The same tables as the embedded SQLite store; see
-- server/src/store/postgres.rs for how compaction keeps concurrent instances safe.
CREATE TABLE boards (
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    template TEXT NOT NULL,
    created_at BIGINT NOT NULL
);

CREATE TABLE updates (
    seq BIGSERIAL PRIMARY KEY,
    board_id TEXT NOT NULL REFERENCES boards(id),
    data BYTEA NOT NULL
);
CREATE INDEX updates_by_board ON updates (board_id, seq);

-- The compacted state of a board: a merge of every update it replaced.
CREATE TABLE snapshots (
    board_id TEXT PRIMARY KEY REFERENCES boards(id),
    data BYTEA NOT NULL,
    upto_seq BIGINT NOT NULL
);

CREATE TABLE invites (
    id TEXT PRIMARY KEY,
    board_id TEXT NOT NULL REFERENCES boards(id),
    role TEXT NOT NULL,
    label TEXT NOT NULL,
    token_hash BYTEA NOT NULL UNIQUE,
    created_at BIGINT NOT NULL,
    expires_at BIGINT,
    revoked_at BIGINT
);
CREATE INDEX invites_by_board ON invites (board_id, created_at);

CREATE TABLE ballots (
    board_id TEXT NOT NULL REFERENCES boards(id),
    round TEXT NOT NULL,
    voter TEXT NOT NULL,
    key_hash BYTEA NOT NULL,
    ballot TEXT NOT NULL,
    PRIMARY KEY (board_id, round, voter)
);

CREATE TABLE named_snapshots (
    id TEXT PRIMARY KEY,
    board_id TEXT NOT NULL REFERENCES boards(id),
    name TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    auto BOOLEAN NOT NULL,
    state BYTEA NOT NULL
);
CREATE INDEX named_snapshots_by_board ON named_snapshots (board_id, created_at);
