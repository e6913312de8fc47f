--
-- PostgreSQL database dump
--


-- Dumped from database version 15.20 (Debian 15.20-0+deb12u1)
-- Dumped by pg_dump version 15.20 (Debian 15.20-0+deb12u1)

SET statement_timeout = 0;
SET lock_timeout = 0;
SET idle_in_transaction_session_timeout = 0;
SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;
SELECT pg_catalog.set_config('search_path', '', false);
SET check_function_bodies = false;
SET xmloption = content;
SET client_min_messages = warning;
SET row_security = off;

--
-- Name: coboard_fixture_schema; Type: SCHEMA; Schema: -; Owner: -
--



SET default_tablespace = '';

SET default_table_access_method = heap;

--
-- Name: _sqlx_migrations; Type: TABLE; Schema: coboard_fixture_schema; Owner: -
--

CREATE TABLE coboard_fixture_schema._sqlx_migrations (
    version bigint NOT NULL,
    description text NOT NULL,
    installed_on timestamp with time zone DEFAULT now() NOT NULL,
    success boolean NOT NULL,
    checksum bytea NOT NULL,
    execution_time bigint NOT NULL
);


--
-- Name: ballots; Type: TABLE; Schema: coboard_fixture_schema; Owner: -
--

CREATE TABLE coboard_fixture_schema.ballots (
    board_id text NOT NULL,
    round text NOT NULL,
    voter text NOT NULL,
    key_hash bytea NOT NULL,
    ballot text NOT NULL
);


--
-- Name: boards; Type: TABLE; Schema: coboard_fixture_schema; Owner: -
--

CREATE TABLE coboard_fixture_schema.boards (
    id text NOT NULL,
    title text NOT NULL,
    template text NOT NULL,
    created_at bigint NOT NULL
);


--
-- Name: invites; Type: TABLE; Schema: coboard_fixture_schema; Owner: -
--

CREATE TABLE coboard_fixture_schema.invites (
    id text NOT NULL,
    board_id text NOT NULL,
    role text NOT NULL,
    label text NOT NULL,
    token_hash bytea NOT NULL,
    created_at bigint NOT NULL,
    expires_at bigint,
    revoked_at bigint
);


--
-- Name: named_snapshots; Type: TABLE; Schema: coboard_fixture_schema; Owner: -
--

CREATE TABLE coboard_fixture_schema.named_snapshots (
    id text NOT NULL,
    board_id text NOT NULL,
    name text NOT NULL,
    created_at bigint NOT NULL,
    auto boolean NOT NULL,
    state bytea NOT NULL
);


--
-- Name: records; Type: TABLE; Schema: coboard_fixture_schema; Owner: -
--

CREATE TABLE coboard_fixture_schema.records (
    board_id text NOT NULL,
    kind text NOT NULL,
    id text NOT NULL,
    body text NOT NULL
);


--
-- Name: snapshots; Type: TABLE; Schema: coboard_fixture_schema; Owner: -
--

CREATE TABLE coboard_fixture_schema.snapshots (
    board_id text NOT NULL,
    data bytea NOT NULL,
    upto_seq bigint NOT NULL
);


--
-- Name: updates; Type: TABLE; Schema: coboard_fixture_schema; Owner: -
--

CREATE TABLE coboard_fixture_schema.updates (
    seq bigint NOT NULL,
    board_id text NOT NULL,
    data bytea NOT NULL
);


--
-- Name: updates_seq_seq; Type: SEQUENCE; Schema: coboard_fixture_schema; Owner: -
--

CREATE SEQUENCE coboard_fixture_schema.updates_seq_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: updates_seq_seq; Type: SEQUENCE OWNED BY; Schema: coboard_fixture_schema; Owner: -
--

ALTER SEQUENCE coboard_fixture_schema.updates_seq_seq OWNED BY coboard_fixture_schema.updates.seq;


--
-- Name: updates seq; Type: DEFAULT; Schema: coboard_fixture_schema; Owner: -
--

ALTER TABLE ONLY coboard_fixture_schema.updates ALTER COLUMN seq SET DEFAULT nextval('coboard_fixture_schema.updates_seq_seq'::regclass);


--
-- Data for Name: _sqlx_migrations; Type: TABLE DATA; Schema: coboard_fixture_schema; Owner: -
--

INSERT INTO coboard_fixture_schema._sqlx_migrations VALUES (1, 'boards', '2026-12-07 17:49:13.242874+00', true, '\xe492e6c54033f6e20b0dd31c3c3f8dd327619f80b08b7e4453150c388aee6029f1efe4f4a8b6dd65669755d6f3ca2e09', 13323230);
INSERT INTO coboard_fixture_schema._sqlx_migrations VALUES (2, 'records', '2026-12-07 17:49:13.256837+00', true, '\x9333209f0a656fcefe9af4ef485417fe24bf36ed395d05bf203d2739cdc3525ef55a2bfae942315ab25c1384642f8048', 3254081);


