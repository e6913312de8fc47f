-- Silent-round cards and handover offers get tables of their own. Until now they were
-- kept in `ballots` under round keys "silent:<round>" and "handover:offer"; those rows
-- move here. The same file runs on PostgreSQL and on the embedded store (see
-- server/src/store/sqlite/migrate.rs for how its types are read there).

-- A silent round's cards until they are revealed: each guarded by a hash of its
-- writer's key, so only they can change or take it back.
CREATE TABLE silent_cards (
    board_id TEXT NOT NULL REFERENCES boards(id),
    round TEXT NOT NULL,
    card TEXT NOT NULL,
    key_hash BYTEA NOT NULL,
    body TEXT NOT NULL,
    PRIMARY KEY (board_id, round, card)
);

INSERT INTO silent_cards (board_id, round, card, key_hash, body)
    SELECT board_id, substr(round, 8), voter, key_hash, ballot
    FROM ballots WHERE round LIKE 'silent:%';

DELETE FROM ballots WHERE round LIKE 'silent:%';

-- A board's one waiting offer of the facilitator role.
CREATE TABLE handover_offers (
    board_id TEXT PRIMARY KEY REFERENCES boards(id),
    body TEXT NOT NULL
);

INSERT INTO handover_offers (board_id, body)
    SELECT board_id, ballot FROM ballots WHERE round = 'handover:offer';

DELETE FROM ballots WHERE round = 'handover:offer';
