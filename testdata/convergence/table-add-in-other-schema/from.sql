-- table-add-in-other-schema (from): a table is added to an existing non-public schema

CREATE SCHEMA app;

CREATE TABLE app.accounts (
    id bigint NOT NULL,
    name text NOT NULL,
    CONSTRAINT accounts_pkey PRIMARY KEY (id)
);