--
-- Data for Name: ballots; Type: TABLE DATA; Schema: coboard_fixture_schema; Owner: -
--

INSERT INTO coboard_fixture_schema.ballots VALUES ('fixture-plan', 'round-1', 'voter-a', '\x0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b', '{"ballot":"a"}');
INSERT INTO coboard_fixture_schema.ballots VALUES ('fixture-plan', 'silent:quiet-1', 'card-a', '\x0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c', '{"card":"a"}');
INSERT INTO coboard_fixture_schema.ballots VALUES ('fixture-plan', 'silent:quiet-1', 'card-b', '\x0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d', '{"card":"b"}');
INSERT INTO coboard_fixture_schema.ballots VALUES ('fixture-plan', 'handover:offer', 'offer', '\x0e0e0e0e0e0e0e0e0e0e0e0e0e0e0e0e0e0e0e0e0e0e0e0e0e0e0e0e0e0e0e0e', '{"offer":"x"}');


--
-- Data for Name: boards; Type: TABLE DATA; Schema: coboard_fixture_schema; Owner: -
--

INSERT INTO coboard_fixture_schema.boards VALUES ('fixture-plan', 'Plan', 'blank', 1);
INSERT INTO coboard_fixture_schema.boards VALUES ('fixture-blank', 'Plan', 'blank', 1);


--
-- Data for Name: invites; Type: TABLE DATA; Schema: coboard_fixture_schema; Owner: -
--

INSERT INTO coboard_fixture_schema.invites VALUES ('plan-creator', 'fixture-plan', 'facilitator', 'creator', '\x0101010101010101010101010101010101010101010101010101010101010101', 5, NULL, NULL);
INSERT INTO coboard_fixture_schema.invites VALUES ('blank-creator', 'fixture-blank', 'facilitator', 'creator', '\x0202020202020202020202020202020202020202020202020202020202020202', 5, NULL, NULL);
INSERT INTO coboard_fixture_schema.invites VALUES ('plan-viewer', 'fixture-plan', 'viewer', 'creator', '\x0303030303030303030303030303030303030303030303030303030303030303', 6, NULL, 60);


--
-- Data for Name: named_snapshots; Type: TABLE DATA; Schema: coboard_fixture_schema; Owner: -
--

INSERT INTO coboard_fixture_schema.named_snapshots VALUES ('snap-named', 'fixture-plan', 'snap-named name', 7, false, '\x0101');
INSERT INTO coboard_fixture_schema.named_snapshots VALUES ('snap-auto', 'fixture-plan', 'snap-auto name', 8, true, '\x0202');


--
-- Data for Name: records; Type: TABLE DATA; Schema: coboard_fixture_schema; Owner: -
--

INSERT INTO coboard_fixture_schema.records VALUES ('fixture-plan', 'rates', '000001', '{"rates":1}');
INSERT INTO coboard_fixture_schema.records VALUES ('fixture-plan', 'ledger-row', 'row-1', '{"row":1}');
INSERT INTO coboard_fixture_schema.records VALUES ('fixture-plan', 'attendance', '2026-12-07-a', '{"att":1}');


--
-- Data for Name: snapshots; Type: TABLE DATA; Schema: coboard_fixture_schema; Owner: -
--

INSERT INTO coboard_fixture_schema.snapshots VALUES ('fixture-plan', '\x0201edb9bff4aeafe10e002801016d047365656401770473656564019dd5f6809fd0890d002801016d036f6e650177036f6e6500', 3);


--
-- Data for Name: updates; Type: TABLE DATA; Schema: coboard_fixture_schema; Owner: -
--

INSERT INTO coboard_fixture_schema.updates VALUES (2, 'fixture-blank', '\x0101ceb9c5e1c78d9f02002801016d05626c616e6b017705626c616e6b00');
INSERT INTO coboard_fixture_schema.updates VALUES (4, 'fixture-plan', '\x0101bfcca4e1fedfa804002801016d0374776f01770374776f00');


--
-- Name: updates_seq_seq; Type: SEQUENCE SET; Schema: coboard_fixture_schema; Owner: -
--

SELECT pg_catalog.setval('coboard_fixture_schema.updates_seq_seq', 4, true);


--
-- Name: _sqlx_migrations _sqlx_migrations_pkey; Type: CONSTRAINT; Schema: coboard_fixture_schema; Owner: -
--

ALTER TABLE ONLY coboard_fixture_schema._sqlx_migrations
    ADD CONSTRAINT _sqlx_migrations_pkey PRIMARY KEY (version);


--
-- Name: ballots ballots_pkey; Type: CONSTRAINT; Schema: coboard_fixture_schema; Owner: -
--

ALTER TABLE ONLY coboard_fixture_schema.ballots
    ADD CONSTRAINT ballots_pkey PRIMARY KEY (board_id, round, voter);


