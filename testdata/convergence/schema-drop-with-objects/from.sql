-- schema-drop-with-objects (from): a schema with a table, enum, sequence and index is dropped as a whole

CREATE SCHEMA legacy;

CREATE TYPE legacy.state AS ENUM ('new', 'old');

CREATE SEQUENCE legacy.ticket_no START WITH 1000;

CREATE TABLE legacy.tickets (
    id integer NOT NULL DEFAULT nextval('legacy.ticket_no'),
    state legacy.state NOT NULL DEFAULT 'new',
    title varchar(200) NOT NULL,
    CONSTRAINT tickets_pkey PRIMARY KEY (id)
);

CREATE INDEX tickets_state_idx ON legacy.tickets (state);

CREATE TABLE public.kept (
    id integer NOT NULL,
    CONSTRAINT kept_pkey PRIMARY KEY (id)
);
