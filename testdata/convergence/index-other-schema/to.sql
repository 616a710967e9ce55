-- index-other-schema (to): an index on a table in a non-public schema

CREATE SCHEMA app;

CREATE TABLE app.events (
    id bigint NOT NULL,
    kind text NOT NULL,
    at timestamptz NOT NULL,
    CONSTRAINT events_pkey PRIMARY KEY (id)
);

CREATE INDEX events_kind_at_idx ON app.events (kind, at DESC);