--
-- Name: boards boards_pkey; Type: CONSTRAINT; Schema: coboard_fixture_schema; Owner: -
--

ALTER TABLE ONLY coboard_fixture_schema.boards
    ADD CONSTRAINT boards_pkey PRIMARY KEY (id);


--
-- Name: invites invites_pkey; Type: CONSTRAINT; Schema: coboard_fixture_schema; Owner: -
--

ALTER TABLE ONLY coboard_fixture_schema.invites
    ADD CONSTRAINT invites_pkey PRIMARY KEY (id);


--
-- Name: invites invites_token_hash_key; Type: CONSTRAINT; Schema: coboard_fixture_schema; Owner: -
--

ALTER TABLE ONLY coboard_fixture_schema.invites
    ADD CONSTRAINT invites_token_hash_key UNIQUE (token_hash);


--
-- Name: named_snapshots named_snapshots_pkey; Type: CONSTRAINT; Schema: coboard_fixture_schema; Owner: -
--

ALTER TABLE ONLY coboard_fixture_schema.named_snapshots
    ADD CONSTRAINT named_snapshots_pkey PRIMARY KEY (id);


--
-- Name: records records_pkey; Type: CONSTRAINT; Schema: coboard_fixture_schema; Owner: -
--

ALTER TABLE ONLY coboard_fixture_schema.records
    ADD CONSTRAINT records_pkey PRIMARY KEY (board_id, kind, id);


--
-- Name: snapshots snapshots_pkey; Type: CONSTRAINT; Schema: coboard_fixture_schema; Owner: -
--

ALTER TABLE ONLY coboard_fixture_schema.snapshots
    ADD CONSTRAINT snapshots_pkey PRIMARY KEY (board_id);


--
-- Name: updates updates_pkey; Type: CONSTRAINT; Schema: coboard_fixture_schema; Owner: -
--

ALTER TABLE ONLY coboard_fixture_schema.updates
    ADD CONSTRAINT updates_pkey PRIMARY KEY (seq);


--
-- Name: invites_by_board; Type: INDEX; Schema: coboard_fixture_schema; Owner: -
--

CREATE INDEX invites_by_board ON coboard_fixture_schema.invites USING btree (board_id, created_at);


--
-- Name: named_snapshots_by_board; Type: INDEX; Schema: coboard_fixture_schema; Owner: -
--

CREATE INDEX named_snapshots_by_board ON coboard_fixture_schema.named_snapshots USING btree (board_id, created_at);


--
-- Name: updates_by_board; Type: INDEX; Schema: coboard_fixture_schema; Owner: -
--

CREATE INDEX updates_by_board ON coboard_fixture_schema.updates USING btree (board_id, seq);


--
-- Name: ballots ballots_board_id_fkey; Type: FK CONSTRAINT; Schema: coboard_fixture_schema; Owner: -
--

ALTER TABLE ONLY coboard_fixture_schema.ballots
    ADD CONSTRAINT ballots_board_id_fkey FOREIGN KEY (board_id) REFERENCES coboard_fixture_schema.boards(id);


--
-- Name: invites invites_board_id_fkey; Type: FK CONSTRAINT; Schema: coboard_fixture_schema; Owner: -
--

ALTER TABLE ONLY coboard_fixture_schema.invites
    ADD CONSTRAINT invites_board_id_fkey FOREIGN KEY (board_id) REFERENCES coboard_fixture_schema.boards(id);


--
-- Name: named_snapshots named_snapshots_board_id_fkey; Type: FK CONSTRAINT; Schema: coboard_fixture_schema; Owner: -
--

ALTER TABLE ONLY coboard_fixture_schema.named_snapshots
    ADD CONSTRAINT named_snapshots_board_id_fkey FOREIGN KEY (board_id) REFERENCES coboard_fixture_schema.boards(id);


--
-- Name: records records_board_id_fkey; Type: FK CONSTRAINT; Schema: coboard_fixture_schema; Owner: -
--

ALTER TABLE ONLY coboard_fixture_schema.records
    ADD CONSTRAINT records_board_id_fkey FOREIGN KEY (board_id) REFERENCES coboard_fixture_schema.boards(id);


--
-- Name: snapshots snapshots_board_id_fkey; Type: FK CONSTRAINT; Schema: coboard_fixture_schema; Owner: -
--

ALTER TABLE ONLY coboard_fixture_schema.snapshots
    ADD CONSTRAINT snapshots_board_id_fkey FOREIGN KEY (board_id) REFERENCES coboard_fixture_schema.boards(id);


--
-- Name: updates updates_board_id_fkey; Type: FK CONSTRAINT; Schema: coboard_fixture_schema; Owner: -
--

ALTER TABLE ONLY coboard_fixture_schema.updates
    ADD CONSTRAINT updates_board_id_fkey FOREIGN KEY (board_id) REFERENCES coboard_fixture_schema.boards(id);


--
-- PostgreSQL database dump complete
--


