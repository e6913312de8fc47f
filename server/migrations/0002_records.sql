-- Records a board keeps outside its document, as JSON: the contribution ledger's rows
-- and rate tables, and attendance taken from presence. Never part of the board's
-- document, so never sent to its clients.
CREATE TABLE records (
    board_id TEXT NOT NULL REFERENCES boards(id),
    kind TEXT NOT NULL,
    id TEXT NOT NULL,
    body TEXT NOT NULL,
    PRIMARY KEY (board_id, kind, id)
);
