-- enum-other-schema (to): an enum in a non-public schema used by a table in public

CREATE SCHEMA types;

CREATE TYPE types.priority AS ENUM ('low', 'normal', 'high', 'urgent');

CREATE TABLE public.tickets (
    id integer NOT NULL,
    priority types.priority NOT NULL DEFAULT 'normal',
    CONSTRAINT tickets_pkey PRIMARY KEY (id)
);
