-- table-add-in-other-schema (to): a table is added to an existing non-public schema

CREATE SCHEMA app;

CREATE TABLE app.accounts (
    id bigint NOT NULL,
    name text NOT NULL,
    CONSTRAINT accounts_pkey PRIMARY KEY (id)
);

CREATE TABLE app.api_keys (
    id bigint NOT NULL,
    account_id bigint NOT NULL,
    prefix char(8) NOT NULL,
    CONSTRAINT api_keys_pkey PRIMARY KEY (id),
    CONSTRAINT api_keys_account_fkey FOREIGN KEY (account_id) REFERENCES app.accounts (id)
);
