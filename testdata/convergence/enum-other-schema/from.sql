-- enum-other-schema (from): an enum in a non-public schema used by a table in public

CREATE SCHEMA types;

CREATE TABLE public.tickets (
    id integer NOT NULL,
    CONSTRAINT tickets_pkey PRIMARY KEY (id)
);
