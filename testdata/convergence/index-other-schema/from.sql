-- index-other-schema (from): an index on a table in a non-public schema

CREATE SCHEMA app;

CREATE TABLE app.events (
    id bigint NOT NULL,
    kind text NOT NULL,
    at timestamptz NOT NULL,
    CONSTRAINT events_pkey PRIMARY KEY (id)
);
