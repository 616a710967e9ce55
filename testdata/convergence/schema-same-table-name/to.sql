-- schema-same-table-name (to): a table with the same name as an existing public table appears in another schema

CREATE TABLE public.users (
    id bigint NOT NULL,
    name text NOT NULL,
    CONSTRAINT users_pkey PRIMARY KEY (id)
);

CREATE SCHEMA archive;

CREATE TABLE archive.users (
    id bigint NOT NULL,
    name text NOT NULL,
    archived_at timestamptz NOT NULL,
    CONSTRAINT users_pkey PRIMARY KEY (id)
);

CREATE INDEX users_archived_at_idx ON archive.users (archived_at);
